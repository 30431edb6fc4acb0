"""The network's own panel beside the plot: the network view over what the pointer is on."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from playground.ui.network_view import NetworkView


class NetworkPanel(QWidget):
    """The network view over an info line: the weight, bias or neuron under the pointer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = NetworkView()
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.RichText)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # three lines always: the view does not jump as the text changes
        self.info.setMinimumHeight(3 * self.info.fontMetrics().lineSpacing() + 4)
        self.info.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(QLabel("<b>Inside the network</b>"))
        layout.addWidget(self.view, 1)
        layout.addWidget(self.info)
        self.view.infoChanged.connect(self._show_info)
        self.info.setText(self.view.describe(None))

    @Slot(str)
    def _show_info(self, text: str) -> None:
        """Say what the view says (a label set to the same text would lay itself out again)."""
        if text != self.info.text():
            self.info.setText(text)
