"""The network view: every neuron a live thumbnail, every weight a line you can read and type.

Columns of nodes: the input features, each hidden layer, the outputs. A node shows its neuron's
output over the plane (thumbnails.py), a line is a weight (blue positive, orange negative, thick
by its size), the small square in a node's corner its bias. Hover a line or a node to read the
weight or bias, its gradient and the optimizer's state; click to type a new value; right-click
a neuron to switch it off or remove it; the buttons at each column add and remove neurons and
layers (network_buttons.py).

Paint code makes no Qt value per frame: lines, squares and labels are made when the size or the
shape changes (network_shapes.py), and a frame only chooses which pen draws which of them.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from PySide6.QtCore import QPoint, QPointF, QRect, Qt, Signal, Slot
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QLineEdit, QMenu, QSizePolicy, QWidget

from playground.core.inside import InsideView
from playground.core.parameter_state import ParameterRef, parse_parameter_value
from playground.core.reshape import Lineage
from playground.core.spec import NetworkSpec
from playground.core.spec_edits import (
    add_neuron,
    insert_layer,
    remove_layer,
    remove_neuron,
)
from playground.ui.network_buttons import ColumnButtons
from playground.ui.network_layout import NetworkGeometry, minimum_height, network_geometry
from playground.ui.network_shapes import WIDTH_STEPS, NetworkShapes, Node
from playground.ui.painting import painting
from playground.ui.thumbnails import Thumbnails, thumbnails_for

HIT_DISTANCE = 4.0  # pixels from a line that still point at it
SMOOTH_LINES = 100  # up to this many weights the lines are antialiased
MIN_WIDTH = 180


class NetworkView(QWidget):
    """Draws the latest InsideView for the designer's NetworkSpec; edits go out as signals."""

    reshapeRequested = Signal(object, object)  # NetworkSpec, Lineage
    parameterEdited = Signal(object, float, float)  # ParameterRef, value before, typed value
    switchRequested = Signal(int, int, bool)  # hidden layer, neuron, off
    neuronHovered = Signal(int, int)  # column (0: inputs), neuron; the pointer is on it
    neuronLeft = Signal()  # ... and has left it
    infoChanged = Signal(str)  # what the pointer is on, or what went wrong, in words

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(MIN_WIDTH, round(minimum_height()))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.setToolTip("")
        self.spec = NetworkSpec()
        self.inside: InsideView | None = None
        self.outputs = 1  # output nodes: as many as the output layer's weights have columns
        self.geometry_: NetworkGeometry | None = None
        self.shapes = NetworkShapes()
        self.thumbnails: Thumbnails | None = None
        self.hover: Node | ParameterRef | None = None
        self._pointer: QPointF | None = None  # where the pointer is, while it is on the view
        self._live_rect = QRect()  # where the columns are: what a new snapshot repaints
        self._groups: dict[int, list] = {}  # the lines by pen, for the InsideView _groups_of
        self._groups_of: InsideView | None = None
        self.buttons = ColumnButtons(self)
        self.buttons.insertLayer.connect(self._insert_layer)
        self.buttons.removeLayer.connect(self._remove_layer)
        self.buttons.addNeuron.connect(self._add_neuron)
        self.buttons.removeNeuron.connect(self._remove_last_neuron)
        self.editor = QLineEdit(self)
        self.editor.setPlaceholderText("value")
        self.editor.setToolTip("Type a number, Enter to apply it at the next step, Esc to cancel")
        self.editor.hide()
        self.editor.returnPressed.connect(self._apply_typed)
        self.editor.installEventFilter(self)
        self._editing: ParameterRef | None = None
        self._editing_before = 0.0

    # ---- what the window calls ------------------------------------------------------------

    def set_spec(self, spec: NetworkSpec) -> None:
        """Lay the columns out for this shape (the designer's); weights follow with the snapshot."""
        self.spec = spec
        self.buttons.set_spec(spec)
        self._relayout()

    def set_inside(self, inside: InsideView) -> None:
        """Show this snapshot of the inside (its parts the window did not ask for are None)."""
        self.inside = inside
        if inside.neuron_levels is not None:  # first: a relayout hands the levels to them
            kind = thumbnails_for(inside.neuron_levels)
            if not isinstance(self.thumbnails, kind):
                self.thumbnails = kind()
        outputs = inside.parameters.values[-1][1].shape[0]
        if outputs != self.outputs:
            self.outputs = outputs
            self._relayout()
        elif inside.neuron_levels is not None and self._matches(inside):
            self.thumbnails.set_levels(inside.neuron_levels, self.shapes.node_rects)
        self.shapes.set_switched_off(inside.switched_off if self._matches(inside) else frozenset())
        self._say_hover()
        # only the columns: the buttons over and under them would repaint too, and a styled
        # button costs a tenth of a millisecond
        self.update(self._live_rect)

    def set_colors(self, colors: list[int]) -> None:
        """Colour the thumbnails as the main heatmap is coloured."""
        if self.thumbnails is not None:
            self.thumbnails.set_colors(colors)
            self.update()

    def sizes(self) -> tuple[int, ...]:
        """Nodes per column, inputs first: what is laid out."""
        return (len(self.spec.features), *self.spec.hidden, self.outputs)

    def node_centre(self, column: int, neuron: int) -> QPoint:
        """The pixel at the centre of a node (what a mouse event needs)."""
        x, y = self.geometry_.centres[column][neuron]
        return QPoint(round(x), round(y))

    def edge_middle(self, ref: ParameterRef) -> QPoint:
        """A pixel on the line of weight ref, nearer its start (lines cross in the middle)."""
        start, end = self.shapes.edge_ends(ref)
        x, y = start + 0.3 * (end - start)
        return QPoint(round(x), round(y))

    # ---- layout ---------------------------------------------------------------------------

    def _matches(self, inside: InsideView | None) -> bool:
        """True if inside's weights are of the laid-out shape (a reshape is not drawn yet)."""
        return inside is not None and inside.parameters.layer_sizes() == self.sizes()

    def _relayout(self) -> None:
        self._groups_of = None  # new lines
        self.geometry_ = geometry = network_geometry(self.width(), self.height(), self.sizes())
        rects = geometry.node_rects()
        top, bottom = rects[:, 1].min() - 3, (rects[:, 1] + rects[:, 3]).max() + 3
        self._live_rect = QRect(0, int(top), self.width(), int(bottom - top) + 1)
        self.shapes.make(self.geometry_, self.spec, self.fontMetrics())
        self.buttons.place(self.geometry_)
        if self.thumbnails is not None and self._matches(self.inside) \
                and self.inside.neuron_levels is not None:
            self.thumbnails.set_levels(self.inside.neuron_levels, self.shapes.node_rects)
        self.editor.hide()
        # what the pointer was on may be gone or have moved (a layer removed, a new size)
        self._set_hover(self._hit(self._pointer) if self._pointer is not None else None)
        self.update()

    def resizeEvent(self, event) -> None:
        """Lay out anew for the new size."""
        self._relayout()

    # ---- painting -------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        """Lines, then nodes (thumbnails or discs), biases, labels and the hovered item."""
        shapes = self.shapes
        inside = self.inside if self._matches(self.inside) else None
        with painting(self) as painter:
            shapes.paint_labels(painter, self)
            # smooth lines cost a millisecond per hundred; a dense mesh reads as well without
            painter.setRenderHint(QPainter.RenderHint.Antialiasing,
                                  shapes.line_count() <= SMOOTH_LINES)
            if inside is not None:
                if self._groups_of is not inside:  # once per snapshot, not per paint
                    self._groups, self._groups_of = self._edge_groups(inside), inside
                for key, lines in self._groups.items():
                    painter.setPen(shapes.edge_pen(key))
                    painter.drawLines(lines)
            shapes.paint_nodes(painter, self.thumbnails if inside is not None else None, self)
            if inside is not None:
                shapes.paint_biases(painter, inside.parameters.values)
            shapes.paint_hover(painter, self.hover)

    def _edge_groups(self, inside: InsideView) -> dict[int, list]:
        """The lines of every weight, grouped by the key of the pen that draws them."""
        shapes = self.shapes
        weights = [w for w, _ in inside.parameters.values]
        largest = max((np.abs(w).max() for w in weights if w.size), default=0.0)
        scale = WIDTH_STEPS / largest if np.isfinite(largest) and largest > 0 else 0.0
        groups: dict = defaultdict(list)
        for layer, (weight, lines) in enumerate(zip(weights, shapes.edge_lines, strict=True)):
            steps = np.minimum(np.nan_to_num(np.abs(weight) * scale), WIDTH_STEPS - 1)
            keys = (weight > 0) * WIDTH_STEPS + steps.astype(int)  # (fan_in, fan_out)
            keys[~np.isfinite(weight)] = -2  # not drawn
            keys[shapes.off_edges(layer)] = -1  # greyed: a switched-off neuron's
            for key, line in zip(keys.ravel().tolist(), lines, strict=True):
                groups[key].append(line)
        groups.pop(-2, None)
        return groups

    # ---- hover ----------------------------------------------------------------------------

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Point at a node or a line: say what it is; a neuron shows in the main plot."""
        self._pointer = event.position()
        self._set_hover(self._hit(self._pointer))

    def leaveEvent(self, event) -> None:
        """The pointer left: the main plot shows the network's output again."""
        self._pointer = None
        self._set_hover(None)

    def _hit(self, pos: QPointF) -> Node | ParameterRef | None:
        """The node under pos, else the nearest line within HIT_DISTANCE, else None."""
        if self.geometry_ is None:
            return None
        node = self.shapes.node_at(pos.x(), pos.y())
        if node is not None:
            return node
        if not self._matches(self.inside):
            return None
        return self.shapes.edge_at(pos.x(), pos.y(), HIT_DISTANCE)

    def _set_hover(self, hover: Node | ParameterRef | None) -> None:
        if hover == self.hover:
            return
        was_node = isinstance(self.hover, Node)
        self.hover = hover
        if isinstance(hover, Node):
            self.neuronHovered.emit(hover.column, hover.neuron)
        elif was_node:
            self.neuronLeft.emit()
        self._say_hover()
        self.update()

    def _say_hover(self) -> None:
        """Put what the pointer is on in words (the panel shows them under the view)."""
        if self.editor.isVisible():
            return
        self.infoChanged.emit(self.describe(self.hover))

    def describe(self, item: Node | ParameterRef | None) -> str:
        """A node's or a weight's numbers, as the panel shows them."""
        if item is None:
            return ("Point at a neuron or a weight to read it; click to type a value; "
                    "right-click a neuron for more")
        shapes = self.shapes
        if isinstance(item, Node):
            title = shapes.node_name(item)
            ref = shapes.bias_of(item)
            if ref is None or not self._matches(self.inside):
                return title
            off = (item.column - 1, item.neuron) in self.inside.switched_off
            return f"{title}{' (switched off)' if off else ''} · bias {ref.name()}: " + \
                _numbers(self.inside.parameters.describe(ref))
        if not self._matches(self.inside):
            return ""
        return f"{shapes.weight_name(item)}: " + _numbers(self.inside.parameters.describe(item))

    # ---- clicks: type a value -------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """A left click on a line or a neuron opens the editor of its weight or bias."""
        if event.button() != Qt.MouseButton.LeftButton:
            return
        hit = self._hit(event.position())
        ref = self.shapes.bias_of(hit) if isinstance(hit, Node) else hit
        if ref is not None and self._matches(self.inside):
            self.open_editor(ref, event.position().toPoint())

    def open_editor(self, ref: ParameterRef, at: QPoint) -> None:
        """Show the small editor for ref at a pixel, holding its current value."""
        self._editing = ref
        self._editing_before = self.inside.parameters.value(ref)
        self.editor.setText(f"{self._editing_before:.6g}")
        self.editor.selectAll()
        width = self.editor.fontMetrics().horizontalAdvance("-0.0000000") + 12
        x = min(max(at.x() - width // 2, 0), max(self.width() - width, 0))
        y = min(at.y() + 8, self.height() - self.editor.sizeHint().height())
        self.editor.setGeometry(x, y, width, self.editor.sizeHint().height())
        self.editor.show()
        self.editor.setFocus()
        name = self.shapes.weight_name(ref) if ref.row is not None else f"bias {ref.name()}"
        self.infoChanged.emit(f"{name}: type a new value, Enter applies it, Esc cancels")

    @Slot()
    def _apply_typed(self) -> None:
        try:
            value = parse_parameter_value(self.editor.text())
        except ValueError as error:
            self.infoChanged.emit(f"<span style='color:#b00020'>{error}: nothing changed</span>")
            return
        ref, before = self._editing, self._editing_before
        self.close_editor()
        self.parameterEdited.emit(ref, before, value)

    def close_editor(self) -> None:
        """Hide the editor without applying anything."""
        self.editor.hide()
        self._editing = None
        self._say_hover()

    def eventFilter(self, watched, event) -> bool:
        """Esc closes the editor, leaving the value as it was."""
        if watched is self.editor and isinstance(event, QKeyEvent) \
                and event.type() == QKeyEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
            self.close_editor()
            return True
        return False

    # ---- the designer's side ----------------------------------------------------------------

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """A hidden neuron's menu: switch it off or on, remove it, and the layer's edits."""
        node = self.shapes.node_at(event.pos().x(), event.pos().y())
        if node is None or not 0 < node.column <= len(self.spec.hidden):
            return
        menu = self.neuron_menu(node)
        menu.exec(event.globalPos())

    def neuron_menu(self, node: Node) -> QMenu:
        """The context menu of a hidden neuron."""
        layer, neuron = node.column - 1, node.neuron
        menu = QMenu(self)
        off = self.inside is not None and (layer, neuron) in self.inside.switched_off
        switch = menu.addAction("Switch this neuron on" if off else "Switch this neuron off")
        switch.triggered.connect(lambda: self.switchRequested.emit(layer, neuron, not off))
        menu.addSeparator()
        remove = menu.addAction("Remove this neuron")
        remove.setEnabled(self.spec.hidden[layer] > 1)
        remove.triggered.connect(lambda: self._reshape(remove_neuron, layer, neuron))
        add = menu.addAction("Add a neuron to this layer")
        add.setEnabled(self.buttons.can_add_neuron(layer))
        add.triggered.connect(lambda: self._reshape(add_neuron, layer))
        menu.addSeparator()
        for text, index in (("Insert a layer before this one", layer),
                            ("Insert a layer after this one", layer + 1)):
            action = menu.addAction(text)
            action.setEnabled(self.buttons.can_insert_layer())
            action.triggered.connect(lambda _=False, i=index: self._reshape(insert_layer, i))
        drop = menu.addAction("Remove this layer")
        drop.triggered.connect(lambda: self._reshape(remove_layer, layer))
        return menu

    def _reshape(self, edit, *args: int) -> None:
        """Apply a spec edit and ask the window for it (a refusal says why)."""
        try:
            spec, lineage = edit(self.spec, *args)
        except ValueError as error:
            self.infoChanged.emit(f"<span style='color:#b00020'>{error}</span>")
            return
        self.request_reshape(spec, lineage)

    def request_reshape(self, spec: NetworkSpec, lineage: Lineage) -> None:
        """Emit a reshape; the window makes it the designer's spec, which comes back here."""
        self.reshapeRequested.emit(spec, lineage)

    @Slot(int)
    def _insert_layer(self, index: int) -> None:
        self._reshape(insert_layer, index)

    @Slot(int)
    def _remove_layer(self, index: int) -> None:
        self._reshape(remove_layer, index)

    @Slot(int)
    def _add_neuron(self, layer: int) -> None:
        self._reshape(add_neuron, layer)

    @Slot(int)
    def _remove_last_neuron(self, layer: int) -> None:
        self._reshape(remove_neuron, layer, self.spec.hidden[layer] - 1)


def _numbers(rows: list[tuple[str, float]]) -> str:
    """'value 0.4312 · gradient -0.0123 · ...'."""
    return " · ".join(f"{name} {value:.4g}" for name, value in rows)
