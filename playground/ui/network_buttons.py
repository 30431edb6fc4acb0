"""The network view's buttons at each column: − and + neurons above a hidden layer, ✕ below it
to remove the layer, and + between two columns to insert a layer there."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QToolButton, QWidget

from playground.core.spec import NetworkSpec
from playground.core.spec_edits import MAX_LAYERS, MAX_NEURONS, MIN_NEURONS
from playground.ui.network_layout import NetworkGeometry

BUTTON_STYLE = ("QToolButton { padding: 0px; border: 1px solid transparent; border-radius: 3px; }"
                "QToolButton:hover { border-color: #999999; }")


class ColumnButtons(QObject):
    """Small tool buttons laid over the view; hidden where the columns are too close for them
    (the neurons' context menu does the same)."""

    insertLayer = Signal(int)  # a new hidden layer at this index
    removeLayer = Signal(int)
    addNeuron = Signal(int)  # to this hidden layer
    removeNeuron = Signal(int)  # its last neuron

    def __init__(self, view: QWidget) -> None:
        super().__init__(view)
        self._view = view
        self._spec = NetworkSpec()
        self.add: list[QToolButton] = []  # per hidden layer
        self.remove: list[QToolButton] = []
        self.drop: list[QToolButton] = []
        self.insert: list[QToolButton] = []  # per gap between two columns
        for i in range(MAX_LAYERS):
            self.remove.append(self._button("−", f"One neuron fewer in layer {i + 1}",
                                            self.removeNeuron, i))
            self.add.append(self._button("+", f"One neuron more in layer {i + 1}",
                                         self.addNeuron, i))
            self.drop.append(self._button("✕", f"Remove layer {i + 1}", self.removeLayer, i))
        for i in range(MAX_LAYERS + 1):
            self.insert.append(self._button("+", f"Insert a hidden layer here (layer {i + 1})",
                                            self.insertLayer, i))

    def _button(self, text: str, tip: str, signal: Signal, index: int) -> QToolButton:
        button = QToolButton(self._view)
        button.setText(text)
        button.setToolTip(tip)
        button.setStyleSheet(BUTTON_STYLE)
        hint = button.minimumSizeHint()
        self.side = max(hint.width(), hint.height())
        button.setFixedSize(self.side, self.side)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.clicked.connect(lambda: signal.emit(index))
        button.hide()
        return button

    def can_add_neuron(self, layer: int) -> bool:
        """True if hidden layer `layer` may grow."""
        return self._spec.hidden[layer] < MAX_NEURONS

    def can_insert_layer(self) -> bool:
        """True if the network may have one more hidden layer."""
        return len(self._spec.hidden) < MAX_LAYERS

    def set_spec(self, spec: NetworkSpec) -> None:
        """Enable what this shape allows (placing follows with the geometry)."""
        self._spec = spec
        for i, n in enumerate(spec.hidden):
            self.add[i].setEnabled(n < MAX_NEURONS)
            self.remove[i].setEnabled(n > MIN_NEURONS)
        for button in self.insert:
            button.setEnabled(self.can_insert_layer())

    def place(self, geometry: NetworkGeometry) -> None:
        """Over and under the columns: side by side where there is room, else one above the
        other; hidden where the columns are closer than a button."""
        layers, side = len(self._spec.hidden), self.side
        spacing = geometry.spacing()
        fits = spacing >= side + 2 and len(geometry.xs) == layers + 2
        wide = spacing >= 2 * side + 2
        header = round(geometry.top - 2 - side * (1 if wide else 2))
        # just under the lowest node, so the buttons stay near the columns they change
        lowest = max((c[:, 1].max() for c in geometry.centres if len(c)), default=0.0)
        footer = round(min(lowest + geometry.node / 2 + 4, geometry.bottom + 2))
        for i in range(MAX_LAYERS):
            shown = fits and i < layers
            x = geometry.xs[i + 1] if shown else 0.0
            places = (((x - side, header), (x, header)) if wide else
                      ((x - side / 2, header + side), (x - side / 2, header)))
            for button, (bx, by) in zip((self.remove[i], self.add[i]), places, strict=True):
                button.setVisible(shown)
                button.move(round(bx), round(by))
            self.drop[i].setVisible(shown)
            self.drop[i].move(round(x - side / 2), footer)
        for i, button in enumerate(self.insert):
            shown = fits and i <= layers
            button.setVisible(shown)
            if shown:
                middle = (geometry.xs[i] + geometry.xs[i + 1]) / 2
                button.move(round(middle - side / 2), footer + (0 if wide else side))
