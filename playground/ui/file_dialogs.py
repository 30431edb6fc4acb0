"""Small pieces the File and Export menus share: a menu entry, and asking for a file to write."""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from playground.ui.settings import AppSettings


def add_action(menu: QMenu, text: str, slot: Callable, key: QKeySequence | None = None,
               tip: str = "") -> QAction:
    """An entry of menu that calls slot, with its shortcut and a tip in the status bar."""
    action = menu.addAction(text)
    if key is not None:
        action.setShortcut(key)
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(slot)
    return action


def ask_save_path(parent: QWidget, settings: AppSettings, title: str, name: str, filters: str,
                  suffix: str) -> str:
    """A file to write, chosen in a dialog that starts in the last folder; suffix is added if
    the user left it out ('' if cancelled)."""
    start = name if os.path.isabs(name) else os.path.join(settings.last_folder(), name)
    path, _ = QFileDialog.getSaveFileName(parent, title, start, filters)
    if path and not path.lower().endswith(suffix):
        path += suffix
    return path
