"""Wires the window's views of the inside of the network to the training loop and the designer.

The network panel (view and health), the hidden space beside the plot, the points sized by
their loss and the one undo history of the window meet here, so main_window.py only builds
the layout and hands each snapshot's InsideView over at the network view's rate.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import QObject, Slot

from playground.core.edit_history import EditHistory, NetworkEdit, ParameterEdit, SwitchEdit
from playground.core.hidden_space import HiddenChoice
from playground.core.inside import InsideOptions, InsideView
from playground.core.parameter_state import ParameterRef
from playground.core.reshape import Lineage
from playground.core.spec import NetworkSpec
from playground.ui import theme
from playground.ui.health_panel import HealthPanel
from playground.ui.hidden_space_view import HiddenSpaceView
from playground.ui.network_panel import NetworkPanel
from playground.ui.network_shapes import Node


class InsideController(QObject):
    """Owns the inside's widgets' state; the window calls draw() and heatmap() per frame."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.panel = NetworkPanel()
        self.view = self.panel.view
        self.hidden_view = HiddenSpaceView()
        self.health = HealthPanel()
        self.history = EditHistory(window.dataset, self._apply_edit)
        self.options = InsideOptions()
        self.inside: InsideView | None = None  # the newest one drawn
        self._focus_levels: np.ndarray | None = None  # the hovered neuron's, while it is
        view = self.view
        view.reshapeRequested.connect(self._on_reshape_requested)
        view.parameterEdited.connect(self._on_parameter_edited)
        view.switchRequested.connect(self._on_switch_requested)
        view.neuronHovered.connect(self._on_neuron_hovered)
        view.neuronLeft.connect(self._on_neuron_left)
        self.hidden_view.choiceChanged.connect(self._on_hidden_choice)
        self.hidden_view.hide()

    # ---- the window's side ----------------------------------------------------------------

    def post_options(self) -> None:
        """Tell the loop what the snapshots must carry of the inside."""
        self.window.loop.set_inside(self.options)

    def set_spec(self, spec: NetworkSpec) -> None:
        """The designer's shape changed: lay out the views for it; typed values no longer
        belong where they were."""
        self.view.set_spec(spec)
        self.hidden_view.set_spec(spec)
        self.history.forget_network_edits()

    def forget_network_edits(self) -> None:
        """The weights were reset: their old values are not the network's to undo."""
        self.history.forget_network_edits()

    def show_hidden_space(self, shown: bool) -> None:
        """Show the hidden-layer space beside the data plot, or hide it."""
        self.hidden_view.setVisible(shown)
        choice = self.hidden_view.choice() if shown else None
        self._set_options(hidden=choice)

    def show_point_losses(self, shown: bool) -> None:
        """Size the points by their loss, and name the worst in the status bar."""
        self._set_options(point_losses=shown)
        if not shown:
            self.window.editor.set_point_losses(None)
            self.window.status.clearMessage()

    def draw(self, inside: InsideView) -> None:
        """Put an InsideView into the network view, the health panel, the hidden space and the
        points (at the network view's rate)."""
        self.inside = inside
        self.view.set_inside(inside)
        if inside.health is not None:  # with every fourth InsideView while training
            self.health.set_report(inside.health)
        if self.hidden_view.isVisible():
            self.hidden_view.set_space(inside.hidden)
        if self.options.point_losses:
            self._draw_point_losses(inside)

    def heatmap(self, inside: InsideView | None) -> np.ndarray | None:
        """The levels the main plot shows instead of the network's output: the hovered
        neuron's (the newest ones that came), or None when no neuron is hovered."""
        focus = self.options.focus
        if focus is None:
            return None
        if inside is not None and inside.focus == focus and inside.focus_levels is not None:
            self._focus_levels = inside.focus_levels
        return self._focus_levels

    # ---- network edits --------------------------------------------------------------------

    def _apply_edit(self, edit: NetworkEdit, undo: bool) -> None:
        """Carry out a network edit, or take it back (from the window's undo history)."""
        loop = self.window.loop
        if isinstance(edit, ParameterEdit):
            loop.post_parameter(edit.ref, edit.before if undo else edit.after)
        else:
            loop.post_switch(edit.layer, edit.neuron, edit.off != undo)

    @Slot(object, float, float)
    def _on_parameter_edited(self, ref: ParameterRef, before: float, after: float) -> None:
        edit = ParameterEdit(ref, before, after)
        self._apply_edit(edit, undo=False)
        self.history.record(edit)

    @Slot(int, int, bool)
    def _on_switch_requested(self, layer: int, neuron: int, off: bool) -> None:
        edit = SwitchEdit(layer, neuron, off)
        self._apply_edit(edit, undo=False)
        self.history.record(edit)

    @Slot(object, object)
    def _on_reshape_requested(self, spec: NetworkSpec, lineage: Lineage) -> None:
        self.window.loop.post_spec(spec, lineage)
        self.window.designer.show_spec(spec)  # the sliders follow, without posting again
        self.set_spec(spec)

    # ---- hover and options ----------------------------------------------------------------

    @Slot(int, int)
    def _on_neuron_hovered(self, column: int, neuron: int) -> None:
        self._focus_levels = None
        self._set_options(focus=(column, neuron))
        name = self.view.shapes.node_name(Node(column, neuron))
        self.window.status.showMessage(f"The plot shows {name} until the pointer leaves it")

    @Slot()
    def _on_neuron_left(self) -> None:
        self._focus_levels = None
        self._set_options(focus=None)
        self.window.status.clearMessage()
        self.window.show_network_heatmap()

    @Slot(object)
    def _on_hidden_choice(self, choice: HiddenChoice | None) -> None:
        if self.hidden_view.isVisible():
            self._set_options(hidden=choice)

    def _set_options(self, **changes) -> None:
        self.options = replace(self.options, **changes)
        self.post_options()

    def _draw_point_losses(self, inside: InsideView) -> None:
        """Points sized by their loss (if they are the points the dataset has now)."""
        dataset, editor = self.window.dataset, self.window.editor
        losses = inside.point_losses
        if losses is None or inside.data_version != dataset.version \
                or len(losses) != len(dataset):
            return
        editor.set_point_losses(losses)
        worst = int(np.argmax(losses))
        x, y = dataset.points[worst]
        label = theme.CLASS_NAMES[int(dataset.labels[worst])]
        split = "test" if dataset.is_test[worst] else "training"
        self.window.status.showMessage(f"worst point: {label} {split} point at ({x:.2f}, "
                                       f"{y:.2f}), loss {losses[worst]:.3g}")
