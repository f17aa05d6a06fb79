"""The layout keeps its rules: one room per concern, each of its lists in one place.

(The import contracts themselves are checked by `lint-imports`, in `make lint`.)
"""

import ast
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
APPS = [ROOT / "leonsite", ROOT / "films", ROOT / "reviews"]
KIND_NAMES = {"review", "comment", "collection", "profile"}


def python_files(*folders):
    for folder in folders:
        for path in folder.rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def module_name(path):
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def test_every_services_and_selectors_module_is_type_checked_strictly():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]["overrides"]
    strict = {m for o in config if o.get("disallow_untyped_defs") for m in o["module"]}
    modules = {
        module_name(path)
        for path in python_files(*APPS)
        if path.name in ("services.py", "selectors.py")
    }
    assert modules and modules <= strict


def test_the_catalogues_templates_load_and_name_nothing_of_the_community():
    for path in (TEMPLATES / "films").rglob("*.html"):
        text = path.read_text()
        loaded = " ".join(re.findall(r"{%\s*load ([^%]+)%}", text)).split()
        assert not {"community", "members"} & set(loaded), path
        assert not re.search(r"'(reviews|accounts|moderation):", text), path


def test_moderation_names_no_kind_of_item():
    """Moderation knows what it moderates only through the registry."""
    folder = ROOT / "reviews" / "moderation"
    for path in python_files(folder):
        tree = ast.parse(path.read_text())
        # A kind's name compared with, or listed, or used as a key: a second list of kinds.
        candidates = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare):
                candidates += [node.left, *node.comparators]
            elif isinstance(node, ast.Dict):  # {"review": Review} or {"review": [...]}
                candidates += [
                    key
                    for key, value in zip(node.keys, node.values, strict=True)
                    if isinstance(value, ast.List | ast.Tuple | ast.Set | ast.Dict)
                    or (isinstance(value, ast.Name) and value.id[:1].isupper())
                ]
            elif isinstance(node, ast.List | ast.Set | ast.Tuple):
                candidates += node.elts
        named = {
            node.value
            for node in candidates
            if isinstance(node, ast.Constant) and node.value in KIND_NAMES
        }
        assert not named, (path, named)
    for path in (TEMPLATES / "moderation").rglob("*.html"):
        assert not re.search(r'kind(\.name)? == "', path.read_text()), path


class _Balance(HTMLParser):
    VOID = {"br", "hr", "img", "input", "meta", "link", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.open = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, (self.open, tag)
        self.open.pop()


def cached_fragments():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for body in re.findall(r"{%\s*cache [^%]*%}(.*?){%\s*endcache\s*%}", text, re.S):
            yield path.relative_to(TEMPLATES), body


@pytest.mark.parametrize("path,body", list(cached_fragments()))
def test_every_cached_fragment_closes_what_it_opens(path, body):
    markup = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", "", body, flags=re.S)
    balance = _Balance()
    balance.feed(markup)
    balance.close()
    assert balance.open == [], path


def stylesheet(name):
    return re.sub(r"/\*.*?\*/", "", (ROOT / "static" / "css" / name).read_text(), flags=re.S)


def root_properties(css):
    start = css.index("{", css.index(":root")) + 1
    return set(re.findall(r"(--[\w-]+)\s*:", css[start : css.index("}", start)]))


def test_the_stylesheet_has_one_root_named_colours_and_one_block_per_breakpoint():
    css = stylesheet("site.css")
    assert css.count(":root") == 1
    root_end = css.index("}", css.index(":root")) + 1
    outside = css[root_end:]
    colour = r"#[0-9a-fA-F]{3,8}\b|\b(rgba?|hsla?)\(|:\s*(white|black|red|green|blue|gray|grey)\b"
    assert not re.search(colour, outside), re.search(colour, outside)
    queries = re.findall(r"@media\s*([^{]+){", css)
    assert len(queries) == len(set(q.strip() for q in queries))
    top_level = re.sub(r"@media[^{]+{(?:[^{}]*{[^{}]*})*[^{}]*}", "", outside)
    selectors = [s.strip() for s in re.findall(r"([^{}]+){", top_level)]
    assert len(selectors) == len(set(selectors)), sorted(
        s for s in selectors if selectors.count(s) > 1
    )


def test_the_dark_theme_only_gives_the_palette_new_values():
    """dark.css is one :root: new values for properties site.css's palette declares, so
    every rule of site.css serves both themes and none is written twice."""
    dark = stylesheet("dark.css").strip()
    assert dark.startswith(":root") and dark.count("{") == 1 and dark.endswith("}")
    assert "color-scheme: dark" in dark
    assert root_properties(dark) <= root_properties(stylesheet("site.css"))
