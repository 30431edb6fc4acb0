"""Training controls: play/pause, steps, reset, speed, learning rate, batch size, optimizer..."""

from __future__ import annotations

import math

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from playground.core.limits import OFFERED
from playground.core.pace import DEFAULT_SPEED, SPEEDS, Speed
from playground.core.spec import TrainingConfig
from playground.ui.sliders import ChoiceSlider, LabeledSlider

MIN_RATE, MAX_RATE = OFFERED.learning_rate
# 1, 2, 3, 5 per decade from MIN_RATE to MAX_RATE: log-spaced, and 0.03 (the default) lies on it
_DECADES = range(round(math.log10(MIN_RATE)), round(math.log10(MAX_RATE)))
LEARNING_RATES = (*(float(f"{m}e{e}") for e in _DECADES for m in (1, 2, 3, 5)), MAX_RATE)
REG_RATES = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
OPTIMIZER_CHOICES = (("SGD", "sgd"), ("momentum", "momentum"), ("Adam", "adam"),
                     ("AdamW", "adamw"))
LOSS_TEXTS = {"mse": "squared error", "hinge": "hinge", "bce": "cross-entropy",
              "cross_entropy": "softmax cross-entropy", "multiclass_hinge": "multi-class hinge",
              "mae": "absolute error", "huber": "Huber"}
REG_CHOICES = (("none", "none"), ("L1", "l1"), ("L2", "l2"))
SPEED_TIP = ("How fast training runs, live: from 1 optimization step a second (watch every "
             "update of the boundary and the weights) through 1 epoch per drawn frame "
             "(TensorFlow Playground's pace, the default) to as fast as the machine goes "
             "(keys + and -)")


def format_rate(rate: float) -> str:
    """0.03 -> '0.03', 1e-05 -> '1e-05'."""
    return f"{rate:.4g}"


def _speed_label(index: int) -> str:
    return SPEEDS[index].label


def _combo(choices: tuple[tuple[str, str], ...], tooltip: str) -> QComboBox:
    combo = QComboBox()
    for text, name in choices:
        combo.addItem(text, name)
    combo.setToolTip(tooltip)
    return combo


class TrainingControls(QGroupBox):
    """Emits configChanged(TrainingConfig) on any setting, speedChanged(Speed), and requests."""

    configChanged = Signal(object)
    speedChanged = Signal(object)  # a pace.Speed
    playToggled = Signal(bool)
    stepRequested = Signal()  # one epoch
    batchStepRequested = Signal()  # one minibatch
    resetRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Training", parent)
        self.play_button = QPushButton("▶  Play")
        self.play_button.setCheckable(True)
        self.play_button.setToolTip("Train continuously (Space)")
        self.step_button = QPushButton("Epoch")
        self.step_button.setToolTip("Train to the end of the next epoch, then pause "
                                    "(Right arrow or S)")
        self.batch_button = QPushButton("Batch")
        self.batch_button.setToolTip("Train on one minibatch (one optimization step), then pause "
                                     "(Shift+Right or B)")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip("New weights from the seed; clears the loss curve (R)")
        # two rows of two: four buttons in one row do not fit the side panel's width
        buttons = QGridLayout()
        for i, button in enumerate((self.play_button, self.reset_button, self.step_button,
                                    self.batch_button)):
            buttons.addWidget(button, i // 2, i % 2)
        self.speed_slider = LabeledSlider("speed", 0, len(SPEEDS) - 1,
                                          SPEEDS.index(DEFAULT_SPEED), fmt=_speed_label)
        metrics = self.speed_slider.value_label.fontMetrics()
        self.speed_slider.value_label.setMinimumWidth(
            max(metrics.horizontalAdvance(speed.label) for speed in SPEEDS))
        self.speed_slider.setToolTip(SPEED_TIP)

        self.learning_rate = ChoiceSlider("learning rate", LEARNING_RATES, 0.03, fmt=format_rate)
        self.learning_rate.setToolTip("Step size of the optimizer, 1e-5 to 10 (log scale); "
                                      "applies at the next step")
        self.batch_size = LabeledSlider("batch size", *OFFERED.batch_size, 10)
        self.batch_size.setToolTip("Training points per optimization step")
        self.optimizer = _combo(OPTIMIZER_CHOICES, "How the gradient moves the weights")
        self.loss = _combo(tuple((LOSS_TEXTS[n], n) for n in ("mse", "hinge", "bce")),
                           "What the network minimises")
        self.regularization = _combo(REG_CHOICES, "Penalty on large weights")
        self.reg_rate = QComboBox()
        for rate in REG_RATES:
            self.reg_rate.addItem(format_rate(rate), rate)
        self.reg_rate.setToolTip("Strength of the weight penalty")
        self.seed = QSpinBox()
        self.seed.setRange(*OFFERED.seed)
        self.seed.setKeyboardTracking(False)
        self.seed.setToolTip("Seeds the initial weights and the batch order (used at reset)")
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("optimizer", self.optimizer)
        form.addRow("loss", self.loss)
        form.addRow("regularization", self.regularization)
        form.addRow("reg. rate", self.reg_rate)
        form.addRow("seed", self.seed)
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addLayout(buttons)
        layout.addWidget(self.speed_slider)
        layout.addWidget(self.learning_rate)
        layout.addWidget(self.batch_size)
        layout.addLayout(form)

        self.play_button.toggled.connect(self._on_play_toggled)
        self.step_button.clicked.connect(self.stepRequested)
        self.batch_button.clicked.connect(self.batchStepRequested)
        self.speed_slider.valueChanged.connect(self._on_speed_changed)
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

    def offer_losses(self, names: tuple[str, ...]) -> None:
        """Offer only these losses (those of the problem type), emitting nothing; set_config
        then chooses one."""
        self.loss.blockSignals(True)
        self.loss.clear()
        for name in names:
            self.loss.addItem(LOSS_TEXTS[name], name)
        self.loss.blockSignals(False)

    def set_config(self, config: TrainingConfig, emit: bool = True) -> None:
        """Show config in the controls, then emit configChanged once (unless not emit)."""
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
        if emit:
            self._on_changed()

    def speed(self) -> Speed:
        """The speed the slider shows."""
        return SPEEDS[self.speed_slider.value()]

    def set_speed(self, speed: Speed) -> None:
        """Show speed on the slider (emits speedChanged if it moves)."""
        self.speed_slider.setValue(SPEEDS.index(speed))

    @Slot()
    def faster(self) -> None:
        """One speed up (the fastest stays)."""
        self.speed_slider.setValue(min(self.speed_slider.value() + 1, len(SPEEDS) - 1))

    @Slot()
    def slower(self) -> None:
        """One speed down (the slowest stays)."""
        self.speed_slider.setValue(max(self.speed_slider.value() - 1, 0))

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

    @Slot(int)
    def _on_speed_changed(self, index: int) -> None:
        self.speedChanged.emit(SPEEDS[index])

    @Slot()
    def _on_changed(self) -> None:
        if not self.signalsBlocked():
            self.configChanged.emit(self.config())
