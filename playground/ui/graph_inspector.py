"""The computation-graph inspector: one sample's loss (or the scratchpad) as micrograd draws it.

The window takes its graph from playground.core.inspection (never from the engine): the
weights come whole with their spec and loss from what the main window last drew. It follows
training at FOLLOW_INTERVAL_S, updating the numbers in place, or stays frozen at a step; it
steps backpropagation node by node; it checks every leaf's grad against finite differences.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.core.backprop_stepper import explain
from playground.core.expression import ExpressionError
from playground.core.graph_display import NEURON, OP
from playground.core.graph_dot import to_dot
from playground.core.graph_layout import ForceLayout, force_bodies, layered_layout, place_ops
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
from playground.ui.graph_check import CheckPanel
from playground.ui.graph_export import export_png, export_svg, export_text
from playground.ui.graph_picker import PROBE, SamplePicker
from playground.ui.graph_scratchpad import ScratchpadPanel
from playground.ui.graph_settings import ViewSettings
from playground.ui.graph_stepper import StepperPanel
from playground.ui.graph_view import CHILD, MATCH, MIN_START_ZOOM, MIN_ZOOM, STEP, GraphView

if TYPE_CHECKING:
    from playground.ui.main_window import MainWindow

FOLLOW_INTERVAL_S = 0.1  # while training, the graph takes new weights at most this often
FORCE_TICK_MS = 33  # the force layout's animation: one frame
FORCE_ITERATIONS_PER_TICK = 2
LAYERED, FORCE = "layered", "force-directed"
LEVEL_NAMES = {"neuron": "one node per neuron", "elementary": "micrograd's * and +"}


class GraphInspector(QWidget):
    """A window showing one sample's loss graph (or the scratchpad's), live or frozen."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window, Qt.WindowType.Window)
        self.setWindowTitle("Computation graph")
        self.main_window = window
        self.inspection = Inspection()
        self.view = GraphView()
        self.force: ForceLayout | None = None
        self._bodies = np.zeros(0, dtype=np.int64)
        self._offered: NetworkState | None = None
        self._followed_at = 0.0
        self._matches: list[int] = []
        self._build_widgets()
        self._connect()
        self.resize(1320, 820)
        self._on_dataset_changed()
        self._on_pick()
        self.take_network()

    # ---- building ---------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.mode = QComboBox()
        self.mode.addItems(["network sample", "scratchpad"])
        self.mode.setToolTip("One sample's loss under the network's weights, or your own lines")
        self.level = QComboBox()
        self.level.addItems([LEVEL_NAMES[level] for level in LEVELS])
        self.level.setToolTip("Each neuron's weighted sum as one node, or spelled out in "
                              "micrograd's elementary * and + nodes")
        self.layout_choice = QComboBox()
        self.layout_choice.addItems([LAYERED, FORCE])
        self.layout_choice.setToolTip("Layered by depth, left to right; or force-directed, "
                                      "settling live (strengths under View)")
        self.follow = QCheckBox("follow training")
        self.follow.setChecked(True)
        self.follow.setToolTip("Take the newest weights as training goes (unticked: frozen at "
                               "the step shown)")
        self.search = QLineEdit()
        self.search.setPlaceholderText("search a label (Ctrl+F, Enter: next)")
        self.search.setClearButtonEnabled(True)
        fit = QPushButton("Fit")
        fit.setToolTip("Show the whole graph, or its loss end when it is too big (F)")
        fit.clicked.connect(self.view.fit)
        self.export_button = QToolButton()
        self.export_button.setText("Export")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        for text, kind in (("SVG picture…", "svg"), ("PNG picture…", "png"),
                           ("Graphviz DOT text…", "dot")):
            menu.addAction(text).triggered.connect(lambda _=False, k=kind: self._ask_export(k))
        self.export_button.setMenu(menu)
        for widget in (self.mode, self.level, self.layout_choice, self.follow, fit,
                       self.export_button):
            widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QLabel()
        self.message.setStyleSheet(theme.WARNING_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()

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

        bar = QHBoxLayout()
        for widget in (self.mode, self.level, self.layout_choice, self.follow):
            bar.addWidget(widget)
        bar.addWidget(self.search, 1)
        bar.addWidget(fit)
        bar.addWidget(self.export_button)
        splitter = QSplitter()
        splitter.addWidget(self.view)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([920, 400])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        self.force_timer = QTimer(self)
        self.force_timer.setInterval(FORCE_TICK_MS)
        self._catch_up = QTimer(self)
        self._catch_up.setSingleShot(True)

    def _connect(self) -> None:
        window = self.main_window
        window.frameDrawn.connect(self._on_frame)
        window.dataset.changed.connect(self._on_dataset_changed)
        self.mode.currentIndexChanged.connect(self._on_mode)
        self.level.currentIndexChanged.connect(self._on_level)
        self.layout_choice.currentIndexChanged.connect(self._on_layout)
        self.follow.toggled.connect(self._on_follow)
        self.search.textChanged.connect(self._on_search)
        self.search.returnPressed.connect(self._next_match)
        self.picker.changed.connect(self._on_pick)
        self.scratchpad.textChanged.connect(self._on_scratchpad_text)
        self.scratchpad.nudgeRequested.connect(self._on_nudge)
        panel = self.stepper_panel
        panel.stepRequested.connect(self.step)
        panel.backRequested.connect(self.step_back)
        panel.restartRequested.connect(self.restart)
        panel.endRequested.connect(self.run_to_end)
        panel.resetRequested.connect(self.reset_grads)
        self.check_panel.nodePicked.connect(self._show_value)
        self.settings.kindsChanged.connect(self._apply_filter)
        self.settings.collapseAllRequested.connect(self._on_collapse_all)
        self.settings.forceChanged.connect(self._on_force_settings)
        self.view.activated.connect(self._on_activated)
        self.force_timer.timeout.connect(self._on_force_tick)
        self._catch_up.timeout.connect(self._on_catch_up)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)

    # ---- what to inspect --------------------------------------------------------------------

    def inspect(self, sample: Sample) -> None:
        """Show this sample's loss graph (switching to the network mode)."""
        self.picker.show_sample(sample)
        self.mode.setCurrentIndex(0)
        self._apply(self.inspection.set_sample(sample))

    def inspect_at(self, x: float, y: float, radius: float) -> None:
        """The point nearest (x, y) within radius, or a probe there of the editor's class."""
        dataset, editor = self.main_window.dataset, self.main_window.editor
        self.inspect(sample_at(dataset.points, dataset.labels, dataset.is_test, x, y, radius,
                               editor.label, with_test=editor.show_test))

    @Slot()
    def take_network(self) -> None:
        """Take the weights the main window last drew (with their spec and loss)."""
        state = self.main_window.drawn_network()
        if state is self._offered:
            return
        self._offered = state
        self._followed_at = time.monotonic()
        self._apply(self.inspection.set_network(state))

    @Slot()
    def _on_frame(self) -> None:
        if not (self.isVisible() and self.inspection.mode == NETWORK):
            return
        wait = self._followed_at + FOLLOW_INTERVAL_S - time.monotonic()
        if self.main_window.running and wait > 0:
            if not self._catch_up.isActive():  # the last frame before a pause is not lost
                self._catch_up.start(max(1, round(wait * 1000)))
            return
        self._catch_up.stop()
        if self.follow.isChecked():
            self.take_network()
        else:  # frozen: only the step training has reached changes
            self._followed_at = time.monotonic()
            self._show_summary()

    @Slot()
    def _on_catch_up(self) -> None:
        self._followed_at = 0.0
        self._on_frame()

    @Slot()
    def _on_pick(self) -> None:
        source, number, point, label = self.picker.choice()
        if source == PROBE:
            sample = Sample(point, label, PROBE)
        else:
            dataset = self.main_window.dataset
            sample = split_sample(dataset.points, dataset.labels, dataset.is_test, source,
                                  number)
            if sample is None:
                self._show_message(f"there is no {source} {number}: add points, or use a probe")
                return
            self.picker.show_sample(sample)
        self._apply(self.inspection.set_sample(sample))

    def _on_dataset_changed(self, *_: object) -> None:
        is_test = self.main_window.dataset.is_test
        self.picker.set_split_sizes(int(np.count_nonzero(~is_test)),
                                    int(np.count_nonzero(is_test)))

    # ---- applying a change ------------------------------------------------------------------

    def _apply(self, change: str) -> None:
        if change == STRUCTURE:
            self._build_scene()
        elif change == NUMBERS:
            self._show_numbers()
        if change != NOTHING or self.inspection.built is None:
            self._show_summary()

    def _build_scene(self, fit: bool = True) -> None:
        built = self.inspection.built
        self.force_timer.stop()
        if built is None:
            self.view.clear_graph()
            return
        display = built.display
        sizes = self.view.node_sizes(built.graph, display)
        positions = layered_layout(len(display), display.edges, sizes[:, 0], sizes[:, 1])
        self.view.show_graph(built.graph, display, positions, sizes)
        if self.layout_choice.currentText() == FORCE:
            self._start_force()
        self._apply_filter()
        self._show_numbers()
        if fit:
            self.view.fit(min_zoom=MIN_ZOOM if self.layout_choice.currentText() == FORCE
                          else MIN_START_ZOOM)
        if self.inspection.mode == SCRATCHPAD:
            self.scratchpad.set_leaves([b.label for b in self.inspection.scratchpad.leaves])

    def _show_numbers(self) -> None:
        built, stepper = self.inspection.built, self.inspection.stepper
        if built is None:
            return
        flagged = np.zeros(len(built.graph), dtype=bool)
        flagged[built.check.nodes[~built.check.agree]] = True
        self.view.set_numbers(built.graph.data, stepper.grad, stepper.known, flagged)
        self._show_roles()
        record = stepper.last
        self.stepper_panel.show_position(stepper.position, stepper.total, stepper.phase,
                                         explain(built.graph, record) if record else [])
        self.check_panel.set_check(built.graph, built.check)

    def _show_roles(self) -> None:
        built, stepper = self.inspection.built, self.inspection.stepper
        roles = {d: MATCH for d in self._matches}
        record = stepper.last if stepper is not None else None
        if record is not None:
            for c in record.contributions:
                roles[self._drawn(c.child)] = CHILD
            roles[self._drawn(record.node)] = STEP
        roles.pop(-1, None)
        self.view.set_roles(roles)
        if record is not None and built is not None and self._drawn(record.node) >= 0:
            self.view.ensureVisible(self.view.boxes[self._drawn(record.node)], 80, 80)

    def _drawn(self, value: int) -> int:
        """The drawn node showing a value: its box, or the neuron it is collapsed into."""
        display = self.inspection.built.display
        if display.box_of[value] >= 0:
            return int(display.box_of[value])
        group = self.inspection.built.graph.groups[value]
        return next((d for d, g in enumerate(display.groups) if g == group), -1)

    def _show_summary(self) -> None:
        built, inspection = self.inspection.built, self.inspection
        if built is None:
            self.summary.setText(inspection.message)
            return
        graph = built.graph
        parts = [graph.title, f"{graph.labels[graph.root]} = {graph.data[graph.root]:.4f}",
                 f"{len(graph)} values, {len(graph.edges)} uses"]
        state = inspection.network
        if inspection.mode == NETWORK and state is not None:
            parts[1] = f"{state.loss} loss {graph.data[graph.root]:.4f}"
            latest = self.main_window.worker.latest.step
            if self.follow.isChecked():
                parts.append(f"following training (epoch {state.epoch})")
            else:
                later = f"; training is at step {latest}" if latest != state.step else ""
                parts.append(f"frozen at step {state.step}{later}")
        text = " · ".join(parts)
        if text != self.summary.text():
            self.summary.setText(text)
        self.message.hide()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # ---- stepping ---------------------------------------------------------------------------

    def _freeze(self) -> None:
        """Stepping shows one step of training: stop following it."""
        if self.follow.isChecked() and self.inspection.mode == NETWORK:
            self.follow.setChecked(False)

    @Slot()
    def step(self) -> None:
        """The stepper's next step."""
        if self.inspection.stepper is None:
            return
        self._freeze()
        if self.inspection.stepper.step() is None:
            self.stepper_panel.stop()
        self._show_numbers()

    @Slot()
    def step_back(self) -> None:
        """Undo the stepper's last step."""
        if self.inspection.stepper is not None:
            self._freeze()
            self.inspection.stepper.back()
            self._show_numbers()

    @Slot()
    def restart(self) -> None:
        """Back to before the forward pass."""
        if self.inspection.stepper is not None:
            self._freeze()
            self.inspection.stepper.restart()
            self._show_numbers()

    @Slot()
    def reset_grads(self) -> None:
        """Every grad 0, the forward pass done."""
        if self.inspection.stepper is not None:
            self._freeze()
            self.inspection.stepper.reset_grads()
            self._show_numbers()

    @Slot()
    def run_to_end(self) -> None:
        """Every remaining step."""
        if self.inspection.stepper is not None:
            self.stepper_panel.stop()
            self.inspection.stepper.run_to_end()
            self._show_numbers()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Right/Left step, Space plays, Home/End, R resets the grads, F fits."""
        actions = {Qt.Key.Key_Right: self.step, Qt.Key.Key_Left: self.step_back,
                   Qt.Key.Key_Home: self.restart, Qt.Key.Key_End: self.run_to_end,
                   Qt.Key.Key_R: self.reset_grads, Qt.Key.Key_F: self.view.fit,
                   Qt.Key.Key_Space: self.stepper_panel.play_button.toggle}
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
        if mode == SCRATCHPAD:
            self._on_scratchpad_text(self.scratchpad.text())
        self._apply(self.inspection.set_mode(mode))

    @Slot(int)
    def _on_level(self, index: int) -> None:
        self._apply(self.inspection.set_level(LEVELS[index]))

    @Slot(bool)
    def _on_follow(self, following: bool) -> None:
        if following:
            self.take_network()
        self._show_summary()

    @Slot(int)
    def _on_layout(self, _: int) -> None:
        self._build_scene()

    @Slot(int)
    def _on_activated(self, d: int) -> None:
        built = self.inspection.built
        display = built.display
        group = display.groups[d] if display.kinds[d] == NEURON else built.graph.groups[
            display.values[d]]
        if group:
            self._apply_keeping_view(self.inspection.toggle_neuron(group))

    @Slot(bool)
    def _on_collapse_all(self, collapse: bool) -> None:
        built = self.inspection.built
        if built is not None:
            groups = frozenset(built.graph.group_names) if collapse else frozenset()
            self._apply(self.inspection.set_collapsed(groups))

    def _apply_keeping_view(self, change: str) -> None:
        center = self.view.mapToScene(self.view.viewport().rect().center())
        zoom = self.view.zoom()
        if change == STRUCTURE:
            self._build_scene(fit=False)
            self.view.resetTransform()
            self.view.zoom_by(zoom)
            self.view.centerOn(center)
        else:
            self._apply(change)

    @Slot()
    def _apply_filter(self) -> None:
        built = self.inspection.built
        if built is None:
            return
        hidden_kinds = self.settings.hidden_kinds()
        display, kinds = built.display, built.graph.kinds
        hidden = np.array([kinds[v] in hidden_kinds for v in display.values], dtype=bool)
        ops = display.kinds == OP
        hidden[ops] = hidden[display.box_of[display.values[ops]]]  # an op goes with its value
        self.view.hide_nodes(hidden)

    @Slot(str)
    def _on_search(self, text: str) -> None:
        built = self.inspection.built
        self._matches = []
        if built is not None and text.strip():
            needle = text.strip().lower()
            display, labels = built.display, built.graph.labels
            self._matches = [d for d in range(len(display)) if display.kinds[d] != OP
                             and needle in labels[display.values[d]].lower()]
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
        d = self._drawn(value)
        if d >= 0:
            self.view.center_on_node(d)
            self.view.set_roles({d: MATCH})

    # ---- the force layout -------------------------------------------------------------------

    def _start_force(self) -> None:
        display = self.inspection.built.display
        self._bodies, edges = force_bodies(display)
        sizes = self.view.sizes[self._bodies]
        aspect = min(2.0, float(np.mean(sizes[:, 0]) / np.mean(sizes[:, 1])) ** 0.5)
        self.force = ForceLayout(self.view.positions[self._bodies], edges,
                                 self.settings.force_settings(), aspect=aspect)
        self.force_timer.start()

    @Slot(object)
    def _on_force_settings(self, settings) -> None:
        if self.force is not None and self.layout_choice.currentText() == FORCE:
            self.force.set_settings(settings)
            self.force_timer.start()

    @Slot()
    def _on_force_tick(self) -> None:
        force, built = self.force, self.inspection.built
        if force is None or built is None:
            self.force_timer.stop()
            return
        for _ in range(FORCE_ITERATIONS_PER_TICK):
            force.step()
        positions = self.view.positions.copy()
        positions[self._bodies] = force.positions
        place_ops(built.display, positions, self.view.sizes)
        self.view.move_nodes(positions)
        if not self.view.user_moved:
            self.view.fit(min_zoom=MIN_ZOOM)
        if force.settled:
            self.force_timer.stop()

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
        nudge = pad.nudge(label, h)
        graph = self.inspection.built.graph if self.inspection.mode == SCRATCHPAD else None
        grad = f"; backprop says {graph.grad[graph.find(label)]:.6f}" if graph else ""
        self.scratchpad.show_nudge(
            f"{pad.output.label}: {nudge.before:.6f} → {nudge.after:.6f} when {label} += {h:g}\n"
            f"(after − before) / h = {nudge.slope:.6f}{grad}")

    # ---- export -----------------------------------------------------------------------------

    def export(self, kind: str, path: str) -> None:
        """Write the graph as "svg", "png" or "dot" to path; OSError if it cannot."""
        built = self.inspection.built
        if built is None:
            raise OSError("there is no graph to export yet")
        if kind == "dot":
            export_text(to_dot(built.graph, self.inspection.stepper.grad), path)
        elif kind == "svg":
            export_svg(self.view, path)
        else:
            export_png(self.view, path)

    def _ask_export(self, kind: str) -> None:
        filters = {"svg": "SVG pictures (*.svg)", "png": "PNG pictures (*.png)",
                   "dot": "Graphviz DOT (*.dot *.gv)"}
        path, _ = QFileDialog.getSaveFileName(self, "Export the graph", f"graph.{kind}",
                                              filters[kind])
        if not path:
            return
        try:
            self.export(kind, path)
        except OSError as error:
            self._show_message(f"Could not export: {error}")

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop animating and playing when closed."""
        self.force_timer.stop()
        self.stepper_panel.stop()
        super().closeEvent(event)
