"""The graph's drawing: micrograd's draw_dot picture as a QGraphicsScene, updated in place.

Every drawn node is a plain Qt item (a box or a circle with one text), painted by Qt in C++
with no Python call; all edges are one path item. A new graph builds the items once; new
numbers only change the texts and fills that differ, so following training costs the
training thread little (see the README's section on why the window is drawn the way it is).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from playground.core.graph_display import NEURON, OP, DisplayGraph, related_nodes
from playground.core.graph_layout import edge_segments
from playground.core.graph_model import ComputationGraph
from playground.ui.graph_paint import (
    HOVER,
    NUMBER_TEMPLATE,
    GraphPaints,
    fill_levels,
    number_text,
    value_text,
)

NODE_HEIGHT = 30.0
OP_DIAMETER = 30.0
NEURON_HEIGHT = 40.0
PADDING = 8.0  # around a box's text
# below this zoom texts and op nodes are hidden and shapes drawn without antialiasing: too
# small to read, and a whole big graph then repaints two to three times as fast
DETAIL_ZOOM = 0.45
ZOOM_STEP = 1.15
MIN_ZOOM, MAX_ZOOM = 0.02, 4.0
FIT_MARGIN = 0.95  # fit() leaves this much of the view to the graph
MIN_START_ZOOM = 0.7  # a bigger graph opens at this zoom on its loss, not shrunk to fit
STEP_KEYS = (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_Home, Qt.Key.Key_End)


class GraphView(QGraphicsView):
    """Draws a DisplayGraph; zooms with the wheel, pans by dragging, highlights on hover."""

    activated = Signal(int)  # a drawn node was double-clicked (its index in the DisplayGraph)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState)
        self.setBackgroundBrush(QColor("#ffffff"))
        self.setMouseTracking(True)
        # panned by dragging; scroll bars coming and going would change the size fit() fitted
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.font = QFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.font.setPointSizeF(9.0)
        self.metrics = QFontMetricsF(self.font)
        self.paints = GraphPaints()
        self.graph: ComputationGraph | None = None
        self.display: DisplayGraph | None = None
        self.positions = np.zeros((0, 2))
        self.sizes = np.zeros((0, 2))
        self.boxes: list[QGraphicsItem] = []
        self.texts: list[QGraphicsSimpleTextItem | None] = []
        self._shown_text: list[str] = []
        self._fill: np.ndarray = np.zeros(0, dtype=np.int64)
        self._stale_text = self._stale_fill = np.zeros(0, dtype=bool)
        self._roles: dict[int, str] = {}
        self._hover = -1
        self._hover_related: set[int] = set()  # the hovered node and what it is connected to
        self._hidden = np.zeros(0, dtype=bool)
        self._texts_visible = True
        self._fit_pending = False  # fit() was asked before the view had its size
        self.user_moved = False  # the person zoomed or panned since the last fit
        self.edges_item = QGraphicsPathItem()
        self.highlight_item = QGraphicsPathItem()

    # ---- building ---------------------------------------------------------------------------

    def node_sizes(self, graph: ComputationGraph, display: DisplayGraph) -> np.ndarray:
        """(D, 2) width and height of every drawn node, for the layout."""
        sizes = np.empty((len(display), 2))
        for d, (kind, value) in enumerate(zip(display.kinds, display.values, strict=True)):
            if kind == OP:
                sizes[d] = (max(OP_DIAMETER, self.metrics.horizontalAdvance(graph.ops[value])
                                + 8.0), OP_DIAMETER)
            else:
                text = value_text(graph, display, d, NUMBER_TEMPLATE, NUMBER_TEMPLATE, False)
                height = NEURON_HEIGHT if kind == NEURON else NODE_HEIGHT
                sizes[d] = (self.metrics.horizontalAdvance(text) + 2 * PADDING, height)
        return sizes

    def show_graph(self, graph: ComputationGraph, display: DisplayGraph, positions: np.ndarray,
                   sizes: np.ndarray) -> None:
        """Replace the scene with this graph's nodes at positions (D, 2) of size sizes (D, 2)."""
        scene = self.scene()
        scene.clear()
        self.graph, self.display = graph, display
        self.positions = np.array(positions, dtype=np.float64)
        self.sizes = sizes
        self.boxes, self.texts, self._shown_text = [], [], []
        self._roles, self._hover, self._hover_related = {}, -1, set()
        self._hidden = np.zeros(len(display), dtype=bool)
        self._fill = np.full(len(display), -1, dtype=np.int64)  # brush shown per drawn node
        self._known = np.ones(len(display), dtype=bool)  # text in the known colour
        self._stale_text = np.zeros(len(display), dtype=bool)
        self._stale_fill = np.zeros(len(display), dtype=bool)
        for d in range(len(display)):
            w, h = sizes[d]
            kind = display.kinds[d]
            if kind == OP:
                box = QGraphicsEllipseItem(-w / 2, -h / 2, w, h)
                box.setBrush(self.paints.op_brush)
                text_value = graph.ops[display.values[d]]
            else:
                box = QGraphicsRectItem(-w / 2, -h / 2, w, h)
                text_value = ""
            box.setPen(self.paints.loss_pen if display.values[d] == graph.root and kind != OP
                       else self.paints.pens[None])
            box.setData(0, d)
            text = QGraphicsSimpleTextItem(text_value, box)
            text.setFont(self.font)
            text.setBrush(self.paints.text_brush)
            text.setData(0, d)
            if kind == OP:
                advance = self.metrics.horizontalAdvance(text_value)
                text.setPos(-advance / 2, -self.metrics.height() / 2)
            else:
                text.setPos(-w / 2 + PADDING, -self.metrics.height() / 2)
            scene.addItem(box)
            self.boxes.append(box)
            self.texts.append(text)
            self._shown_text.append(text_value)
        self.edges_item = QGraphicsPathItem()
        self.edges_item.setPen(self.paints.edge_pen)
        self.edges_item.setZValue(-2)
        self.highlight_item = QGraphicsPathItem()
        self.highlight_item.setPen(self.paints.highlight_pen)
        self.highlight_item.setZValue(-1)
        scene.addItem(self.edges_item)
        scene.addItem(self.highlight_item)
        self._texts_visible = True  # as the new items are; set_detail() below follows the zoom
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.move_nodes(positions)
        self._update_text_visibility()

    def clear_graph(self) -> None:
        """Show nothing."""
        self.scene().clear()
        self.graph = self.display = None
        self.boxes, self.texts, self._shown_text = [], [], []
        self.positions = np.zeros((0, 2))
        self._stale_text = self._stale_fill = np.zeros(0, dtype=bool)

    def move_nodes(self, positions: np.ndarray) -> None:
        """Put every drawn node at its new centre (D, 2) and redraw the edges."""
        self.positions = np.array(positions, dtype=np.float64)
        for box, (x, y) in zip(self.boxes, self.positions.tolist(), strict=True):
            box.setPos(x, y)
        self._draw_edges()
        pad = 60.0
        if len(self.positions):
            lo = self.positions.min(axis=0) - self.sizes.max(axis=0) - pad
            hi = self.positions.max(axis=0) + self.sizes.max(axis=0) + pad
            self.scene().setSceneRect(QRectF(lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1]))
        self._catch_up()

    def _edge_path(self, edges: np.ndarray) -> QPainterPath:
        """Lines from box border to box border with an arrowhead each, as one path."""
        if len(edges) == 0:
            return QPainterPath()
        points = edge_segments(self.positions, self.sizes, edges)  # (6E, 2)
        return pg.arrayToQPath(points[:, 0], points[:, 1], connect="pairs")

    def _visible_edges(self) -> np.ndarray:
        edges = self.display.edges
        return edges[~(self._hidden[edges[:, 0]] | self._hidden[edges[:, 1]])]

    def _draw_edges(self) -> None:
        if self.display is None:
            return
        self.edges_item.setPath(self._edge_path(self._visible_edges()))
        self._draw_highlight()

    # ---- numbers ----------------------------------------------------------------------------

    def set_numbers(self, data: np.ndarray, grad: np.ndarray, known: np.ndarray | None = None,
                    flagged: np.ndarray | None = None) -> None:
        """Show these values (N,) in the boxes, and known (N,) / flagged (N,) marks.

        Only the boxes in sight change now, and only where their text or fill differs; the
        others catch up when they come into sight (a pan or a zoom): each change is a call into
        Qt, which waits for the interpreter lock while training runs.
        """
        graph = self.graph
        if graph is None:
            return
        n = len(graph)
        self._numbers = (data, grad, np.ones(n, dtype=bool) if known is None else known,
                         np.zeros(n, dtype=bool) if flagged is None else flagged)
        self._fills = fill_levels(grad)
        boxes = self.display.kinds != OP
        self._stale_text[:] = boxes
        self._stale_fill[:] = boxes
        self._catch_up()

    def _in_sight(self) -> np.ndarray:
        """(D,) True for the drawn nodes inside the viewport."""
        rect = self.mapToScene(self.viewport().rect()).boundingRect()
        centre = np.array([rect.center().x(), rect.center().y()])
        half = np.array([rect.width(), rect.height()]) / 2 + self.sizes / 2  # (D, 2)
        return np.all(np.abs(self.positions - centre) <= half, axis=1)

    def _catch_up(self, everything: bool = False) -> None:
        """Bring the stale boxes in sight (or every one) up to date."""
        if self.graph is None or not (self._stale_fill.any() or self._stale_text.any()):
            return
        wanted = np.ones(len(self.display), dtype=bool) if everything else self._in_sight()
        data, grad, known, flagged = self._numbers
        paints = self.paints
        for d in np.flatnonzero(self._stale_fill & wanted):
            fill = self._fills[self.display.values[d]]
            if fill != self._fill[d]:
                self._fill[d] = fill
                self.boxes[d].setBrush(paints.not_finite_brush if fill < 0 else
                                       paints.brushes[fill])
        self._stale_fill &= ~wanted
        if not (self._texts_visible or everything):
            return  # zoomed out: texts are hidden, they catch up once they show
        graph, display = self.graph, self.display
        for d in np.flatnonzero(self._stale_text & wanted):
            value = display.values[d]
            shown = bool(known[value])
            text = value_text(graph, display, d, number_text(data[value]) if shown else "?",
                                    number_text(grad[value]), bool(flagged[value]))
            if text != self._shown_text[d]:
                self._shown_text[d] = text
                item = self.texts[d]
                item.setText(text)
                if shown != self._known[d]:
                    self._known[d] = shown
                    item.setBrush(self.paints.text_brush if shown else self.paints.unknown_brush)
        self._stale_text &= ~wanted

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        """A pan: boxes coming into sight catch up with the numbers."""
        super().scrollContentsBy(dx, dy)
        self._catch_up()

    # ---- highlights -------------------------------------------------------------------------

    def set_roles(self, roles: dict[int, str]) -> None:
        """Highlight drawn nodes (STEP, CHILD, MATCH), replacing the previous ones."""
        changed = set(self._roles) | set(roles)
        self._roles = dict(roles)
        self._restyle(changed)

    def _restyle(self, nodes: Iterable[int]) -> None:
        related = self._hover_related
        for d in nodes:
            role = self._roles.get(d) or (HOVER if d in related else None)
            if role is None and self.display.values[d] == self.graph.root \
                    and self.display.kinds[d] != OP:
                self.boxes[d].setPen(self.paints.loss_pen)
            else:
                self.boxes[d].setPen(self.paints.pens[role])

    def set_hover(self, d: int) -> None:
        """Highlight what node d comes from and what it feeds (-1: nothing)."""
        if d == self._hover:
            return
        before = self._hover_related
        self._hover = d
        self._hover_related = related_nodes(self.display, d) if d >= 0 else set()
        self._restyle(before | self._hover_related)
        self._draw_highlight()

    def _draw_highlight(self) -> None:
        related = self._hover_related
        if not related:
            self.highlight_item.setPath(QPainterPath())
            return
        edges = self._visible_edges()
        inside = np.isin(edges, list(related)).all(axis=1)
        self.highlight_item.setPath(self._edge_path(edges[inside]))

    def hide_nodes(self, hidden: np.ndarray) -> None:
        """Hide the drawn nodes where hidden (D,) is True, and their edges."""
        for d in np.flatnonzero(hidden != self._hidden):
            self.boxes[d].setVisible(not hidden[d] and (self._texts_visible
                                                        or self.display.kinds[d] != OP))
        self._hidden = hidden.copy()
        self._draw_edges()

    # ---- view -------------------------------------------------------------------------------

    def node_at(self, pos) -> int:
        """The drawn node under a viewport position, -1 if none."""
        item = self.itemAt(pos)
        if item is None or item.data(0) is None:
            return -1
        return int(item.data(0))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Hovering a node highlights its inputs and users; dragging pans."""
        super().mouseMoveEvent(event)
        if event.buttons() == Qt.MouseButton.NoButton and self.display is not None:
            self.set_hover(self.node_at(event.position().toPoint()))

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """Double-click a node: its neuron collapses or expands."""
        d = self.node_at(event.position().toPoint())
        if d >= 0:
            self.activated.emit(d)
        else:
            super().mouseDoubleClickEvent(event)

    def leaveEvent(self, event) -> None:
        super().leaveEvent(event)
        if self.display is not None:
            self.set_hover(-1)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """The arrows, Space, Home and End step backpropagation (the window's), not scroll."""
        if Qt.Key(event.key()) in STEP_KEYS:
            event.ignore()
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """A press starts a pan (ScrollHandDrag): the view is the person's from now on."""
        self.user_moved = True
        super().mousePressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Zoom in or out around the mouse."""
        self.user_moved = True
        self.zoom_by(ZOOM_STEP if event.angleDelta().y() > 0 else 1.0 / ZOOM_STEP)

    def zoom(self) -> float:
        """The current scale (1: one scene unit per pixel)."""
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        """Scale the view, within MIN_ZOOM and MAX_ZOOM."""
        factor = min(max(self.zoom() * factor, MIN_ZOOM), MAX_ZOOM) / self.zoom()
        self.scale(factor, factor)
        self._update_text_visibility()

    def _update_text_visibility(self) -> None:
        self.set_detail(self.zoom() >= DETAIL_ZOOM)

    @property
    def texts_visible(self) -> bool:
        """False while the view is zoomed out too far to read them."""
        return self._texts_visible

    def set_detail(self, detailed: bool, everything: bool = False) -> None:
        """Texts, op nodes and antialiasing on or off; everything: every box up to date now
        (for exporting a picture)."""
        if detailed != self._texts_visible:
            self._texts_visible = detailed
            self.setRenderHint(QPainter.RenderHint.Antialiasing, detailed)
            for text in self.texts:
                text.setVisible(detailed)
            for d in np.flatnonzero(self.display.kinds == OP) if self.display else ():
                self.boxes[d].setVisible(detailed and not self._hidden[d])
        self._catch_up(everything=everything)

    def resizeEvent(self, event) -> None:
        """A fit asked for before the view was shown happens once it has its size."""
        super().resizeEvent(event)
        if self._fit_pending:
            self.fit()
        self._catch_up()

    def fit(self, min_zoom: float = MIN_START_ZOOM) -> None:
        """Show the whole graph if it fits at min_zoom or more, else its loss end at min_zoom."""
        if self.display is None or not len(self.positions):
            return
        self._fit_pending = not self.isVisible()
        self.user_moved = False
        rect = self.scene().itemsBoundingRect()
        self.resetTransform()
        view = self.viewport().rect()
        zoom = FIT_MARGIN * min(view.width() / max(rect.width(), 1.0),
                                view.height() / max(rect.height(), 1.0))
        zoom = min(1.0, max(zoom, min_zoom))
        self.scale(zoom, zoom)
        self._update_text_visibility()
        if zoom > min_zoom:
            self.centerOn(rect.center())
        else:  # the loss near the right edge, where backpropagation starts
            root = self.display.box_of[self.graph.root]
            x, y = self.positions[root]
            self.centerOn(x + self.sizes[root, 0] / 2 + PADDING - view.width() / zoom / 2, y)
        self._catch_up()

    def bring_into_sight(self, d: int, others: list[int]) -> None:
        """Scroll node d into sight, with the others too if they fit around it."""
        if d < 0:
            return
        corners = [self.positions[k] + sign * self.sizes[k] / 2 for k in (d, *others)
                   for sign in (-1, 1)]
        lo, hi = np.min(corners, axis=0), np.max(corners, axis=0)
        view = self.mapToScene(self.viewport().rect()).boundingRect()
        if hi[0] - lo[0] > view.width() or hi[1] - lo[1] > view.height():
            lo, hi = self.positions[d] - self.sizes[d] / 2, self.positions[d] + self.sizes[d] / 2
        self.ensureVisible(QRectF(lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1]), 40, 40)
        self._catch_up()

    def center_on_node(self, d: int) -> None:
        """Scroll so drawn node d is in the middle."""
        x, y = self.positions[d]
        self.centerOn(x, y)
        self._catch_up()
