"""Installed like a desktop app: every package ships, and so do the icon and desktop entry."""

from __future__ import annotations

import configparser
import importlib.resources
from pathlib import Path

import pytest

from playground.ui.app_icon import ICON_NAME, ICON_SIZES

ROOT = Path(__file__).resolve().parent.parent
tomllib = pytest.importorskip("tomllib")


def test_every_package_folder_is_listed_in_pyproject():
    """The packages are listed (resources/ is mapped to playground.resources): a new folder
    with an __init__.py that is not listed would be missing from the installed app."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {str(p.parent.relative_to(ROOT)).replace("/", ".")
             for top in ("engine", "playground") for p in (ROOT / top).rglob("__init__.py")}
    assert found <= listed, f"add {sorted(found - listed)} to [tool.setuptools] packages"
    assert config["package-dir"]["playground.resources"] == "resources"


def test_the_icon_and_desktop_entry_are_package_resources():
    folder = importlib.resources.files("playground.resources")
    for size in ICON_SIZES:
        png = (folder / "icons" / f"{ICON_NAME}-{size}.png").read_bytes()
        assert png.startswith(b"\x89PNG")
    assert b"<svg" in (folder / "icons" / f"{ICON_NAME}.svg").read_bytes()
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read_string((folder / f"{ICON_NAME}.desktop").read_text())
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Icon"] == ICON_NAME
    assert desktop["Exec"].split()[0] == "micrograd-playground"  # the gui-script's name
    assert desktop["Categories"].endswith(";")


def test_the_window_and_its_dialogs_have_the_icon(make_window):
    window = make_window(preset="xor", n_points=20)
    assert not window.windowIcon().isNull()
    sizes = {s.width() for s in window.windowIcon().availableSizes()}
    assert {16, 32, 256} <= sizes
