"""Reaching the window's File menu items in tests as a user does: by their texts."""

from __future__ import annotations

from PySide6.QtGui import QAction


def file_menu_action(window, *texts: str) -> QAction:
    """The File menu's item reached through these texts, each an item's text without its &;
    the last may be only the start of one: file_menu_action(window, "Export", "The plot")."""
    menu = window.menuBar().actions()[0].menu()
    *submenus, last = texts
    for text in submenus:
        menu = next(a.menu() for a in menu.actions() if a.text().replace("&", "") == text)
    return next(a for a in menu.actions() if a.text().replace("&", "").startswith(last))
