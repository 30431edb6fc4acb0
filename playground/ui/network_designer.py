"""Shape the network: input features, number of hidden layers, neurons and activation per layer."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from playground.core.features import FEATURE_LABELS, FUNCTION_FEATURES, PLANE_FEATURES
from playground.core.limits import OFFERED
from playground.core.spec import ACTIVATION_CHOICES, NetworkSpec
from playground.ui.sliders import LabeledSlider

MIN_NEURONS, MAX_NEURONS = OFFERED.neurons
MIN_LAYERS, MAX_LAYERS = OFFERED.hidden_layers
DEFAULT_NEURONS = (4, 2, 2, 2, 2, 2)  # one per layer the designer offers


class LayerRow(QWidget):
    """One hidden layer: a neurons slider and an activation choice."""

    changed = Signal()

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.neurons = LabeledSlider(f"layer {index + 1}", MIN_NEURONS, MAX_NEURONS,
                                     DEFAULT_NEURONS[index])
        self.neurons.caption.setMinimumWidth(48)
        self.neurons.setToolTip(f"Neurons in hidden layer {index + 1}")
        self.activation = QComboBox()
        for text, name in ACTIVATION_CHOICES:
            self.activation.addItem(text, name)
        self.activation.setToolTip(f"Activation of hidden layer {index + 1}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.neurons, 1)
        layout.addWidget(self.activation)
        self.neurons.valueChanged.connect(self.changed)
        self.activation.currentIndexChanged.connect(self.changed)

    def activation_name(self) -> str:
        """The chosen activation's engine name, e.g. "leaky_relu"."""
        return self.activation.currentData()

    def set_layer(self, neurons: int, activation: str) -> None:
        """Show a layer's size and activation."""
        self.neurons.setValue(neurons)
        self.activation.setCurrentIndex(self.activation.findData(activation))


class NetworkDesigner(QGroupBox):
    """Emits specChanged(NetworkSpec) whenever a control changes the network's shape."""

    specChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Network", parent)
        self.feature_boxes: dict[str, QCheckBox] = {}
        self.offered: tuple[str, ...] = PLANE_FEATURES  # the features that fit the problem
        features = QGridLayout()
        features.setSpacing(2)
        # a function's features below the plane's: only one group is shown at a time
        for start, names in ((0, PLANE_FEATURES), (2, FUNCTION_FEATURES)):
            for i, name in enumerate(names):
                box = QCheckBox(FEATURE_LABELS[name])
                box.setToolTip(f"Feed {FEATURE_LABELS[name]} into the network")
                box.setChecked(name in ("x1", "x2", "x"))
                box.setVisible(name in self.offered)
                box.toggled.connect(self._on_feature_toggled)
                features.addWidget(box, start + i // 4, i % 4)
                self.feature_boxes[name] = box
        self.layer_count = LabeledSlider("hidden layers", MIN_LAYERS, MAX_LAYERS, 2)
        self.layer_count.setToolTip("Number of hidden layers (0: a linear model)")
        self.rows = [LayerRow(i) for i in range(MAX_LAYERS)]
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addLayout(features)
        layout.addWidget(self.layer_count)
        for row in self.rows:
            layout.addWidget(row)
            row.changed.connect(self._on_changed)
        self.layer_count.valueChanged.connect(self._on_changed)
        self._show_rows()

    def spec(self) -> NetworkSpec:
        """The network the controls describe."""
        rows = self.rows[:self.layer_count.value()]
        features = tuple(n for n in self.offered if self.feature_boxes[n].isChecked())
        return NetworkSpec(features=features,
                           hidden=tuple(r.neurons.value() for r in rows),
                           activations=tuple(r.activation_name() for r in rows))

    def offer_features(self, names: tuple[str, ...]) -> None:
        """Show only these features (those that fit the problem), emitting nothing; set_spec
        then ticks the ones the network reads."""
        self.offered = tuple(names)
        for name, box in self.feature_boxes.items():
            box.setVisible(name in self.offered)

    def set_spec(self, spec: NetworkSpec) -> None:
        """Show spec in the controls, then emit specChanged once."""
        self.show_spec(spec)
        self._on_changed()

    def show_spec(self, spec: NetworkSpec) -> None:
        """Show spec in the controls without emitting specChanged (the network view posted
        it itself, with what each new layer continues; a switch of problem posts its own)."""
        if len(spec.hidden) > MAX_LAYERS or any(n > MAX_NEURONS for n in spec.hidden):
            raise ValueError(f"the designer shows up to {MAX_LAYERS} layers of up to "
                             f"{MAX_NEURONS} neurons, got {spec.hidden}")
        self.blockSignals(True)
        # tick the wanted features before unticking the rest, so one is always on
        for name in spec.features:
            self.feature_boxes[name].setChecked(True)
        for name in self.offered:
            self.feature_boxes[name].setChecked(name in spec.features)
        self.layer_count.setValue(len(spec.hidden))
        for row, neurons, activation in zip(self.rows, spec.hidden, spec.activations, strict=False):
            row.set_layer(neurons, activation)
        self.blockSignals(False)
        self._show_rows()

    def _show_rows(self) -> None:
        for i, row in enumerate(self.rows):
            row.setVisible(i < self.layer_count.value())

    @Slot(bool)
    def _on_feature_toggled(self, checked: bool) -> None:
        if not checked and not any(self.feature_boxes[n].isChecked() for n in self.offered):
            # a network needs an input: undo the untick of the last feature
            self.sender().setChecked(True)
            return
        self._on_changed()

    @Slot()
    def _on_changed(self) -> None:
        self._show_rows()
        if not self.signalsBlocked():
            self.specChanged.emit(self.spec())
