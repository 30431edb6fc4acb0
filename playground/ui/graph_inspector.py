"""The computation-graph inspector: one sample's loss (or the scratchpad) as micrograd draws it.

The window takes its graph from playground.core.inspection (never from the engine): the
weights come whole with their spec and loss from what the main window last drew. It follows
training, updating the numbers in place, or stays frozen at a step; it steps backpropagation
node by node; it checks every leaf's grad against finite differences.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from playground.core.backprop_stepper import explain
from playground.core.expression import ExpressionError
from playground.core.graph_display import NEURON, drawn_node, find_labels, hidden_by_kind
from playground.core.graph_layout import ForceSettings, layered_layout
from playground.core.inspection import (
    NETWORK,
    NOTHING,
    NUMBERS,
    SCRATCHPAD,
    STRUCTURE,
    Inspection,
    sample_at,
    split_sample,
)
from playground.core.sample_graph import LEVELS, NetworkState, Sample
from playground.ui import theme
from playground.ui.banner import MessageBanner
from playground.ui.graph_check import CheckPanel
from playground.ui.graph_export import EXPORT_FILTERS, export_graph
from playground.ui.graph_follow import NetworkFollower
from playground.ui.graph_force import ForceAnimation
from playground.ui.graph_paint import CHILD, MATCH, STEP
from playground.ui.graph_picker import PROBE, SamplePicker
from playground.ui.graph_scratchpad import ScratchpadPanel
from playground.ui.graph_settings import ViewSettings
from playground.ui.graph_stepper import StepperPanel
from playground.ui.graph_toolbar import FORCE, LEVEL_NAMES, InspectorBar
from playground.ui.graph_view import MIN_START_ZOOM, MIN_ZOOM, GraphView

if TYPE_CHECKING:
    from playground.ui.main_window import MainWindow



class GraphInspector(QWidget):
    """A window showing one sample's loss graph (or the scratchpad's), live or frozen."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window, Qt.WindowType.Window)
        self.setWindowTitle("Computation graph")
        self.main_window = window
        self.inspection = Inspection()
        self.view = GraphView()
        self.force = ForceAnimation(self.view)
        self.follower = NetworkFollower(window, self._take)
        self._matches: list[int] = []
        self._build_widgets()
        self._connect()
        self.resize(1320, 820)
        self._on_dataset_changed()
        self._on_pick()
        self.take_network()

    # ---- building ---------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.bar = InspectorBar()
        bar = self.bar
        self.mode, self.level, self.layout_choice = bar.mode, bar.level, bar.layout_choice
        self.follow, self.search = bar.follow, bar.search
        self.message = MessageBanner(self.view)  # over the graph, as the window's over the plot
        self.picker = SamplePicker()
        self.scratchpad = ScratchpadPanel()
        self.source_stack = QStackedWidget()
        self.source_stack.addWidget(self.picker)
        self.source_stack.addWidget(self.scratchpad)
        self.stepper_panel = StepperPanel()
        self.check_panel = CheckPanel()
        self.settings = ViewSettings()
        self.tabs = QTabWidget()
        for widget, name in ((self.source_stack, "Inspect"), (self.stepper_panel, "Backprop"),
                             (self.check_panel, "Check"), (self.settings, "View")):
            self.tabs.addTab(widget, name)
        self.tabs.setMinimumWidth(380)
        splitter = QSplitter()
        splitter.addWidget(self.view)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([920, 400])
        layout = QVBoxLayout(self)
        layout.addWidget(bar)
        layout.addWidget(splitter, 1)

    def _connect(self) -> None:
        self.main_window.dataset.changed.connect(self._on_dataset_changed)
        self.follower.tick.connect(self._show_summary)
        self.mode.currentIndexChanged.connect(self._on_mode)
        self.level.currentIndexChanged.connect(self._on_level)
        self.layout_choice.currentIndexChanged.connect(self._on_layout)
        self.follow.toggled.connect(self._on_follow)
        self.search.textChanged.connect(self._on_search)
        self.search.returnPressed.connect(self._next_match)
        self.bar.fitRequested.connect(self._fit)
        self.bar.exportRequested.connect(self._ask_export)
        self.picker.changed.connect(self._on_pick)
        self.scratchpad.textChanged.connect(self._on_scratchpad_text)
        self.scratchpad.nudgeRequested.connect(self._on_nudge)
        self.stepper_panel.stepped.connect(self._on_stepped)
        self.check_panel.nodePicked.connect(self._show_value)
        self.settings.kindsChanged.connect(self._apply_filter)
        self.settings.collapseAllRequested.connect(self._on_collapse_all)
        self.settings.forceChanged.connect(self._on_force_settings)
        self.view.activated.connect(self._on_activated)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)

    # ---- what to inspect --------------------------------------------------------------------

    def inspect(self, sample: Sample) -> None:
        """Show this sample's loss graph (switching to the network mode)."""
        self.picker.show_sample(sample)
        self.mode.setCurrentIndex(0)
        self._apply(self.inspection.set_sample(sample))

    def inspect_at(self, x: float, y: float, radius: float) -> None:
        """The point nearest (x, y) within radius, or a probe there with the editor's class
        (or value; a function's probe is the sample (x, y) itself)."""
        dataset, editor = self.main_window.dataset, self.main_window.editor
        probe_truth = (y if dataset.kind == "function" else
                       editor.value if dataset.kind == "regression" else editor.label)
        self.inspect(sample_at(dataset.points, dataset.snapshot().truth, dataset.is_test, x, y,
                               radius, probe_truth, with_test=editor.show_test))

    @Slot()
    def take_network(self) -> None:
        """Take the weights the main window last drew (with their spec and loss)."""
        self.follower.take_now()

    def _take(self, state: NetworkState | None) -> None:
        self._apply(self.inspection.set_network(state))

    def showEvent(self, event) -> None:
        """Shown: follow training again (if it was following)."""
        super().showEvent(event)
        self.follower.active = self.inspection.mode == NETWORK

    def hideEvent(self, event) -> None:
        """Hidden: nothing to follow for."""
        super().hideEvent(event)
        self.follower.active = False

    @Slot()
    def _on_pick(self) -> None:
        source, number, point, truth = self.picker.choice()
        if source == PROBE:
            sample = Sample(point, truth, PROBE)
        else:
            dataset = self.main_window.dataset
            sample = split_sample(dataset.points, dataset.snapshot().truth, dataset.is_test,
                                  source, number)
            if sample is None:
                self._show_message(f"there is no {source} {number}: add points, or use a probe")
                return
            self.picker.show_sample(sample)
        self._apply(self.inspection.set_sample(sample))

    def _on_dataset_changed(self, *_: object) -> None:
        dataset = self.main_window.dataset
        self.picker.set_problem(dataset.kind, dataset.n_classes)
        is_test = dataset.is_test
        self.picker.set_split_sizes(int(np.count_nonzero(~is_test)),
                                    int(np.count_nonzero(is_test)))

    # ---- showing ----------------------------------------------------------------------------

    def _apply(self, change: str) -> None:
        if change == STRUCTURE:
            self._build_scene()
        elif change == NUMBERS:
            self._show_numbers()
        if change != NOTHING or self.inspection.built is None:
            self._show_summary()

    def _build_scene(self, fit: bool = True) -> None:
        built = self.inspection.built
        self.force.stop()
        if built is None:
            self.stepper_panel.set_stepper(None)
            self.view.clear_graph()
            return
        display = built.display
        sizes = self.view.node_sizes(built.graph, display)
        positions = layered_layout(len(display), display.edges, sizes[:, 0], sizes[:, 1])
        self.view.show_graph(built.graph, display, positions, sizes)
        if self.layout_choice.currentText() == FORCE:
            self.force.start(self.settings.force_settings())
        self._apply_filter()
        self._on_search(self.search.text())
        self._show_numbers()
        if fit:
            self._fit()
        if self.inspection.mode == SCRATCHPAD:
            self.scratchpad.set_leaves([b.label for b in self.inspection.scratchpad.leaves])

    @Slot()
    def _fit(self) -> None:
        forced = self.layout_choice.currentText() == FORCE
        self.view.fit(min_zoom=MIN_ZOOM if forced else MIN_START_ZOOM)

    def _show_numbers(self) -> None:
        built, stepper = self.inspection.built, self.inspection.stepper
        if built is None:
            return
        self.stepper_panel.set_stepper(stepper)
        flagged = np.zeros(len(built.graph), dtype=bool)
        flagged[built.check.nodes[~built.check.agree]] = True
        self.view.set_numbers(built.graph.data, stepper.grad, stepper.known, flagged)
        self._show_roles()
        record = stepper.last
        self.stepper_panel.show_position(stepper.position, stepper.total, stepper.phase,
                                         explain(built.graph, record) if record else [])
        self.check_panel.set_check(built.graph, built.check)

    def _show_roles(self) -> None:
        """Highlight the search's matches, and the step's node and children."""
        built, stepper = self.inspection.built, self.inspection.stepper
        roles = {d: MATCH for d in self._matches}
        record = stepper.last if stepper is not None else None
        if record is not None:
            for c in record.contributions:
                roles[drawn_node(built.graph, built.display, c.child)] = CHILD
            roles[drawn_node(built.graph, built.display, record.node)] = STEP
        roles.pop(-1, None)
        self.view.set_roles(roles)
        if record is not None:
            step = drawn_node(built.graph, built.display, record.node)
            self.view.bring_into_sight(step, [d for d, role in roles.items() if role == CHILD])

    def _show_summary(self) -> None:
        """What the graph is of (changes with the graph), and the live line (with every step)."""
        self.bar.show_lines(*self.inspection.describe(
            theme.CLASS_NAMES, LEVEL_NAMES, self.follow.isChecked(),
            self.main_window.loop.latest.step))
        if self.inspection.built is not None:
            self.message.hide()

    def _show_message(self, text: str) -> None:
        self.message.show_message(text)

    # ---- stepping ---------------------------------------------------------------------------

    @Slot()
    def _on_stepped(self) -> None:
        """A step shows one moment of training: stop following it."""
        if self.follow.isChecked() and self.inspection.mode == NETWORK:
            self.follow.setChecked(False)
        self._show_numbers()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Right/Left step, Space plays, Home/End, R resets the grads, F fits."""
        panel = self.stepper_panel
        actions = {Qt.Key.Key_Right: panel.step, Qt.Key.Key_Left: panel.step_back,
                   Qt.Key.Key_Home: panel.restart, Qt.Key.Key_End: panel.run_to_end,
                   Qt.Key.Key_R: panel.reset_grads, Qt.Key.Key_F: self._fit,
                   Qt.Key.Key_Space: panel.play_button.toggle}
        action = actions.get(Qt.Key(event.key()))
        if action is None or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            super().keyPressEvent(event)
            return
        action()

    # ---- view choices -----------------------------------------------------------------------

    @Slot(int)
    def _on_mode(self, index: int) -> None:
        mode = (NETWORK, SCRATCHPAD)[index]
        self.source_stack.setCurrentIndex(index)
        self.level.setEnabled(mode == NETWORK)
        self.follow.setEnabled(mode == NETWORK)
        self.follower.active = mode == NETWORK and self.isVisible()
        if mode == SCRATCHPAD:
            self._on_scratchpad_text(self.scratchpad.text())
        self._apply(self.inspection.set_mode(mode))

    @Slot(int)
    def _on_level(self, index: int) -> None:
        self._apply(self.inspection.set_level(LEVELS[index]))

    @Slot(bool)
    def _on_follow(self, following: bool) -> None:
        self.follower.enabled = following
        if following:
            self.take_network()
        self._show_summary()

    @Slot(int)
    def _on_layout(self, _: int) -> None:
        self._build_scene()

    @Slot(int)
    def _on_activated(self, d: int) -> None:
        """A double-click: the node's neuron collapses, or expands; the view stays put."""
        graph, display = self.inspection.built.graph, self.inspection.built.display
        group = display.groups[d] if display.kinds[d] == NEURON else graph.groups[
            display.values[d]]
        if not group:
            return
        center = self.view.mapToScene(self.view.viewport().rect().center())
        zoom = self.view.zoom()
        if self.inspection.toggle_neuron(group) == STRUCTURE:
            self._build_scene(fit=False)
            self._show_summary()
            self.view.resetTransform()
            self.view.zoom_by(zoom)
            self.view.centerOn(center)

    @Slot(bool)
    def _on_collapse_all(self, collapse: bool) -> None:
        built = self.inspection.built
        if built is not None:
            groups = frozenset(built.graph.group_names) if collapse else frozenset()
            self._apply(self.inspection.set_collapsed(groups))

    @Slot()
    def _apply_filter(self) -> None:
        built = self.inspection.built
        if built is not None:
            self.view.hide_nodes(hidden_by_kind(built.graph, built.display,
                                                self.settings.hidden_kinds()))

    @Slot(str)
    def _on_search(self, text: str) -> None:
        built = self.inspection.built
        self._matches = [] if built is None else find_labels(built.graph, built.display, text)
        self._show_roles()
        if self._matches:
            self.view.center_on_node(self._matches[0])

    @Slot()
    def _next_match(self) -> None:
        if self._matches:
            self._matches = self._matches[1:] + self._matches[:1]
            self.view.center_on_node(self._matches[0])

    @Slot(int)
    def _show_value(self, value: int) -> None:
        built = self.inspection.built
        d = drawn_node(built.graph, built.display, value)
        if d >= 0:
            self.view.center_on_node(d)
            self.view.set_roles({d: MATCH})

    @Slot(object)
    def _on_force_settings(self, settings: ForceSettings) -> None:
        if self.layout_choice.currentText() == FORCE:
            self.force.set_settings(settings)

    # ---- scratchpad -------------------------------------------------------------------------

    @Slot(str)
    def _on_scratchpad_text(self, text: str) -> None:
        try:
            change = self.inspection.set_scratchpad(text)
        except ExpressionError as error:
            self.scratchpad.show_error(str(error))
            return
        self.scratchpad.show_error("")
        self._apply(change)

    @Slot(str, float)
    def _on_nudge(self, label: str, h: float) -> None:
        pad = self.inspection.scratchpad
        if h == 0:
            self.scratchpad.show_nudge("h must not be 0")
            return
        self.scratchpad.show_nudge(pad.nudge(label, h).describe(pad.output.label))

    # ---- export -----------------------------------------------------------------------------

    def export(self, kind: str, path: str) -> None:
        """Write the graph as "svg", "png" or "dot" to path; OSError if it cannot."""
        built = self.inspection.built
        if built is None:
            raise OSError("there is no graph to export yet")
        export_graph(self.view, built.graph, self.inspection.stepper.grad, kind, path)

    @Slot(str)
    def _ask_export(self, kind: str) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export the graph", f"graph.{kind}",
                                              EXPORT_FILTERS[kind])
        if not path:
            return
        try:
            self.export(kind, path)
        except OSError as error:
            self._show_message(f"Could not export: {error}")

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop animating and playing when closed."""
        self.force.stop()
        self.stepper_panel.stop()
        super().closeEvent(event)
