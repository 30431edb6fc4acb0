"""The File menu's two lists: Open Recent (from the settings) and Examples (shipped)."""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QMenu

from playground.core.examples import EXAMPLES, Example
from playground.ui.settings import AppSettings


class RecentMenu(QObject):
    """Open Recent: the settings' recent files, filled each time it opens; a missing file is
    shown disabled, and one entry removes them."""

    def __init__(self, menu: QMenu, settings: AppSettings, open_path: Callable[[str], object],
                 report_ignored: Callable[[], None]) -> None:
        super().__init__(menu)
        self.menu = menu
        self._settings = settings
        self._open_path = open_path
        self._report_ignored = report_ignored
        menu.aboutToShow.connect(self.fill)

    @Slot()
    def fill(self) -> None:
        """The entries for the recent files as they are now."""
        menu = self.menu
        menu.clear()
        recent = self._settings.recent_files()
        for path in recent:
            missing = not os.path.isfile(path)
            action = menu.addAction(f"{os.path.basename(path)}"
                                    f"{'  (not found)' if missing else ''}")
            action.setToolTip(path)
            action.setStatusTip(path)
            action.setEnabled(not missing)
            action.triggered.connect(lambda _=False, p=path: self._open_path(p))
        if not recent:
            menu.addAction("(none yet)").setEnabled(False)
        menu.addSeparator()
        clear = menu.addAction("Remove files not found")
        clear.setEnabled(any(not os.path.isfile(p) for p in recent))
        clear.triggered.connect(self._prune)
        self._report_ignored()

    @Slot()
    def _prune(self) -> None:
        for path in self._settings.recent_files():
            if not os.path.isfile(path):
                self._settings.remove_recent(path)


def fill_examples(menu: QMenu, open_example: Callable[[Example], object]) -> None:
    """An entry per shipped example, its tooltip (and status tip) saying what it teaches."""
    menu.setToolTipsVisible(True)
    for example in EXAMPLES:
        action = menu.addAction(example.title)
        action.setToolTip(example.teaches)
        action.setStatusTip(example.teaches)
        action.setData(example.file)
        action.triggered.connect(lambda _=False, e=example: open_example(e))
