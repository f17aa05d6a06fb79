"""The Nu Html Checker validates every page type, as each of its visitors sees it."""

import json
import shutil
import subprocess

import pytest
from django.test import Client

from tests.pages import AUDIENCES, make_visitor, pages_for
from tests.tools import require_java_and_vnu

pytestmark = pytest.mark.django_db


def test_every_page_type_is_valid_html(catalogue, tmp_path):
    vnu = require_java_and_vnu()
    files = {}
    for who in AUDIENCES:
        client = Client()
        visitor = make_visitor(who)
        if visitor is not None:
            client.force_login(visitor)
        for page_kind in pages_for(who):
            response = client.get(page_kind.path())
            assert response.status_code == page_kind.status, page_kind.name
            path = tmp_path / f"{page_kind.name}-{who}.html"
            path.write_bytes(response.content)
            files[str(path)] = f"{page_kind.name} ({who})"

    java = shutil.which("java")
    result = subprocess.run(  # noqa: S603 - a pinned jar from our own node_modules
        [java, "-Xss2m", "-XX:TieredStopAtLevel=1", "-jar", str(vnu), "--stdout",
         "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    messages = json.loads(result.stdout)["messages"]
    errors = [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    report = "\n".join(
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))} "
        f"line {m.get('lastLine')}: {m.get('message')}"
        for m in errors
    )
    assert not errors, report
