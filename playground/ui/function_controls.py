"""A function of x: the typed formula, and the range of x its samples are drawn from."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from playground.core.dataset import MAX_COORDINATE
from playground.core.expression import MAX_LENGTH
from playground.core.presets import DEFAULT_RANGE

EXAMPLE = "sin(3*x) + 0.3*x"


class FunctionControls(QWidget):
    """Emits expressionEntered(text) on Enter in the formula, rangeChosen(low, high) when a
    bound of x changes; shows a preset's formula and range with show_function."""

    expressionEntered = Signal(str)
    rangeChosen = Signal(float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.formula = QLineEdit()
        self.formula.setMaxLength(MAX_LENGTH)
        self.formula.setPlaceholderText(EXAMPLE)
        self.formula.setToolTip(
            "Type a function of x and press Enter, e.g. " + EXAMPLE + "\n"
            "Numbers, x, pi, e, + - * / ** and parentheses, and sin cos tan exp log sqrt abs "
            "tanh.\nNothing typed is run as code; a formula that cannot be used is named in a "
            "message and the previous function stays.")
        self.low, self.high = QDoubleSpinBox(), QDoubleSpinBox()
        for box, value, end in ((self.low, DEFAULT_RANGE[0], "lowest"),
                                (self.high, DEFAULT_RANGE[1], "highest")):
            box.setRange(-MAX_COORDINATE, MAX_COORDINATE)
            box.setDecimals(2)
            box.setSingleStep(0.5)
            box.setKeyboardTracking(False)  # typing 12 draws once, not twice
            box.setValue(value)
            box.setToolTip(f"The {end} x the samples are drawn from")
        formula_row = QHBoxLayout()
        formula_row.addWidget(QLabel("f(x) ="))
        formula_row.addWidget(self.formula, 1)
        range_row = QHBoxLayout()
        range_row.addWidget(QLabel("x from"))
        range_row.addWidget(self.low, 1)
        range_row.addWidget(QLabel("to"))
        range_row.addWidget(self.high, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(formula_row)
        layout.addLayout(range_row)
        self.formula.returnPressed.connect(self._on_entered)
        self.low.valueChanged.connect(self._on_range_changed)
        self.high.valueChanged.connect(self._on_range_changed)

    def x_range(self) -> tuple[float, float]:
        """The range of x the boxes show."""
        return self.low.value(), self.high.value()

    def show_function(self, formula: str, x_range: tuple[float, float]) -> None:
        """Show a function's formula (as typed, or a preset's) and its range, emitting nothing."""
        for widget in (self.formula, self.low, self.high):
            widget.blockSignals(True)
        self.formula.setText(formula)
        self.low.setValue(x_range[0])
        self.high.setValue(x_range[1])
        for widget in (self.formula, self.low, self.high):
            widget.blockSignals(False)

    def point_at(self, column: int) -> None:
        """Select the character at column (from 1) of the formula: where it went wrong."""
        self.formula.setFocus()
        self.formula.setSelection(max(column - 1, 0), 1)

    @Slot()
    def _on_entered(self) -> None:
        self.expressionEntered.emit(self.formula.text())

    @Slot()
    def _on_range_changed(self) -> None:
        self.rangeChosen.emit(*self.x_range())
