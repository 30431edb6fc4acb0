"""Data controls: the problem type, presets with their sliders, the train/test split, what a
click adds (a class, a value or a sample), a function's formula, view options and undo."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from playground.core.dataset import Dataset, PresetSettings
from playground.core.expression import ExpressionError
from playground.core.limits import OFFERED
from playground.core.presets import (
    DEFAULT_PRESETS,
    DEFAULT_RANGE,
    EXPRESSION,
    FUNCTION_FORMULAS,
    PRESETS_BY_KIND,
)
from playground.core.problems import DEFAULT_CLASSES, KIND_NAMES, KINDS, value_scale
from playground.ui.function_controls import FunctionControls
from playground.ui.point_picker import ClassPicker, ValuePicker
from playground.ui.sliders import LabeledSlider

PRESET_TEXTS = {"sin": "sin(x)", "abs": "|x|", "square": "x²", "step": "step",
                EXPRESSION: "typed f(x)"}  # how the preset box shows a function's presets


def percent(value: int) -> str:
    """12 -> '12%'."""
    return f"{value}%"


def count_text(n_points: int, n_test: int) -> str:
    """What is on the plane: '20 points: 12 training, 8 test'."""
    return f"{n_points} point{'s' * (n_points != 1)}: {n_points - n_test} training, {n_test} test"


class DataControls(QGroupBox):
    """Edits the Dataset it is given; tells the window what a click adds and the view options.

    A refused change (a formula that cannot be used, a class count the points do not fit)
    comes out as refused(message) and changes nothing.
    """

    labelChosen = Signal(int)  # 0 orange, 1 blue, 2...
    valueChosen = Signal(float)  # a regression point's value
    presetLoaded = Signal()  # new points replaced the old: refit the axes
    showTestToggled = Signal(bool)
    discretizeToggled = Signal(bool)
    partsToggled = Signal(bool)  # a function's parts as faint curves
    refused = Signal(str)  # why a change was not made

    def __init__(self, dataset: Dataset, parent: QWidget | None = None) -> None:
        super().__init__("Data", parent)
        self.dataset = dataset
        self._kind = ""  # the type the controls show
        self._file_item = -1  # the preset box's entry naming an opened file, or -1
        self.problem = QComboBox()
        for kind in KINDS:
            self.problem.addItem(KIND_NAMES[kind], kind)
        self.problem.setToolTip("The kind of problem: two classes, several classes, a value "
                                "at every point (regression) or a function of x (undoable)")
        self.preset = QComboBox()
        self.preset.setToolTip("Load a preset dataset (replaces the points; undoable)")
        self.regenerate_button = QPushButton("Regenerate")
        self.regenerate_button.setToolTip("Draw the preset again with these sliders")
        # sliders emit on release: one drag is one regeneration and one undo step
        self.points = LabeledSlider("preset size", *OFFERED.points, 200, tracking=False)
        self.points.slider.setSingleStep(10)
        self.points.slider.setPageStep(100)
        self.points.setToolTip("Number of points the preset draws (the points on the plane "
                               "are counted below it)")
        self.count = QLabel()
        self.count.setToolTip("The points on the plane now, hand-added ones included")
        low, high = (round(100 * f) for f in OFFERED.noise)
        self.noise = LabeledSlider("noise", low, high, 0, fmt=percent, tracking=False)
        self.noise.setToolTip("Noise of the preset, 0-50% (a function's: the standard "
                              "deviation of y, 0 to 0.5)")
        self.seed = QSpinBox()
        self.seed.setRange(*OFFERED.seed)
        self.seed.setKeyboardTracking(False)  # typing 123 regenerates once, not three times
        self.seed.setPrefix("seed ")
        self.seed.setToolTip("Seed of the preset's random points and of the train/test split")
        low, high = (round(100 * f) for f in OFFERED.test_fraction)
        self.split = LabeledSlider("test split", low, high, round(100 * dataset.test_fraction),
                                   fmt=percent, tracking=False)
        self.split.setToolTip("Share of the points held out for testing (hand-added points "
                              "go to training)")
        self.function = FunctionControls()
        self.classes = ClassPicker()
        self.class_buttons = self.classes.buttons
        self.value = ValuePicker()

        self.show_test = QCheckBox("show test data")
        self.show_test.setChecked(True)
        self.show_test.setToolTip("Draw the test points (hollow)")
        self.discretize = QCheckBox("discretize output")
        self.discretize.setToolTip("Colour the background by predicted class only (a "
                                   "regression: in flat bands of value)")
        self.parts = QCheckBox("show each neuron's part")
        self.parts.setToolTip("Draw, faint, what each neuron of the last hidden layer adds to "
                              "the curve (its output times its weight; blue positive, orange "
                              "negative): the curve is their sum plus a bias")

        self.clear_button = QPushButton("Clear")
        self.clear_button.setToolTip("Remove every point (undoable)")
        self.undo_button = QPushButton("Undo")
        self.undo_button.setToolTip("Undo the last edit (Ctrl+Z)")
        self.redo_button = QPushButton("Redo")
        self.redo_button.setToolTip("Redo (Ctrl+Shift+Z)")
        self._lay_out()

        self.problem.currentIndexChanged.connect(self._on_problem_chosen)
        self.preset.currentIndexChanged.connect(self.regenerate)
        self.regenerate_button.clicked.connect(self.regenerate)
        self.points.valueChanged.connect(self.regenerate)
        self.noise.valueChanged.connect(self.regenerate)
        self.seed.valueChanged.connect(self.regenerate)
        self.split.valueChanged.connect(self._on_split_changed)
        self.function.expressionEntered.connect(self._on_expression_entered)
        self.function.rangeChosen.connect(self.regenerate)
        self.classes.labelChosen.connect(self.labelChosen)
        self.classes.classesChosen.connect(self._on_classes_chosen)
        self.value.valueChosen.connect(self.valueChosen)
        self.show_test.toggled.connect(self.showTestToggled)
        self.discretize.toggled.connect(self.discretizeToggled)
        self.parts.toggled.connect(self.partsToggled)
        self.clear_button.clicked.connect(dataset.clear)
        self.undo_button.clicked.connect(dataset.undo)
        self.redo_button.clicked.connect(dataset.redo)
        dataset.changed.connect(self._on_dataset_changed)
        self._on_dataset_changed()

    def _lay_out(self) -> None:
        problem_row = QHBoxLayout()
        problem_row.addWidget(QLabel("problem"))
        problem_row.addWidget(self.problem, 1)
        preset_row = QHBoxLayout()
        preset_row.addWidget(self.preset, 1)
        preset_row.addWidget(self.seed)
        preset_row.addWidget(self.regenerate_button)
        view_row = QHBoxLayout()
        for box in (self.show_test, self.discretize, self.parts):
            view_row.addWidget(box)
        edit_row = QHBoxLayout()
        for button in (self.clear_button, self.undo_button, self.redo_button):
            edit_row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addLayout(problem_row)
        layout.addLayout(preset_row)
        layout.addWidget(self.function)
        layout.addWidget(self.points)
        layout.addWidget(self.noise)
        layout.addWidget(self.split)
        layout.addWidget(self.count)
        layout.addWidget(self.classes)
        layout.addWidget(self.value)
        layout.addLayout(view_row)
        layout.addLayout(edit_row)

    # ---- what the window calls ------------------------------------------------------------

    def set_preset(self, name: str, n_points: int, noise: float, seed: int, kind: str = "binary",
                   n_classes: int = DEFAULT_CLASSES, expression: str = "",
                   x_range: tuple[float, float] = DEFAULT_RANGE) -> None:
        """Show a preset's settings and load it (one undo step); ValueError if it cannot be."""
        self.dataset.load_preset(name, n_points, noise, seed, kind=kind, n_classes=n_classes,
                                 expression=expression, x_range=x_range)
        self.presetLoaded.emit()

    def choose_label(self, label: int) -> None:
        """Tick the class a click adds."""
        self.classes.choose(label)

    def choose_value(self, value: float) -> None:
        """Show the value a click adds (chosen with the wheel over the plot)."""
        self.value.show_value(value)

    # ---- loading ----------------------------------------------------------------------------

    @Slot()
    def regenerate(self) -> None:
        """Load the chosen preset with the sliders' settings."""
        name = self.preset.currentData()
        if name is None:  # the entry naming an opened file: nothing to draw
            return
        self._load(name, self.dataset.kind)

    def _load(self, name: str, kind: str) -> None:
        """Load a preset of a type from the controls' settings; a refusal is a message and the
        controls show the data as it stayed."""
        expression = self.function.formula.text() if name == EXPRESSION else ""
        n_classes = self.classes.count.value()
        try:
            self.dataset.load_preset(name, self.points.value(), self.noise.value() / 100,
                                     self.seed.value(), kind=kind, n_classes=n_classes,
                                     expression=expression, x_range=self.function.x_range())
        except ExpressionError as error:
            self.refused.emit(f"Could not use f(x) = {error.text}: {error.message} (column "
                              f"{error.column}). The previous function stays.")
            self._on_dataset_changed()
            self.function.formula.setText(error.text)  # as typed, to be mended
            self.function.point_at(error.column)
            return
        except ValueError as error:
            self.refused.emit(f"Could not draw the points: {error}")
            self._on_dataset_changed()
            return
        self.presetLoaded.emit()

    @Slot(int)
    def _on_problem_chosen(self, index: int) -> None:
        kind = self.problem.itemData(index)
        if kind != self.dataset.kind:
            self._load(DEFAULT_PRESETS[kind], kind)

    @Slot(str)
    def _on_expression_entered(self, text: str) -> None:
        if self.dataset.kind == "function":
            self._load(EXPRESSION, "function")

    @Slot(int)
    def _on_classes_chosen(self, n_classes: int) -> None:
        try:
            self.dataset.set_classes(n_classes)
        except ValueError as error:
            self.refused.emit(f"Could not change the classes: {error}")
            self._on_dataset_changed()

    @Slot(int)
    def _on_split_changed(self, value: int) -> None:
        self.dataset.set_test_fraction(value / 100)

    # ---- showing the dataset ----------------------------------------------------------------

    def _on_dataset_changed(self) -> None:
        dataset = self.dataset
        if dataset.kind != self._kind:
            self._show_kind(dataset.kind)
        self.classes.show_classes(dataset.kind, dataset.n_classes)
        self.value.set_scale(value_scale(dataset.values))
        self.undo_button.setEnabled(dataset.can_undo)
        self.redo_button.setEnabled(dataset.can_redo)
        self.clear_button.setEnabled(len(dataset) > 0)
        self.count.setText(count_text(len(dataset), int(dataset.is_test.sum())))
        if dataset.preset is not None:  # an undo may bring back another preset
            self._show_preset(dataset.preset)
        elif dataset.source is not None:  # ... or an opened file
            self._show_file(dataset.source)
        fraction = round(100 * dataset.test_fraction)
        if fraction != self.split.value():
            # an undo brought back another split: show it without resplitting again
            self.split.blockSignals(True)
            self.split.setValue(fraction)
            self.split.blockSignals(False)

    def _show_kind(self, kind: str) -> None:
        """The type's presets, and the controls that apply to it."""
        self._kind = kind
        self.problem.blockSignals(True)
        self.problem.setCurrentIndex(self.problem.findData(kind))
        self.problem.blockSignals(False)
        self.preset.blockSignals(True)
        self.preset.clear()
        names = PRESETS_BY_KIND[kind] + ((EXPRESSION,) if kind == "function" else ())
        for name in names:
            self.preset.addItem(PRESET_TEXTS.get(name, name), name)
        self._file_item = -1
        self.preset.blockSignals(False)
        self.function.setVisible(kind == "function")
        self.classes.setVisible(kind in ("binary", "classes"))
        self.value.setVisible(kind == "regression")
        self.discretize.setVisible(kind != "function")
        self.parts.setVisible(kind == "function")

    def _show_preset(self, preset: PresetSettings) -> None:
        """Set the preset controls without loading anything."""
        widgets = (self.preset, self.points, self.noise, self.seed)
        for widget in widgets:
            widget.blockSignals(True)
        if self._file_item >= 0:
            self.preset.removeItem(self._file_item)
            self._file_item = -1
        self.preset.setCurrentIndex(self.preset.findData(preset.name))
        self.points.setValue(preset.n_points)
        self.noise.setValue(round(100 * preset.noise))
        self.seed.setValue(preset.seed)
        for widget in widgets:
            widget.blockSignals(False)
        if preset.kind == "function":  # a step has no formula: what was typed stays
            formula = preset.expression if preset.name == EXPRESSION else \
                FUNCTION_FORMULAS.get(preset.name, self.function.formula.text())
            self.function.show_function(formula, preset.x_range)
        self._enable_preset_settings(True)

    def _show_file(self, name: str) -> None:
        """Name the opened file in the preset box; the preset's settings do not apply to it."""
        self.preset.blockSignals(True)
        if self._file_item < 0:
            self.preset.addItem(name, None)
            self._file_item = self.preset.count() - 1
        self.preset.setItemText(self._file_item, name)
        self.preset.setCurrentIndex(self._file_item)
        self.preset.blockSignals(False)
        self._enable_preset_settings(False)

    def _enable_preset_settings(self, enabled: bool) -> None:
        """The sliders, seed and Regenerate draw a preset: off while a file's points are shown."""
        for widget in (self.points, self.noise, self.seed, self.regenerate_button):
            widget.setEnabled(enabled)
