"""Data controls: presets with their sliders, the train/test split, the class to paint, undo."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from playground.core.dataset import Dataset, PresetSettings
from playground.core.limits import OFFERED
from playground.core.presets import PRESETS
from playground.ui import theme
from playground.ui.sliders import LabeledSlider

FILE_ITEM = len(PRESETS)  # the preset box's entry naming an opened file, after the presets


def percent(value: int) -> str:
    """12 -> '12%'."""
    return f"{value}%"


def count_text(n_points: int, n_test: int) -> str:
    """What is on the plane: '20 points: 12 training, 8 test'."""
    return f"{n_points} point{'s' * (n_points != 1)}: {n_points - n_test} training, {n_test} test"


class DataControls(QGroupBox):
    """Edits the Dataset it is given; tells the window the class and view options chosen."""

    labelChosen = Signal(int)  # 0 orange, 1 blue
    presetLoaded = Signal()  # new points replaced the old: refit the axes
    showTestToggled = Signal(bool)
    discretizeToggled = Signal(bool)

    def __init__(self, dataset: Dataset, parent: QWidget | None = None) -> None:
        super().__init__("Data", parent)
        self.dataset = dataset
        self.preset = QComboBox()
        self.preset.addItems(PRESETS)
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
        self.noise.setToolTip("Noise of the preset, 0-50%")
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
        preset_row = QHBoxLayout()
        preset_row.addWidget(self.preset, 1)
        preset_row.addWidget(self.seed)
        preset_row.addWidget(self.regenerate_button)

        self.class_buttons = QButtonGroup(self)
        class_row = QHBoxLayout()
        for label, name in enumerate(theme.CLASS_NAMES):
            button = QRadioButton(f"{name} ({label + 1})")
            button.setStyleSheet(f"QRadioButton {{ color: {theme.CLASS_COLORS[label]}; "
                                 "font-weight: bold; }")
            button.setToolTip(f"A click adds a {name} point; shift-click the other class "
                              f"(key {label + 1})")
            self.class_buttons.addButton(button, label)
            class_row.addWidget(button)
        self.class_buttons.button(1).setChecked(True)

        self.show_test = QCheckBox("show test data")
        self.show_test.setChecked(True)
        self.show_test.setToolTip("Draw the test points (hollow)")
        self.discretize = QCheckBox("discretize output")
        self.discretize.setToolTip("Colour the background by predicted class only")
        view_row = QHBoxLayout()
        view_row.addWidget(self.show_test)
        view_row.addWidget(self.discretize)

        self.clear_button = QPushButton("Clear")
        self.clear_button.setToolTip("Remove every point (undoable)")
        self.undo_button = QPushButton("Undo")
        self.undo_button.setToolTip("Undo the last edit (Ctrl+Z)")
        self.redo_button = QPushButton("Redo")
        self.redo_button.setToolTip("Redo (Ctrl+Shift+Z)")
        edit_row = QHBoxLayout()
        for button in (self.clear_button, self.undo_button, self.redo_button):
            edit_row.addWidget(button)

        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addLayout(preset_row)
        layout.addWidget(self.points)
        layout.addWidget(self.noise)
        layout.addWidget(self.split)
        layout.addWidget(self.count)
        layout.addLayout(class_row)
        layout.addLayout(view_row)
        layout.addLayout(edit_row)

        self.preset.currentIndexChanged.connect(self.regenerate)
        self.regenerate_button.clicked.connect(self.regenerate)
        self.points.valueChanged.connect(self.regenerate)
        self.noise.valueChanged.connect(self.regenerate)
        self.seed.valueChanged.connect(self.regenerate)
        self.split.valueChanged.connect(self._on_split_changed)
        self.class_buttons.idToggled.connect(self._on_class_toggled)
        self.show_test.toggled.connect(self.showTestToggled)
        self.discretize.toggled.connect(self.discretizeToggled)
        self.clear_button.clicked.connect(dataset.clear)
        self.undo_button.clicked.connect(dataset.undo)
        self.redo_button.clicked.connect(dataset.redo)
        dataset.changed.connect(self._on_dataset_changed)
        self._on_dataset_changed()

    def set_preset(self, name: str, n_points: int, noise: float, seed: int) -> None:
        """Show a preset's settings and load it (one undo step)."""
        if name not in PRESETS:
            raise ValueError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
        self._show_preset(PresetSettings(name, n_points, noise, seed))
        self._load(n_points, noise)

    def _show_preset(self, preset: PresetSettings) -> None:
        """Set the preset controls without loading anything."""
        for widget in (self.preset, self.points, self.noise, self.seed):
            widget.blockSignals(True)
        self.preset.setCurrentText(preset.name)
        if self.preset.count() > FILE_ITEM:
            self.preset.removeItem(FILE_ITEM)
        self.points.setValue(preset.n_points)
        self.noise.setValue(round(100 * preset.noise))
        self.seed.setValue(preset.seed)
        for widget in (self.preset, self.points, self.noise, self.seed):
            widget.blockSignals(False)
        self._enable_preset_settings(True)

    def _show_file(self, name: str) -> None:
        """Name the opened file in the preset box; the preset's settings do not apply to it."""
        self.preset.blockSignals(True)
        if self.preset.count() == FILE_ITEM:
            self.preset.addItem(name)
        self.preset.setItemText(FILE_ITEM, name)
        self.preset.setCurrentIndex(FILE_ITEM)
        self.preset.blockSignals(False)
        self._enable_preset_settings(False)

    def _enable_preset_settings(self, enabled: bool) -> None:
        """The sliders, seed and Regenerate draw a preset: off while a file's points are shown."""
        for widget in (self.points, self.noise, self.seed, self.regenerate_button):
            widget.setEnabled(enabled)

    @Slot()
    def regenerate(self) -> None:
        """Load the chosen preset with the sliders' settings."""
        self._load(self.points.value(), self.noise.value() / 100)

    def _load(self, n_points: int, noise: float) -> None:
        self.dataset.load_preset(self.preset.currentText(), n_points, noise, self.seed.value())
        self.presetLoaded.emit()

    def choose_label(self, label: int) -> None:
        """Tick the class a click adds."""
        self.class_buttons.button(label).setChecked(True)

    @Slot(int, bool)
    def _on_class_toggled(self, label: int, checked: bool) -> None:
        if checked:
            self.labelChosen.emit(label)

    @Slot(int)
    def _on_split_changed(self, value: int) -> None:
        self.dataset.set_test_fraction(value / 100)

    def _on_dataset_changed(self) -> None:
        self.undo_button.setEnabled(self.dataset.can_undo)
        self.redo_button.setEnabled(self.dataset.can_redo)
        self.clear_button.setEnabled(len(self.dataset) > 0)
        self.count.setText(count_text(len(self.dataset), int(self.dataset.is_test.sum())))
        if self.dataset.preset is not None:  # an undo may bring back another preset
            self._show_preset(self.dataset.preset)
        elif self.dataset.source is not None:  # ... or an opened file
            self._show_file(self.dataset.source)
        fraction = round(100 * self.dataset.test_fraction)
        if fraction != self.split.value():
            # an undo brought back another split: show it without resplitting again
            self.split.blockSignals(True)
            self.split.setValue(fraction)
            self.split.blockSignals(False)
