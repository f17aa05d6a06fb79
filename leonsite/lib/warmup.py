"""Work a server process does once, before its first request."""

from pathlib import Path
from typing import cast

from django.conf import settings
from django.template import engines


def compile_templates() -> int:
    """Parse every project template into the engine's cache. Without it, the first
    visitor of each page after a deploy waits for its templates to be parsed (the home
    page's first request took two seconds, most of it here and in the database)."""
    engine = engines["django"]
    count = 0
    configured = cast(list[str], settings.TEMPLATES[0]["DIRS"])
    directories = [Path(d) for d in configured]
    for directory in directories:
        for path in sorted(directory.rglob("*.html")):
            engine.get_template(path.relative_to(directory).as_posix())
            count += 1
    return count
