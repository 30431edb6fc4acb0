"""File > Export: the plot and the loss chart as pictures, the losses, the weights, scripts."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QMenu, QWidget

from playground.core.export_script import SCRIPT_KINDS, write_script
from playground.core.exports import TrainedNetwork, write_history, write_weights
from playground.ui.export_images import save_picture
from playground.ui.file_dialogs import add_action, ask_save_path
from playground.ui.settings import AppSettings
from playground.ui.workspace_io import capture_state

if TYPE_CHECKING:
    from playground.ui.main_window import MainWindow

SCRIPT_NAMES = {"numpy": "NumPy", "pytorch": "PyTorch", "micrograd": "micrograd"}


class ExportMenu(QObject):
    """Fills the Export menu; each entry asks for a file and writes it atomically."""

    def __init__(self, window: MainWindow, settings: AppSettings, menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings
        for what, widget in (("plot", window.editor), ("loss chart", window.loss_plot)):
            for fmt in ("png", "svg"):
                add_action(menu, f"The {what} as {fmt.upper()}…",
                           lambda _=False, w=widget, n=what, f=fmt: self.export_picture(w, n, f))
        menu.addSeparator()
        add_action(menu, "Loss history as CSV…", self.export_history)
        add_action(menu, "Network weights as JSON…", self.export_weights)
        for kind in SCRIPT_KINDS:
            add_action(menu, f"Python script ({SCRIPT_NAMES[kind]})…",
                       lambda _=False, k=kind: self.export_script(k),
                       tip="The trained network as a standalone script with predict(points)")

    def export_picture(self, widget: QWidget, what: str, fmt: str) -> bool:
        """The plot or the loss chart as PNG or SVG."""
        path = self._ask(f"Export the {what}", f"{what.replace(' ', '-')}.{fmt}",
                         f"{fmt.upper()} pictures (*.{fmt})", f".{fmt}")
        return bool(path) and self._export(
            lambda: save_picture(widget, path, f"micrograd playground: {what}"), path)

    @Slot()
    def export_history(self) -> bool:
        """The loss history as CSV."""
        path = self._ask("Export the loss history", "losses.csv", "CSV files (*.csv)", ".csv")
        return bool(path) and self._export(
            lambda: write_history(path, capture_state(self.window.loop).history), path)

    @Slot()
    def export_weights(self) -> bool:
        """The trained network's weights as JSON."""
        path = self._ask("Export the weights", "network.json", "JSON files (*.json)", ".json")
        return bool(path) and self._export(lambda: write_weights(path, self._network()), path)

    def export_script(self, kind: str) -> bool:
        """The trained network as a standalone Python script of this kind."""
        path = self._ask(f"Export a {SCRIPT_NAMES[kind]} script", f"network_{kind}.py",
                         "Python scripts (*.py)", ".py")
        return bool(path) and self._export(lambda: write_script(path, kind, self._network()),
                                           path)

    def _ask(self, title: str, name: str, filters: str, suffix: str) -> str:
        return ask_save_path(self.window, self.settings, title, name, filters, suffix)

    def _network(self) -> TrainedNetwork:
        return TrainedNetwork.of(capture_state(self.window.loop))

    def _export(self, write: Callable[[], None], path: str) -> bool:
        try:
            write()
        except (OSError, TimeoutError, ValueError) as error:
            self.window.show_message(f"Could not export to {path}: {error}")
            return False
        self.settings.set_last_folder(path)
        self.window.statusBar().showMessage(f"Exported {path}", 5000)
        return True
