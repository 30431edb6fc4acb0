"""A message banner that lies over the top of a widget (the plot) instead of pushing it down."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from playground.ui import theme

BANNER_MARGIN = 6  # pixels between the banner and the host's edges


class MessageBanner(QFrame):
    """A warning with a close button over the top of its host; hidden until show_message."""

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.setObjectName("banner")
        self.setStyleSheet(theme.BANNER_STYLE)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Close this message")
        self.close_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.close_button.clicked.connect(self.hide)
        host.installEventFilter(self)  # follow the host's size
        self.hide()

    def text(self) -> str:
        """The message shown (or last shown)."""
        return self.label.text()

    def show_message(self, text: str) -> None:
        """Show text over the top of the host until closed or hidden."""
        self.label.setText(text)
        self._place()
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keep the banner as wide as the host when the host is resized."""
        if event.type() == QEvent.Type.Resize:
            self._place()
        return False

    def _place(self) -> None:
        """Across the host's top, as tall as the wrapped text needs."""
        width = self.parentWidget().width() - 2 * BANNER_MARGIN
        height = max(self.heightForWidth(width), self.minimumSizeHint().height())
        self.setGeometry(BANNER_MARGIN, BANNER_MARGIN, width, height)
