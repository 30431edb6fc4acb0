"""Training controls: play/pause, step, reset, learning rate, batch size, optimizer, loss, seed."""

from __future__ import annotations

import math

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from playground.core.spec import TrainingConfig
from playground.ui.limits import MAX_RATE, MAX_SEED, MIN_RATE
from playground.ui.sliders import ChoiceSlider, LabeledSlider

# 1, 2, 3, 5 per decade from MIN_RATE to MAX_RATE: log-spaced, and 0.03 (the default) lies on it
_DECADES = range(round(math.log10(MIN_RATE)), round(math.log10(MAX_RATE)))
LEARNING_RATES = (*(float(f"{m}e{e}") for e in _DECADES for m in (1, 2, 3, 5)), MAX_RATE)
REG_RATES = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
OPTIMIZER_CHOICES = (("SGD", "sgd"), ("momentum", "momentum"), ("Adam", "adam"),
                     ("AdamW", "adamw"))
LOSS_CHOICES = (("squared error", "mse"), ("hinge", "hinge"), ("cross-entropy", "bce"))
REG_CHOICES = (("none", "none"), ("L1", "l1"), ("L2", "l2"))
MAX_BATCH = 100


def format_rate(rate: float) -> str:
    """0.03 -> '0.03', 1e-05 -> '1e-05'."""
    return f"{rate:.4g}"


def _combo(choices: tuple[tuple[str, str], ...], tooltip: str) -> QComboBox:
    combo = QComboBox()
    for text, name in choices:
        combo.addItem(text, name)
    combo.setToolTip(tooltip)
    return combo


class TrainingControls(QGroupBox):
    """Emits configChanged(TrainingConfig) on any setting, and the play/step/reset requests."""

    configChanged = Signal(object)
    playToggled = Signal(bool)
    stepRequested = Signal()
    resetRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Training", parent)
        self.play_button = QPushButton("▶  Play")
        self.play_button.setCheckable(True)
        self.play_button.setToolTip("Train continuously (Space)")
        self.step_button = QPushButton("Step")
        self.step_button.setToolTip("Train one epoch, then pause (Right arrow or S)")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip("New weights from the seed; clears the loss curve (R)")
        buttons = QHBoxLayout()
        for button in (self.play_button, self.step_button, self.reset_button):
            buttons.addWidget(button)

        self.learning_rate = ChoiceSlider("learning rate", LEARNING_RATES, 0.03, fmt=format_rate)
        self.learning_rate.setToolTip("Step size of the optimizer, 1e-5 to 10 (log scale); "
                                      "applies at the next step")
        self.batch_size = LabeledSlider("batch size", 1, MAX_BATCH, 10)
        self.batch_size.setToolTip("Training points per optimization step")
        self.optimizer = _combo(OPTIMIZER_CHOICES, "How the gradient moves the weights")
        self.loss = _combo(LOSS_CHOICES, "What the network minimises")
        self.regularization = _combo(REG_CHOICES, "Penalty on large weights")
        self.reg_rate = QComboBox()
        for rate in REG_RATES:
            self.reg_rate.addItem(format_rate(rate), rate)
        self.reg_rate.setToolTip("Strength of the weight penalty")
        self.seed = QSpinBox()
        self.seed.setRange(0, MAX_SEED)
        self.seed.setKeyboardTracking(False)
        self.seed.setToolTip("Seeds the initial weights and the batch order (used at reset)")
        regularization = QHBoxLayout()
        regularization.addWidget(self.regularization, 1)
        regularization.addWidget(self.reg_rate, 1)

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("optimizer", self.optimizer)
        form.addRow("loss", self.loss)
        form.addRow("regularization", regularization)
        form.addRow("seed", self.seed)
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addLayout(buttons)
        layout.addWidget(self.learning_rate)
        layout.addWidget(self.batch_size)
        layout.addLayout(form)

        self.play_button.toggled.connect(self._on_play_toggled)
        self.step_button.clicked.connect(self.stepRequested)
        self.reset_button.clicked.connect(self.resetRequested)
        self.learning_rate.choiceChanged.connect(self._on_changed)
        self.batch_size.valueChanged.connect(self._on_changed)
        for combo in (self.optimizer, self.loss, self.regularization, self.reg_rate):
            combo.currentIndexChanged.connect(self._on_changed)
        self.seed.valueChanged.connect(self._on_changed)

    def config(self) -> TrainingConfig:
        """The training set-up the controls show."""
        return TrainingConfig(learning_rate=self.learning_rate.current(),
                              batch_size=self.batch_size.value(),
                              optimizer=self.optimizer.currentData(),
                              loss=self.loss.currentData(),
                              regularization=self.regularization.currentData(),
                              reg_rate=self.reg_rate.currentData(),
                              seed=self.seed.value())

    def set_config(self, config: TrainingConfig) -> None:
        """Show config in the controls, then emit configChanged once."""
        self.blockSignals(True)
        self.learning_rate.set_current(config.learning_rate)
        self.batch_size.setValue(config.batch_size)
        for combo, name in ((self.optimizer, config.optimizer), (self.loss, config.loss),
                            (self.regularization, config.regularization)):
            combo.setCurrentIndex(combo.findData(name))
        rate_index = self.reg_rate.findData(config.reg_rate)
        if rate_index < 0:
            self.reg_rate.addItem(format_rate(config.reg_rate), config.reg_rate)
            rate_index = self.reg_rate.count() - 1
        self.reg_rate.setCurrentIndex(rate_index)
        self.seed.setValue(config.seed)
        self.blockSignals(False)
        self._on_changed()

    def set_running(self, running: bool) -> None:
        """Show whether training runs (without asking for a change)."""
        self.play_button.blockSignals(True)
        self.play_button.setChecked(running)
        self.play_button.blockSignals(False)
        self._label_play(running)

    def _label_play(self, running: bool) -> None:
        self.play_button.setText("❚❚  Pause" if running else "▶  Play")

    @Slot(bool)
    def _on_play_toggled(self, checked: bool) -> None:
        self._label_play(checked)
        self.playToggled.emit(checked)

    @Slot()
    def _on_changed(self) -> None:
        if not self.signalsBlocked():
            self.configChanged.emit(self.config())
