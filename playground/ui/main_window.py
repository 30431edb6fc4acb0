"""The main window: dataset editor in the middle, controls around it, training on a worker."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QLabel,
    QMainWindow,
    QWidget,
)

from playground.core.dataset import Dataset
from playground.core.pace import Speed, speed_named
from playground.core.sample_graph import NetworkState
from playground.core.session import TrainingSession
from playground.core.setup import Setup
from playground.core.snapshot import TrainingSnapshot
from playground.core.spec import NetworkSpec, TrainingConfig
from playground.core.training_record import StepResult
from playground.ui import theme
from playground.ui.app_icon import app_icon
from playground.ui.confusion_matrix import ConfusionMatrix
from playground.ui.csv_import import CsvImport
from playground.ui.data_controls import DataControls
from playground.ui.dataset_editor import DatasetEditor
from playground.ui.errors import ExceptionReporter
from playground.ui.file_menu import FileMenu
from playground.ui.focus import keep_focus_off_clicks
from playground.ui.graph_inspector import GraphInspector
from playground.ui.inside_controller import InsideController
from playground.ui.loss_plot import LossPlot
from playground.ui.network_designer import NetworkDesigner
from playground.ui.output_legend import OutputLegend
from playground.ui.problem_switch import ProblemSwitch
from playground.ui.settings import AppSettings
from playground.ui.status_bar import TrainingStatusBar
from playground.ui.training_controls import TrainingControls
from playground.ui.window_drawing import FRAME_INTERVAL_MS, WindowDrawing
from playground.ui.window_layout import WindowLayout
from playground.ui.worker import TrainingWorker, WorkerThread

MAX_CLASS_KEY = 8  # keys 1 to 8 choose the class of a click
CSV_FILTER = "CSV files (*.csv);;All files (*)"


class MainWindow(WindowDrawing, QMainWindow):
    """The playground: edit data, shape the network, train live."""

    frameDrawn = Signal()  # a redraw showed a new snapshot from the worker

    def __init__(self, setup: Setup | None = None, parent: QWidget | None = None,
                 remember_layout: bool = True) -> None:
        super().__init__(parent)
        self.remember_layout = remember_layout  # False: the default sizes (a screenshot's)
        setup = setup or Setup()
        self.setWindowIcon(app_icon())
        self.dataset = Dataset(test_fraction=setup.test_fraction, seed=setup.data_seed,
                               kind=setup.problem, n_classes=setup.n_classes)
        self.editor = DatasetEditor(self.dataset)
        self.data_controls = DataControls(self.dataset)
        self.designer = NetworkDesigner()
        self.inside = InsideController(self)
        self.network_view = self.inside.view
        self.training = TrainingControls()
        self.loss_plot = LossPlot()
        self.log_scale = QCheckBox("log scale")
        self.log_scale.setToolTip("Show the loss on a logarithmic axis")
        self.status = TrainingStatusBar()
        self.setStatusBar(self.status)
        self.output_legend = OutputLegend()
        self.confusion = ConfusionMatrix()
        self.confusion_caption = QLabel("<b>Confusion</b>: rows true class, columns predicted")
        self.problems = ProblemSwitch(self)
        self.point_loss_box = QCheckBox("size points by their loss")
        self.settings = AppSettings()  # recent files, the last folder, the window's layout
        self.panels = WindowLayout(self)  # the panels, their splitters and the window's size
        self.message = self.panels.message

        if setup.data_file is None:
            self.data_controls.set_preset(setup.preset, setup.n_points, setup.noise,
                                          setup.data_seed, setup.problem, setup.n_classes,
                                          setup.expression, setup.x_range)
        else:  # the command line has read it once already: a failure here is an error
            self.dataset.load_csv(setup.data_file)
        self.dataset.clear_history()  # the first points are where undo stops
        self.problems.start(self.dataset.problem(), setup.spec, setup.config)
        self.inside.set_spec(self.designer.spec())
        self.training.set_speed(speed_named(setup.speed))
        self.editor.fit_view()

        self.running = False
        # for the status bar's epochs/s; kept as the data and the batch size change, so a frame
        # runs no NumPy on the points
        self._n_train = len(self.dataset) - int(self.dataset.is_test.sum())
        self._batch_size = self.training.config().batch_size
        self.frames_drawn = 0  # redraws with new training state, for the benchmark
        self.ticks = 0  # redraw timer ticks
        self.drawn_snapshot: TrainingSnapshot | None = None  # the last one drawn
        self._drawn_network: tuple[TrainingSnapshot, NetworkState] | None = None  # its state
        self.graph_inspector: GraphInspector | None = None
        session = TrainingSession(self.dataset.snapshot(), self.designer.spec(),
                                  self.training.config())
        self.worker = TrainingWorker(session, self.training.speed())
        self.loop = self.worker.loop  # commands go to the loop; its events come as signals
        self.worker_thread = WorkerThread(self.worker)
        self.drawn_result: StepResult = self.loop.latest  # the state the heatmap shows
        self._network_heatmap: tuple | None = None  # (levels, bounds) of the network's output
        self._inside_pending = None  # an InsideView not drawn yet
        self.inside.post_options()
        self._connect()
        self._add_shortcuts()
        self.csv_import = CsvImport(self)  # File > Import dataset, read on a thread
        self.files = FileMenu(self)  # workspaces, import, export, autosave; the first menu
        self._add_view_menu()
        self.files.watch_changes()
        restored = remember_layout and self.panels.restore(self.settings)
        if setup.view == "hidden":
            self.hidden_space_action.setChecked(True)
            if not restored:
                self.panels.resize_to_default()
        self.files.report_ignored()
        keep_focus_off_clicks(self)
        # the keyboard starts on the plot, which hands Space, the arrows and 1/2 to the window
        # (else the first field in the panel, the seed, would take it)
        self.editor.setFocus()
        self._report_exceptions()
        self.worker_thread.start()
        self.frame_timer = QTimer(self)
        self.frame_timer.setInterval(FRAME_INTERVAL_MS)
        self.frame_timer.timeout.connect(self.redraw)
        self.frame_timer.start()

    # ---- building -------------------------------------------------------------------------

    def showEvent(self, event) -> None:
        """The first show sizes the panels (unless remembered sizes were restored)."""
        super().showEvent(event)
        self.panels.shown()

    def _connect(self) -> None:
        self.dataset.changed.connect(self._on_dataset_changed)
        self.log_scale.toggled.connect(self.loss_plot.set_log_scale)
        self.data_controls.presetLoaded.connect(self.editor.fit_view)
        self.data_controls.labelChosen.connect(self.editor.set_label)
        self.data_controls.showTestToggled.connect(self.editor.set_show_test)
        self.data_controls.discretizeToggled.connect(self.editor.set_discrete)
        self.data_controls.discretizeToggled.connect(self.output_legend.set_discrete)
        self.data_controls.partsToggled.connect(self.editor.set_show_parts)
        self.data_controls.partsToggled.connect(self.output_legend.set_show_parts)
        self.data_controls.valueChosen.connect(self.editor.set_value)
        self.data_controls.refused.connect(self.show_message)
        self.data_controls.discretizeToggled.connect(self._on_discretize)
        self.point_loss_box.toggled.connect(self.inside.show_point_losses)
        self.editor.editRefused.connect(self.show_message)
        self.editor.labelChanged.connect(self.data_controls.choose_label)
        self.editor.valueChanged.connect(self.data_controls.choose_value)
        # not straight to the worker: it lives in its thread, so Qt would queue the call there,
        # where run() never returns to the event loop; these slots post from the GUI thread
        self.designer.specChanged.connect(self._on_spec_changed)
        self.training.configChanged.connect(self._on_config_changed)
        self.training.playToggled.connect(self._on_play_toggled)
        self.training.speedChanged.connect(self._on_speed_changed)
        self.training.stepRequested.connect(self.step_epoch)
        self.training.batchStepRequested.connect(self.step_batch)
        self.training.resetRequested.connect(self.reset)
        self.worker.runningChanged.connect(self._on_running_changed)
        self.worker.halted.connect(self._on_halted)
        self.worker.errored.connect(self._on_errored)

    def _add_shortcuts(self) -> None:
        # one undo for the window: the dataset's edits and the network's, in the order made
        for key, slot in ((QKeySequence.StandardKey.Undo, self.inside.history.undo),
                          (QKeySequence("Ctrl+Shift+Z"), self.inside.history.redo)):
            QShortcut(QKeySequence(key), self, slot)
        # plain keys are handled in keyPressEvent, so a focused slider keeps its arrows and a
        # focused button or box its space bar
        self._plain_keys = {Qt.Key.Key_Space: self.toggle_play, Qt.Key.Key_Right: self.step_epoch,
                            Qt.Key.Key_S: self.step_epoch, Qt.Key.Key_B: self.step_batch,
                            Qt.Key.Key_R: self.reset,
                            Qt.Key.Key_Plus: self.training.faster,
                            Qt.Key.Key_Equal: self.training.faster,
                            Qt.Key.Key_Minus: self.training.slower}
        for label in range(MAX_CLASS_KEY):  # keys 1 to 8: the class of a click
            self._plain_keys[Qt.Key(Qt.Key.Key_1 + label)] = partial(self._choose_class, label)
        # "+" takes Shift on many keyboards
        self._shift_keys = {Qt.Key.Key_Right: self.step_batch,
                            Qt.Key.Key_Plus: self.training.faster}

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Play, step, speed, reset and class keys when the focused widget has no use for them."""
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        keys = (self._plain_keys if modifiers == Qt.KeyboardModifier.NoModifier else
                self._shift_keys if modifiers == Qt.KeyboardModifier.ShiftModifier else {})
        action = keys.get(Qt.Key(event.key()))
        if action is None:
            super().keyPressEvent(event)
            return
        action()

    def _add_view_menu(self) -> None:
        menu = self.menuBar().addMenu("&View")
        action = menu.addAction("&Computation graph…")
        action.setShortcut(QKeySequence("Ctrl+G"))
        action.triggered.connect(self.open_graph_inspector)
        self.hidden_space_action = menu.addAction("&Hidden-layer space")
        self.hidden_space_action.setCheckable(True)
        self.hidden_space_action.setShortcut(QKeySequence("Ctrl+H"))
        self.hidden_space_action.toggled.connect(self.inside.show_hidden_space)
        # on the next pass of the event loop, when the shown view's size hints are its own
        self.hidden_space_action.toggled.connect(
            lambda: QTimer.singleShot(0, self.panels.keep_on_screen))
        points = menu.addAction("Points sized by their &loss")
        points.setCheckable(True)
        points.setShortcut(QKeySequence("Ctrl+L"))
        points.toggled.connect(self.point_loss_box.setChecked)
        self.point_loss_box.toggled.connect(points.setChecked)
        self.inspect_action = menu.addAction("&Inspect tool (clicks open the graph)")
        self.inspect_action.setShortcut(QKeySequence("Ctrl+I"))
        self.inspect_action.setCheckable(True)
        self.inspect_action.setToolTip("A click on the plot opens the graph of the nearest point, "
                                       "or of a probe there (Alt+click does so at any time)")
        self.inspect_action.toggled.connect(self.editor.set_inspecting)
        self.editor.inspectRequested.connect(self.inspect_at)
        self.problems.add_menu()

    # ---- actions --------------------------------------------------------------------------

    @Slot()
    def toggle_play(self) -> None:
        """Play if paused, pause if playing."""
        self.training.play_button.toggle()

    @Slot()
    def step_epoch(self) -> None:
        """Train to the end of the next epoch, then pause."""
        self.message.hide()
        self.loop.step_epoch()

    @Slot()
    def step_batch(self) -> None:
        """Train on one minibatch (one optimization step), then pause."""
        self.message.hide()
        self.loop.step_batch()

    @Slot()
    def reset(self) -> None:
        """New weights from the seed, empty loss curve; training goes on if it was running."""
        self.message.hide()
        self.loop.post_reset()
        self.inside.forget_network_edits()

    def train_epochs(self, n: int) -> None:
        """Train n more epochs at the chosen speed, then pause."""
        self.loop.train_epochs(n)

    def open_dataset(self, path: str) -> bool:
        """Start importing a CSV file's points on a thread (csv_import.py: one undoable edit
        once every row is checked; a bad file only shows a message); False if one is running."""
        return self.csv_import.start(path)

    def save_dataset(self, path: str) -> bool:
        """Write the points, labels and split to a CSV file; a failure shows a message."""
        try:
            self.dataset.save_csv(path)
        except OSError as error:
            self.show_message(f"Could not save the dataset: {error}")
            return False
        return True

    @Slot()
    def open_graph_inspector(self) -> GraphInspector:
        """Show the computation-graph inspector (non-modal, one at a time)."""
        if self.graph_inspector is None:
            self.graph_inspector = GraphInspector(self)
            keep_focus_off_clicks(self.graph_inspector)
        else:
            self.graph_inspector.take_network()
        self.graph_inspector.show()
        self.graph_inspector.raise_()
        self.graph_inspector.activateWindow()
        return self.graph_inspector

    @Slot(float, float, float)
    def inspect_at(self, x: float, y: float, radius: float) -> None:
        """Open the graph of the point nearest (x, y) within radius, or of a probe there."""
        self.open_graph_inspector().inspect_at(x, y, radius)

    @Slot()
    def _ask_open_dataset(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open dataset", "", CSV_FILTER)
        if path:
            self.open_dataset(path)

    @Slot()
    def _ask_save_dataset(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save dataset", "dataset.csv", CSV_FILTER)
        if path:
            self.save_dataset(path)

    def _choose_class(self, label: int) -> None:
        """Key 1 to 8: the class a click adds, if the problem has it."""
        if label < self.dataset.n_classes:
            self.editor.set_label(label)

    @Slot(bool)
    def _on_play_toggled(self, play: bool) -> None:
        self.running = play  # at once; the worker confirms (or halts) with runningChanged
        if play:
            self.message.hide()
            self.loop.play()
        else:
            self.loop.pause()

    def _on_dataset_changed(self) -> None:
        self._n_train = len(self.dataset) - int(self.dataset.is_test.sum())
        snapshot = self.dataset.snapshot()
        if not self.problems.follow(snapshot):  # a switch of type posts data, spec and config
            self.loop.post_data(snapshot)

    @Slot(object)
    def _on_spec_changed(self, spec: NetworkSpec) -> None:
        self.loop.post_spec(spec)
        self.inside.set_spec(spec)

    @Slot(bool)
    def _on_discretize(self, discrete: bool) -> None:
        # a neuron's thumbnail is its output in [-1, 1], whatever the problem's own colours
        self.network_view.set_colors(theme.heatmap_colors(discrete))

    @Slot(object)
    def _on_config_changed(self, config: TrainingConfig) -> None:
        self._batch_size = config.batch_size
        self.loop.post_config(config)

    @Slot(object)
    def _on_speed_changed(self, speed: Speed) -> None:
        self.loop.set_speed(speed)

    # ---- from the worker ------------------------------------------------------------------

    @Slot(bool)
    def _on_running_changed(self, running: bool) -> None:
        self.running = running
        self.training.set_running(running)

    @Slot(str)
    def _on_halted(self, message: str) -> None:
        self.show_message(f"Training paused: {message}")

    @Slot(str)
    def _on_errored(self, message: str) -> None:
        self.show_message(f"Training stopped: {message}")

    @Slot(str)
    def show_message(self, text: str) -> None:
        """Show a warning over the top of the plot until closed or training resumes."""
        self.message.show_message(text)

    # ---- errors ---------------------------------------------------------------------------

    def _report_exceptions(self) -> None:
        """While the window runs, an exception in a slot or paint handler shows in the banner."""
        self.exceptions = ExceptionReporter(self)
        self.exceptions.raised.connect(self._on_exception)
        self.exceptions.install()

    @Slot(str)
    def _on_exception(self, error: str) -> None:
        self.show_message(f"An error interrupted what the window was doing ({error}). It "
                          "carries on; the details are printed on the terminal.")

    def shutdown(self) -> None:
        """Autosave what is unsaved, stop the redraw timer and the threads, wait."""
        self.csv_import.stop()
        self.files.finish()
        self.frame_timer.stop()
        self.worker_thread.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Ask about unsaved changes (an import still being read is part of them); then stop
        training and take the inspector along."""
        if not self.files.may_close():
            event.ignore()
            return
        self.exceptions.uninstall()
        if self.remember_layout:
            self.panels.save(self.settings)
        self.shutdown()
        if self.graph_inspector is not None:  # a visible dialog would keep the app running
            self.graph_inspector.close()
        super().closeEvent(event)
