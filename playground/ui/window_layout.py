"""The window's panels side by side with splitters between them, and their sizes remembered.

From left to right: the data and the designer (a scrolling panel), the main area (the plot with
the gradient health under it, and the hidden-layer space beside it when chosen), the network
panel, and the training controls over the loss curve (and, for several classes, the confusion
matrix). The splitters' sizes and the window's are
kept in the app's settings (settings.AppSettings) for the next start.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from playground.ui.banner import MessageBanner
from playground.ui.settings import AppSettings

SIDE_PANEL_WIDTH = 330
# the smallest window still shows every control whole and the plot's data area this square
MIN_PLOT_AREA = 300
PLOT_MARGINS = 10  # pixels the plot item keeps around its axes and data area
PLOT_SHARE = 0.62  # of the width between the side panels, at first start (with the hidden
# space beside the plot, the two share it)
DEFAULT_SIZE = (1440, 860)  # at first start, if the screen has room (else the screen's size)
HIDDEN_SPACE_WIDTH = 420  # the window is this much wider when it starts with the hidden space


class WindowLayout(QObject):
    """Builds the window's panels into its central widget; sizes them, saves and restores."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._default_sizes = True  # not sized yet: the first show sizes the panels
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(window.data_controls)
        left_layout.addWidget(window.designer)
        left_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        # room for the scroll bar besides the panel, so it never covers the values on the right
        scroll.setFixedWidth(SIDE_PANEL_WIDTH + scroll.verticalScrollBar().sizeHint().width())
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        plot = QWidget()
        plot_layout = QVBoxLayout(plot)
        plot_layout.setContentsMargins(0, 0, 0, 0)
        plot_layout.addWidget(window.editor, 1)
        plot_layout.addWidget(window.output_legend)
        under_plot = QHBoxLayout()
        under_plot.addStretch(1)
        window.point_loss_box.setToolTip("Draw each point sized by its current loss, so the "
                                         "points the network gets most wrong stand out; the "
                                         "status bar names the worst (Ctrl+L)")
        under_plot.addWidget(window.point_loss_box)
        plot_layout.addLayout(under_plot)
        # over the top of the plot, not above it: a message does not push the plot down
        self.message = MessageBanner(plot)
        # the plot over the gradient health, so the plot stays about square
        self.plot_and_health = self._splitter("plot-health", Qt.Orientation.Vertical,
                                              plot, window.inside.health)
        self.plot_and_health.setStretchFactor(0, 1)
        # the main area: that, and the hidden-layer space beside it when chosen
        self.main_area = self._splitter("main-area", Qt.Orientation.Horizontal,
                                        self.plot_and_health, window.inside.hidden_view)

        right = QWidget()
        right.setFixedWidth(SIDE_PANEL_WIDTH)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(window.training)
        loss_header = QHBoxLayout()
        loss_header.addWidget(QLabel("<b>Loss</b>"))
        loss_header.addStretch(1)
        loss_header.addWidget(window.log_scale)
        right_layout.addLayout(loss_header)
        right_layout.addWidget(window.loss_plot, 1)
        right_layout.addWidget(window.confusion_caption)  # shown for several classes only
        right_layout.addWidget(window.confusion)

        self.panels = self._splitter("panels", Qt.Orientation.Horizontal,
                                     scroll, self.main_area, window.inside.panel, right)
        self.panels.setStretchFactor(1, 1)  # a wider window widens the plot
        self.panels.setStretchFactor(2, 0)
        self._network_width: int | None = None  # what the network panel keeps on a resize
        self.panels.splitterMoved.connect(self._on_splitter_moved)
        self.panels.installEventFilter(self)
        body = QWidget()
        QHBoxLayout(body).addWidget(self.panels)
        window.setCentralWidget(body)
        self._set_minimum_size()
        self.resize_to_default()

    @staticmethod
    def _splitter(name: str, orientation: Qt.Orientation, *widgets: QWidget) -> QSplitter:
        splitter = QSplitter(orientation)
        splitter.setObjectName(name)
        splitter.setChildrenCollapsible(False)
        for widget in widgets:
            splitter.addWidget(widget)
        return splitter

    def splitters(self) -> tuple[QSplitter, ...]:
        """Every splitter whose sizes are remembered."""
        return self.panels, self.main_area, self.plot_and_health

    def _set_minimum_size(self) -> None:
        """Small enough for a laptop, large enough that the plot stays square and readable.

        The window's minimum follows from its panels' (Qt adds them up): this sets the plot's.
        """
        editor = self.window.editor
        plot = editor.getPlotItem()
        # the axes take a strip on the left and at the bottom, the plot item a margin around
        left, bottom = plot.getAxis("left").width(), plot.getAxis("bottom").height()
        editor.setMinimumSize(round(MIN_PLOT_AREA + left + PLOT_MARGINS),
                              round(MIN_PLOT_AREA + bottom + PLOT_MARGINS))

    def resize_to_default(self) -> None:
        """DEFAULT_SIZE (wider by the hidden space if it shows), or the screen's available size
        if smaller."""
        width, height = DEFAULT_SIZE
        if self.window.inside.hidden_view.isVisibleTo(self.window):
            width += HIDDEN_SPACE_WIDTH
        screen = self.window.screen()
        if screen is not None:
            room = screen.availableGeometry()
            width, height = min(width, room.width()), min(height, room.height())
        self.window.resize(width, height)

    @Slot()
    def keep_on_screen(self) -> None:
        """Move the window left where a wider minimum (the hidden space shown) pushed its
        right edge past its screen's."""
        window = self.window
        screen = window.screen()
        if screen is None or window.isMaximized() or window.isFullScreen():
            return
        frame = window.frameGeometry()
        # Qt may not have widened the window yet: it grows by what the panels lack
        frame.setWidth(frame.width() + max(0, self.panels.minimumSizeHint().width()
                                           - self.panels.width()))
        left = left_on_screen(frame, screen.availableGeometry())
        if left != frame.left():
            window.move(left, frame.top())

    def shown(self) -> None:
        """At the first show with no remembered layout (Qt lays a splitter's children out only
        once shown): the plot about square, the network beside it, the health under it."""
        if not self._default_sizes:
            return
        self._default_sizes = False
        window = self.window
        column = sum(self.plot_and_health.sizes())
        sizes = self.panels.sizes()
        middle = sizes[1] + sizes[2]
        under_plot = column - window.editor.height()  # the legend and the loss box
        health = window.inside.health.minimumSizeHint().height()
        network = window.inside.panel.minimumSizeHint().width()
        hidden = window.inside.hidden_view.isVisibleTo(window)
        plots = 2 if hidden else 1  # the hidden space as wide as the plot, beside it
        plot = round(min(PLOT_SHARE * middle / plots, column - health - under_plot,
                         (middle - network) / plots))
        self.panels.setSizes([sizes[0], plots * plot, middle - plots * plot, sizes[3]])
        self._network_width = self.panels.sizes()[2]  # what it got (the window may be small)
        self.main_area.setSizes([plot] * plots)
        self.plot_and_health.setSizes([plot + under_plot, column - plot - under_plot])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A resized window widens or narrows the main area: the network panel keeps the width
        it was given (the person drags the splitter to change it)."""
        if event.type() == QEvent.Type.Resize and self._network_width is not None:
            # after the splitter has laid itself out for the new size (filters come first)
            QTimer.singleShot(0, self._keep_network_width)
        return False

    @Slot()
    def _keep_network_width(self) -> None:
        sizes = self.panels.sizes()
        network = max(min(self._network_width, sizes[1] + sizes[2]
                          - self.main_area.minimumSizeHint().width()),
                      self.window.inside.panel.minimumSizeHint().width())
        if network != sizes[2]:
            sizes[1] += sizes[2] - network
            sizes[2] = network
            self.panels.setSizes(sizes)

    @Slot()
    def _on_splitter_moved(self) -> None:
        self._network_width = self.panels.sizes()[2]

    def restore(self, settings: AppSettings) -> bool:
        """The splitters' sizes and the window's size as the last window left them; False if
        there were none. What cannot be used is named in settings.ignored."""
        geometry = settings.geometry()
        if geometry is None:
            return False
        if not self.window.restoreGeometry(geometry):
            settings.ignored.append("the saved window size and position are not readable")
            return False
        self._default_sizes = False
        for splitter in self.splitters():
            state = settings.splitter_state(splitter.objectName())
            if state is not None and not splitter.restoreState(state):
                settings.ignored.append(f"the saved sizes of the {splitter.objectName()} "
                                        "splitter are not readable")
        self._network_width = self.panels.sizes()[2] or None
        return True

    def save(self, settings: AppSettings) -> None:
        """Remember the window's size and the splitters' for the next start."""
        settings.set_geometry(self.window.saveGeometry())
        for splitter in self.splitters():
            settings.set_splitter_state(splitter.objectName(), splitter.saveState())


def left_on_screen(frame: QRect, room: QRect) -> int:
    """The left edge that puts frame's right edge inside room, but never left of room's own."""
    return max(room.left(), min(frame.left(), room.right() - frame.width() + 1))
