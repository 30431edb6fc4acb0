"""The inspector's view settings: which kinds of node to show, neurons, force-layout strengths."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from playground.core.graph_layout import ForceSettings
from playground.ui.sliders import LabeledSlider

# what the filter offers, as the graph model tags nodes
FILTER_KINDS: tuple[tuple[str, str], ...] = (("input", "inputs"), ("weight", "weights"),
                                             ("bias", "biases"), ("activation", "activations"),
                                             ("loss", "loss"))


def _base_and_exponent(value: float) -> tuple[int, int]:
    """value as base x 10**exponent, base 1 to 9."""
    exponent = math.floor(math.log10(value))
    return round(value / 10.0**exponent), exponent


class ViewSettings(QWidget):
    """Kinds shown, collapse or expand every neuron, and the force layout's two strengths.

    Each strength is base x 10**exponent, two sliders, as in the seed notebook: the base moves
    it a little, the exponent by factors of ten.
    """

    kindsChanged = Signal()
    collapseAllRequested = Signal(bool)  # True: collapse every neuron, False: expand every one
    forceChanged = Signal(object)  # ForceSettings

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        kinds = QGroupBox("Show")
        kinds_layout = QHBoxLayout(kinds)
        self.kind_boxes: dict[str, QCheckBox] = {}
        for kind, text in FILTER_KINDS:
            box = QCheckBox(text)
            box.setChecked(True)
            box.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            box.setToolTip(f"Show the {text} (unticked: hidden with their lines)")
            box.toggled.connect(self._on_kind)
            kinds_layout.addWidget(box)
            self.kind_boxes[kind] = box
        neurons = QGroupBox("Neurons (double-click one to collapse or expand it)")
        neurons_layout = QHBoxLayout(neurons)
        for text, collapse in (("Collapse all", True), ("Expand all", False)):
            button = QPushButton(text)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.clicked.connect(lambda _=False, c=collapse: self.collapseAllRequested.emit(c))
            neurons_layout.addWidget(button)
        force = QGroupBox("Force-directed layout")
        force_layout = QVBoxLayout(force)
        default = ForceSettings()
        base, exponent = _base_and_exponent(default.repulsion)
        self.repulsion_base = LabeledSlider("repulsion", 1, 9, base)
        self.repulsion_exponent = LabeledSlider("× 10^", 2, 8, exponent)
        base, exponent = _base_and_exponent(default.attraction)
        self.attraction_base = LabeledSlider("attraction", 1, 9, base)
        self.attraction_exponent = LabeledSlider("× 10^", -5, 1, exponent)
        for slider in (self.repulsion_base, self.repulsion_exponent, self.attraction_base,
                       self.attraction_exponent):
            slider.slider.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            slider.valueChanged.connect(self._on_force)
            force_layout.addWidget(slider)
        self.repulsion_base.setToolTip("Every pair of nodes pushes apart: strength / distance")
        self.attraction_base.setToolTip("Every edge pulls its ends together: strength × "
                                        "distance²")
        self.edge_length = QLabel()
        force_layout.addWidget(self.edge_length)
        layout = QVBoxLayout(self)
        for group in (kinds, neurons, force):
            layout.addWidget(group)
        layout.addStretch(1)
        self._show_edge_length()

    def hidden_kinds(self) -> set[str]:
        """Kinds of node unticked."""
        return {kind for kind, box in self.kind_boxes.items() if not box.isChecked()}

    def force_settings(self) -> ForceSettings:
        """The strengths the sliders set."""
        return ForceSettings(
            repulsion=self.repulsion_base.value() * 10.0 ** self.repulsion_exponent.value(),
            attraction=self.attraction_base.value() * 10.0 ** self.attraction_exponent.value())

    def _show_edge_length(self) -> None:
        self.edge_length.setText(f"an edge settles near {self.force_settings().edge_length:.0f} "
                                 "units long")

    @Slot(bool)
    def _on_kind(self, _: bool) -> None:
        self.kindsChanged.emit()

    @Slot()
    def _on_force(self) -> None:
        self._show_edge_length()
        self.forceChanged.emit(self.force_settings())
