"""Sliders that show their value: a plain integer one and one over a list of choices."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget


class LabeledSlider(QWidget):
    """A horizontal integer slider with a caption on its left and its value on its right."""

    valueChanged = Signal(int)

    def __init__(self, caption: str, minimum: int, maximum: int, value: int,
                 fmt: Callable[[int], str] = str, tracking: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fmt = fmt
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(minimum, maximum)
        self.slider.setValue(value)
        # without tracking, valueChanged fires on release, so a drag is one edit, not fifty
        self.slider.setTracking(tracking)
        self.caption = QLabel(caption)
        self.caption.setMinimumWidth(72)
        self.value_label = QLabel(fmt(value))
        self.value_label.setMinimumWidth(44)
        self.value_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.value_label)
        self.slider.sliderMoved.connect(self._show)
        self.slider.valueChanged.connect(self._on_value_changed)

    def value(self) -> int:
        """The slider's current value."""
        return self.slider.value()

    def setValue(self, value: int) -> None:
        """Move the slider (emits valueChanged if the value changes)."""
        self.slider.setValue(value)

    def setToolTip(self, text: str) -> None:
        """Show the tooltip on the caption and the slider alike."""
        super().setToolTip(text)
        self.slider.setToolTip(text)

    @Slot(int)
    def _show(self, value: int) -> None:
        self.value_label.setText(self._fmt(value))

    @Slot(int)
    def _on_value_changed(self, value: int) -> None:
        self._show(value)
        self.valueChanged.emit(value)


class ChoiceSlider(LabeledSlider):
    """A slider whose positions are a sorted list of numbers, e.g. log-spaced learning rates."""

    choiceChanged = Signal(float)

    def __init__(self, caption: str, choices: Sequence[float], value: float,
                 fmt: Callable[[float], str] = "{:g}".format,
                 parent: QWidget | None = None) -> None:
        self.choices = tuple(choices)
        self._format_choice = fmt
        self._value = float(value)
        super().__init__(caption, 0, len(self.choices) - 1, self.nearest_index(value),
                         fmt=self._format_index, parent=parent)
        self.value_label.setText(fmt(self._value))
        self.valueChanged.connect(self._on_index_changed)

    def nearest_index(self, value: float) -> int:
        """The position of the choice closest to value (by ratio, for log-spaced choices)."""
        return min(range(len(self.choices)),
                   key=lambda i: abs(self.choices[i] - value) / max(abs(value), 1e-300))

    def current(self) -> float:
        """The chosen number (may lie between positions when set with set_current)."""
        return self._value

    def set_current(self, value: float) -> None:
        """Show value exactly and move the slider to the nearest position."""
        self._value = float(value)
        self.slider.blockSignals(True)
        self.slider.setValue(self.nearest_index(value))
        self.slider.blockSignals(False)
        self.value_label.setText(self._format_choice(self._value))
        self.choiceChanged.emit(self._value)

    def _format_index(self, index: int) -> str:
        return self._format_choice(self.choices[index])

    @Slot(int)
    def _on_index_changed(self, index: int) -> None:
        self._value = self.choices[index]
        self.choiceChanged.emit(self._value)
