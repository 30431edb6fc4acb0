"""Train a set number of epochs, save a picture of the window, and quit (the CLI's --screenshot)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QApplication

from playground.core.atomic import write_atomic
from playground.ui.export_images import image_bytes
from playground.ui.main_window import MainWindow


class ScreenshotAfterTraining(QObject):
    """Quits the app with 0 once the window shows epoch `epochs` and its picture is saved."""

    def __init__(self, window: MainWindow, epochs: int, path: Path) -> None:
        super().__init__(window)
        self.window = window
        self.epochs = epochs
        self.path = path
        self.saved = False
        window.frameDrawn.connect(self._on_frame)
        window.worker.halted.connect(self._on_stopped_early)
        window.worker.errored.connect(self._on_stopped_early)
        if epochs > 0:
            window.train_epochs(epochs)

    @Slot()
    def _on_frame(self) -> None:
        result = self.window.drawn_result
        reached = result.epoch if result is not None else 0
        if reached >= self.epochs:
            self._save_and_quit(0)

    @Slot(str)
    def _on_stopped_early(self, message: str) -> None:
        self.window.redraw()
        print(f"training stopped before epoch {self.epochs}: {message}", file=sys.stderr)
        self._save_and_quit(1)

    def _save_and_quit(self, code: int) -> None:
        if self.saved:
            return
        self.saved = True
        self.window.draw_pending()
        fmt = self.path.suffix[1:].upper()
        try:  # atomic, as every file the app writes: a kill leaves no half picture
            write_atomic(self.path, image_bytes(self.window.grab(), fmt))
        except OSError as error:
            print(f"could not write {self.path}: {error}", file=sys.stderr)
            code = 1
        else:
            print(f"saved {self.path}")
        QApplication.instance().exit(code)
