"""What a click adds: a class picker (keys 1-8) with the class count, or a value slider."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from playground.core.limits import OFFERED
from playground.core.problems import DEFAULT_CLASSES, MAX_CLASSES
from playground.ui import theme
from playground.ui.sliders import LabeledSlider

CLASS_COLUMNS = 4  # class buttons per row
VALUE_STEPS = 20  # the value slider's positions either side of 0


class ClassPicker(QWidget):
    """One coloured radio button per class, and (several classes) how many classes there are."""

    labelChosen = Signal(int)
    classesChosen = Signal(int)  # the class-count box was changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons = QButtonGroup(self)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(2)
        for label, name in enumerate(theme.CLASS_NAMES[:MAX_CLASSES]):
            button = QRadioButton(f"{name} ({label + 1})")
            button.setStyleSheet(f"QRadioButton {{ color: {theme.CLASS_COLORS[label]}; "
                                 "font-weight: bold; }")
            button.setToolTip(f"A click adds a {name} point (key {label + 1})")
            self.buttons.addButton(button, label)
            grid.addWidget(button, label // CLASS_COLUMNS, label % CLASS_COLUMNS)
        self.buttons.button(1).setChecked(True)
        self.caption = QLabel("class of a click")
        self.count = QSpinBox()
        self.count.setRange(*OFFERED.classes)
        self.count.setValue(DEFAULT_CLASSES)
        self.count.setKeyboardTracking(False)
        self.count.setSuffix(" classes")
        self.count.setToolTip("How many classes the points have (a preset is drawn again "
                              "with that many; yin-yang has its own 3)")
        count_row = QHBoxLayout()
        count_row.addWidget(self.caption)
        count_row.addStretch(1)
        count_row.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(count_row)
        layout.addLayout(grid)
        self.buttons.idToggled.connect(self._on_toggled)
        self.count.valueChanged.connect(self.classesChosen)
        self.show_classes("binary", 2)

    def show_classes(self, kind: str, n_classes: int) -> None:
        """Offer n_classes buttons, and the count box for several classes."""
        for label in range(MAX_CLASSES):
            button = self.buttons.button(label)
            button.setVisible(label < n_classes)
            name = theme.CLASS_NAMES[label]  # the key in brackets where there is room for it
            button.setText(f"{name} ({label + 1})" if n_classes <= 2 else name)
        self.count.setVisible(kind == "classes")
        if kind == "classes":
            self.count.blockSignals(True)
            self.count.setValue(n_classes)
            self.count.blockSignals(False)
        if n_classes and self.buttons.checkedId() >= n_classes:
            self.choose(n_classes - 1)

    def choose(self, label: int) -> None:
        """Tick the class a click adds."""
        self.buttons.button(label).setChecked(True)

    @Slot(int, bool)
    def _on_toggled(self, label: int, checked: bool) -> None:
        if checked:
            self.labelChosen.emit(label)


class ValuePicker(LabeledSlider):
    """The value a click gives a regression's point, -scale to +scale (the wheel over the
    plot moves it too)."""

    valueChosen = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("value", -VALUE_STEPS, VALUE_STEPS, VALUE_STEPS // 2, parent=parent)
        self.scale = 1.0  # the data's colour scale: the slider's ends
        self._fmt = self._format
        self.value_label.setText(self._format(self.value()))
        self.setToolTip("The value a click gives its point (the wheel over the plot changes "
                        "it; shift-click gives the opposite value)")
        self.valueChanged.connect(self._on_moved)

    def value_of_click(self) -> float:
        """The chosen value."""
        return self.value() / VALUE_STEPS * self.scale

    def set_scale(self, scale: float) -> None:
        """The data's colour scale, the slider's ends (the value stays where it can)."""
        value = self.value_of_click()
        self.scale = scale
        self.show_value(value)

    def show_value(self, value: float) -> None:
        """Move the slider to value (without emitting valueChosen)."""
        self.slider.blockSignals(True)
        self.setValue(round(max(-1.0, min(1.0, value / self.scale)) * VALUE_STEPS))
        self.slider.blockSignals(False)
        self.value_label.setText(self._format(self.value()))

    def _format(self, position: int) -> str:
        return f"{position / VALUE_STEPS * self.scale:+.3g}"

    @Slot(int)
    def _on_moved(self, _: int) -> None:
        self.valueChosen.emit(self.value_of_click())
