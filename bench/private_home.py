"""Benchmarks run their windows in a throwaway home: the user's settings, recent files and
autosaves are never read or written, and closing a window asks nothing (the training it did
is the benchmark's, not work to keep)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

from playground.ui.main_window import MainWindow


def use_private_home() -> str:
    """Point HOME and the XDG folders at a new temporary folder (removed at exit); call it
    before the first window is made."""
    home = tempfile.mkdtemp(prefix="bench-home-")
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    os.environ["HOME"] = home
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = os.path.join(home, name.lower())
    return home


def close_unasked(window: MainWindow) -> None:
    """Close a benchmark's window without the unsaved-changes question."""
    window.files.discard()
    window.close()
