"""Locating the external checkers; missing ones skip locally and fail under CI."""

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"


def require(condition: bool, message: str):
    """Skip with instructions on a laptop; a skip is a failure in CI."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (required in CI)")
    pytest.skip(message)


def require_axe():
    require(AXE_JS.exists(), "axe-core missing: run `npm ci` (make test does it).")
    return AXE_JS


def require_java_and_vnu():
    require(shutil.which("java") is not None, "Java missing: apt-get install default-jre-headless.")
    require(VNU_JAR.exists(), "vnu-jar missing: run `npm ci` (make test does it).")
    return VNU_JAR
