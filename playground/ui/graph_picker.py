"""Which sample the inspector shows: a training or test point by number, or a probe.

A probe's truth is what its loss is measured against: a class for the class types, a value for
regression, and for a function of x the probe's own y (a sample is a point (x, y)).
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from playground.core.inspection import TEST, TRAINING
from playground.core.sample_graph import Sample
from playground.ui import theme

PROBE = "probe"
SOURCES = (TRAINING, TEST, PROBE)
PLANE_LIMIT = 1e6  # a probe's coordinates stay within this


class SamplePicker(QWidget):
    """A source (training point, test point, probe), a point number, a probe's place and class."""

    changed = Signal()  # the person chose another sample

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = QComboBox()
        self.source.addItems(list(SOURCES))
        self.source.setToolTip("A point of the dataset, or a probe anywhere on the plane")
        self.index = QSpinBox()
        self.index.setRange(1, 1)
        self.index.setToolTip("Which point of the split")
        self.x, self.y = QDoubleSpinBox(), QDoubleSpinBox()
        for box in (self.x, self.y):
            box.setRange(-PLANE_LIMIT, PLANE_LIMIT)
            box.setDecimals(3)
            box.setSingleStep(0.1)
            box.setToolTip("Where the probe is (Alt+click on the plot puts it there)")
        self.label = QComboBox()
        self.label.setToolTip("The class the probe's loss is measured against")
        self.value = QDoubleSpinBox()
        self.value.setRange(-PLANE_LIMIT, PLANE_LIMIT)
        self.value.setDecimals(3)
        self.value.setSingleStep(0.1)
        self.value.setToolTip("The value the probe's loss is measured against")
        self.hint = QLabel("Alt+click on the plot: the nearest point, or a probe there")
        self.hint.setWordWrap(True)
        self.form = QFormLayout(self)
        self.form.addRow("inspect", self.source)
        self.form.addRow("number", self.index)
        self.form.addRow("x₁", self.x)
        self.form.addRow("x₂", self.y)
        self.form.addRow("target class", self.label)
        self.form.addRow("target value", self.value)
        self.form.addRow(self.hint)
        self.kind = ""
        self.source.currentIndexChanged.connect(self._on_source)
        for widget in (self.index, self.x, self.y, self.value):
            widget.valueChanged.connect(self._on_edit)
        self.label.currentIndexChanged.connect(self._on_edit)
        self.set_problem("binary", 2)
        self._on_source()

    def set_problem(self, kind: str, n_classes: int) -> None:
        """Ask for the truth this problem type has: a class, a value, or (a function) none."""
        if kind == self.kind and self.label.count() == n_classes:
            return
        self.kind = kind
        self.label.blockSignals(True)
        self.label.clear()
        self.label.addItems(list(theme.CLASS_NAMES[:n_classes]))
        self.label.blockSignals(False)
        function = kind == "function"
        self.form.setRowVisible(self.label, n_classes > 0)
        self.form.setRowVisible(self.value, kind == "regression")
        self.form.labelForField(self.x).setText("x" if function else "x₁")
        self.form.labelForField(self.y).setText("y (the target)" if function else "x₂")

    def set_split_sizes(self, n_training: int, n_test: int) -> None:
        """How many points each split has (the number's range)."""
        n = n_test if self.source.currentText() == TEST else n_training
        self.index.blockSignals(True)
        self.index.setRange(1, max(n, 1))
        self.index.blockSignals(False)

    def show_sample(self, sample: Sample) -> None:
        """Show a sample chosen elsewhere (an Alt+click), without emitting changed."""
        widgets = (self.source, self.index, self.x, self.y, self.label, self.value)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            source, _, number = sample.where.rpartition(" ")
            if sample.where == PROBE:
                self.source.setCurrentText(PROBE)
            else:
                self.source.setCurrentText(source)
                self.index.setMaximum(max(self.index.maximum(), int(number)))
                self.index.setValue(int(number))
            self.x.setValue(sample.point[0])
            self.y.setValue(sample.point[1])
            if self.label.count():
                self.label.setCurrentIndex(int(sample.truth))
            if self.kind == "regression":
                self.value.setValue(sample.truth)
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._enable()

    def choice(self) -> tuple[str, int, tuple[float, float], float]:
        """(source, point number, probe point, probe truth)."""
        point = (self.x.value(), self.y.value())
        truth = (point[1] if self.kind == "function" else
                 self.value.value() if self.kind == "regression" else self.label.currentIndex())
        return self.source.currentText(), self.index.value(), point, truth

    def _enable(self) -> None:
        probe = self.source.currentText() == PROBE
        self.index.setEnabled(not probe)
        for widget in (self.x, self.y, self.label, self.value):
            widget.setEnabled(probe)

    @Slot()
    def _on_source(self) -> None:
        self._enable()
        self.changed.emit()

    @Slot()
    def _on_edit(self) -> None:
        self.changed.emit()
