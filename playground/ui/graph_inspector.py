"""The computation-graph inspector: one sample's scalar Value graph, data and grad on each node."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Slot
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QWheelEvent
from PySide6.QtWidgets import (
    QDialog,
    QGraphicsLineItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engine.graph import GraphNode, trace
from engine.layers import Network
from engine.value import Value
from playground.core.features import feature_matrix
from playground.core.problems import Problem
from playground.ui import theme

if TYPE_CHECKING:
    from playground.ui.main_window import MainWindow

Weights = Sequence[tuple[np.ndarray, np.ndarray]]  # per layer: weight (fan_in, fan_out), bias
NODE_WIDTH, NODE_HEIGHT = 120.0, 62.0
COLUMN_GAP, ROW_GAP = 44.0, 12.0
ZOOM_STEP = 1.15
MIN_START_ZOOM = 0.6  # below this the numbers are too small to read; scroll instead


def network_from_weights(weights: Weights, activations: Sequence[str]) -> Network:
    """A Network of the weights' shape holding copies of them (training cannot touch it)."""
    nouts = [w.shape[1] for w, _ in weights]
    network = Network(weights[0][0].shape[0], nouts, list(activations), rng=0)
    for layer, (weight, bias) in zip(network.layers, weights, strict=True):
        layer.weight.data = np.array(weight, dtype=np.float64)  # (fan_in, fan_out)
        layer.bias.data = np.array(bias, dtype=np.float64)  # (fan_out,)
    return network


def sample_loss(network: Network, features: Sequence[str], point: np.ndarray, truth: float,
                loss: str, problem: Problem) -> Value:
    """The Value graph of one point's loss, after backward(): every node has its grad."""
    row = feature_matrix(np.asarray(point).reshape(1, 2), features)[0]  # (F,)
    out = network.scalar_graph(row, input_labels=list(features))
    outputs = out if isinstance(out, list) else [out]
    target = problem.sample_target(truth, loss)  # as the session trains
    total = problem.sample_loss(outputs, target, loss)
    total.label = "loss"
    total.backward()
    return total


def columns_and_rows(nodes: list[GraphNode], edges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(column, row) of every node: the loss rightmost, each node left of all its users.

    A node's column comes from its longest path to the loss, so a weight stands just left of
    the sum that uses it. Rows follow the users' mean row (fewer crossing lines), then the
    order of a node's inputs.
    """
    parents: dict[int, list[int]] = defaultdict(list)
    slot: dict[int, int] = {}  # place among its first user's inputs: weights, inputs, bias
    used: dict[int, int] = defaultdict(int)
    for child, parent in edges:
        parents[child].append(parent)
        slot.setdefault(child, used[parent])
        used[parent] += 1
    to_root = [0] * len(nodes)
    for node in reversed(nodes):  # parents come after children, so they are done first
        to_root[node.index] = max((to_root[p] + 1 for p in parents[node.index]), default=0)
    deepest = max(to_root, default=0)
    row = [0] * len(nodes)
    for depth in range(deepest + 1):  # right to left: users are placed before their children
        column = [n.index for n in nodes if to_root[n.index] == depth]
        column.sort(key=lambda i: (np.mean([row[p] for p in parents[i]]) if parents[i] else 0,
                                   slot.get(i, 0), i))
        for r, i in enumerate(column):
            row[i] = r
    return [(deepest - to_root[i], row[i]) for i in range(len(nodes))]


class NodeItem(QGraphicsRectItem):
    """One node's box: label and op, then data and grad to 4 significant digits."""

    def __init__(self, node: GraphNode, kind: str) -> None:
        super().__init__(0.0, 0.0, NODE_WIDTH, NODE_HEIGHT)
        self.node = node
        fills = {"input": "#e3f0f9", "parameter": "#fdf0df", "loss": "#f6e3f7"}
        self.setBrush(QBrush(QColor(fills.get(kind, "#ffffff"))))
        self.setPen(QPen(QColor("#555555"), 2.0 if kind == "loss" else 1.0))
        self.setToolTip(f"{node.label or node.op}: data {node.data!r}, grad {node.grad!r}")
        title = f"{node.label}   {node.op}" if node.label else node.op or "constant"
        lines = (title.strip(),
                 f"data {node.data:.4g}", f"grad {node.grad:.4g}")
        for k, text in enumerate(lines):
            item = QGraphicsSimpleTextItem(text, self)
            font = QFont(item.font())
            font.setPointSizeF(10.0)
            font.setBold(k == 0)
            item.setFont(font)
            if k == 2:  # the gradient in the playground's colours: blue up, orange down
                item.setBrush(QColor(theme.BLUE if node.grad > 0 else
                                     theme.ORANGE if node.grad < 0 else "#777777"))
            item.setPos(8.0, 5.0 + 18.0 * k)


class GraphView(QGraphicsView):
    """A scene viewer that zooms with the mouse wheel and scrolls by dragging."""

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Zoom in or out around the mouse."""
        factor = ZOOM_STEP if event.angleDelta().y() > 0 else 1.0 / ZOOM_STEP
        self.scale(factor, factor)

    def fit(self) -> None:
        """Show the whole graph if it stays readable, else its right end (the loss) zoomed in."""
        rect = self.scene().itemsBoundingRect()
        self.resetTransform()
        view = self.viewport().rect()
        zoom = min(view.width() / max(rect.width(), 1.0), view.height() / max(rect.height(), 1.0))
        zoom = min(1.0, max(zoom, MIN_START_ZOOM))
        self.scale(zoom, zoom)
        self.centerOn(rect.right(), rect.center().y())


class GraphInspector(QDialog):
    """Draws the loss graph of one training point with the weights the window last drew."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Computation graph")
        self.main_window = window
        self.scene = QGraphicsScene(self)
        self.view = GraphView(self.scene)
        self.sample = QSpinBox()
        self.sample.setPrefix("training point ")
        self.sample.setToolTip("Which training point to feed through the network")
        self.summary = QLabel()
        refresh = QPushButton("Refresh")
        refresh.setToolTip("Read the current weights again")
        fit = QPushButton("Fit")
        bar = QHBoxLayout()
        for widget in (self.sample, self.summary):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(fit)
        bar.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.resize(1100, 760)
        self.nodes: list[GraphNode] = []
        self.node_items: list[NodeItem] = []
        self._waiting = False  # no weights to show yet: draw on the window's next frame
        self.sample.valueChanged.connect(self.refresh)
        refresh.clicked.connect(self.refresh)
        fit.clicked.connect(self.view.fit)
        window.frameDrawn.connect(self._on_frame)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Rebuild the graph from the window's newest drawn weights and the chosen point."""
        window = self.main_window
        points, labels = window.dataset.train_split()
        problem = window.dataset.problem()
        self.sample.blockSignals(True)
        self.sample.setRange(1, max(len(labels), 1))
        self.sample.blockSignals(False)
        # the weights come from the worker's snapshot, copied between two steps; the session's
        # own arrays change under the training thread
        drawn, spec = window.drawn_weights, window.designer.spec()
        sizes = None if drawn is None else tuple(w.shape[1] for w, _ in drawn[1])
        if len(labels) == 0 or drawn is None or (drawn[0], sizes) != (
                spec.features, (*spec.hidden, problem.output_size)):
            self._waiting = len(labels) > 0
            self.summary.setText("add training points first" if len(labels) == 0 else
                                 "waiting for the network's weights…")
            self._draw([], [])
            return
        self._waiting = False
        i = self.sample.value() - 1
        loss = window.training.config().loss
        network = network_from_weights(drawn[1], spec.activations)
        root = sample_loss(network, spec.features, points[i], labels[i].item(), loss, problem)
        truth = (theme.CLASS_NAMES[int(labels[i])] if problem.n_classes else
                 f"target {labels[i]:.3g}")
        self.summary.setText(f"({points[i][0]:.3g}, {points[i][1]:.3g}), {truth}; {loss} "
                             f"loss {root.data:.4g}. Wheel zooms, drag scrolls.")
        self._draw(*trace(root))

    def _draw(self, nodes: list[GraphNode], edges: list[tuple[int, int]]) -> None:
        """Replace the scene with boxes for nodes and lines for edges."""
        self.scene.clear()
        self.nodes = nodes
        places = columns_and_rows(nodes, edges)
        heights: dict[int, int] = defaultdict(int)
        for column, _ in places:
            heights[column] += 1
        tallest = max(heights.values(), default=0)
        inputs = set(self.main_window.designer.spec().features)
        self.node_items = []
        for node, (column, row) in zip(nodes, places, strict=True):
            leaf = not node.op
            kind = ("loss" if node.label == "loss" else "input" if leaf and node.label in inputs
                    else "parameter" if leaf and node.label else "op")
            item = NodeItem(node, kind)
            offset = (tallest - heights[column]) / 2  # centre short columns
            item.setPos(column * (NODE_WIDTH + COLUMN_GAP),
                        (row + offset) * (NODE_HEIGHT + ROW_GAP))
            self.scene.addItem(item)
            self.node_items.append(item)
        pen = QPen(QColor("#9aa0a6"), 1.2)
        for child, parent in edges:
            start = self.node_items[child].sceneBoundingRect()
            end = self.node_items[parent].sceneBoundingRect()
            line = QGraphicsLineItem(start.right(), start.center().y(),
                                     end.left(), end.center().y())
            line.setPen(pen)
            line.setZValue(-1)  # under the boxes
            self.scene.addItem(line)
        self.scene.setSceneRect(self.scene.itemsBoundingRect().adjusted(-20, -20, 20, 20))
        self.view.fit()

    def node_item(self, label: str) -> NodeItem:
        """The drawn box of the node with this label."""
        return next(item for item in self.node_items if item.node.label == label)

    @Slot()
    def _on_frame(self) -> None:
        if self._waiting and self.isVisible():
            self.refresh()
