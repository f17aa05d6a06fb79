from pathlib import Path

from django.conf import settings

from leonsite.lib.warmup import compile_templates


def test_every_template_is_parsed_before_the_first_request():
    directory = Path(settings.TEMPLATES[0]["DIRS"][0])
    assert compile_templates() == len(list(directory.rglob("*.html"))) > 50
