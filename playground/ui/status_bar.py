"""The status bar: epoch, step, epochs and steps per second, losses, and accuracy (the class
types) or R² and RMSE (regression and functions)."""

from __future__ import annotations

import time
from collections import deque

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from playground.core.training_record import StepResult

RATE_WINDOW_S = 1.0  # steps per second are averaged over this long


class RateMeter:
    """Steps per second over the last RATE_WINDOW_S, from (time, step count) samples."""

    def __init__(self) -> None:
        self._samples: deque[tuple[float, int]] = deque()

    def add(self, steps: int, now: float | None = None) -> float:
        """Record the step count now; return the current rate."""
        now = time.perf_counter() if now is None else now
        if self._samples and steps < self._samples[-1][1]:
            self._samples.clear()  # the session was reset
        self._samples.append((now, steps))
        while len(self._samples) > 2 and now - self._samples[0][0] > RATE_WINDOW_S:
            self._samples.popleft()
        (t0, s0), (t1, s1) = self._samples[0], self._samples[-1]
        return (s1 - s0) / (t1 - t0) if t1 > t0 else 0.0


def format_rates(steps_per_s: float, steps_per_epoch: int) -> str:
    """'41.2 epochs/s, 1,030 steps/s'; slow motion keeps three digits: '0.12 epochs/s'.

    Epochs/s from steps/s, so a rate slower than an epoch a second shows at once.
    """
    epochs_per_s = steps_per_s / steps_per_epoch
    epochs = f"{epochs_per_s:,.0f}" if epochs_per_s >= 100 else f"{epochs_per_s:.3g}"
    return f"{epochs} epochs/s, {steps_per_s:,.0f} steps/s"


def _fmt_loss(loss: float) -> str:
    return f"{loss:.4f}" if loss == loss else "–"  # NaN (no points in the split): a dash


def _fmt_percent(fraction: float) -> str:
    return f"{100 * fraction:.1f}%" if fraction == fraction else "–"


def _fmt_fit(value: float) -> str:
    if value != value:
        return "–"
    return f"{value:.3f}" if abs(value) < 10 else f"{value:.3g}"


def fit_text(result: StepResult) -> str:
    """'R² 0.951 / 0.934, RMSE 0.123 / 0.150' (train / test) for the value types."""
    train, test = result.evaluation.train, result.evaluation.test
    return (f"R² {_fmt_fit(train.r2)} / {_fmt_fit(test.r2)}, "
            f"RMSE {_fmt_fit(train.rmse)} / {_fmt_fit(test.rmse)}")


ACCURACY_TIP = "Share of points classified right: training / test"
FIT_TIP = ("R²: the share of the values' variation the network explains (1 is a perfect fit, "
           "0 no better than their mean); RMSE: the root of the mean squared error. "
           "Training / test")

class TrainingStatusBar(QStatusBar):
    """Permanent fields for the training state; temporary messages go on the left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rate = RateMeter()
        self.fields: dict[str, QLabel] = {}
        # widths fit the widest text each field shows, so the fields neither jitter nor make
        # the status bar lay itself out again at every change of text
        for name, widest, tip in (
                ("epoch", "epoch 000,000", "Passes over the training points"),
                ("step", "step 00,000,000", "Optimization steps (one per minibatch)"),
                ("speed", "00,000 epochs/s, 00,000 steps/s",
                 "Epochs (passes over the training points) and optimization steps per second"),
                ("train", "train loss 0.0000", "Loss on the training points, last epoch"),
                ("test", "test loss 0.0000", "Loss on the test points, last epoch"),
                ("accuracy", "R² -0.000 / -0.000, RMSE -1.23e+04 / -1.23e+04", ACCURACY_TIP)):
            label = QLabel()
            label.setToolTip(tip)
            label.setFixedWidth(label.fontMetrics().horizontalAdvance(widest) + 6)
            self.addPermanentWidget(label)
            self.fields[name] = label
        self.values = False  # a value type: R² and RMSE instead of accuracy
        self.show_result(None, running=False)

    def show_values(self, values: bool) -> None:
        """Show R² and RMSE (regression, functions) or accuracy (the class types)."""
        self.values = values
        self.fields["accuracy"].setToolTip(FIT_TIP if values else ACCURACY_TIP)

    def show_result(self, result: StepResult | None, running: bool,
                    steps_per_epoch: int = 1) -> None:
        """Fill the fields from the latest step (None: nothing trained yet)."""
        if result is None:
            texts = {"epoch": "epoch 0", "step": "step 0", "speed": "paused",
                     "train": "train loss –", "test": "test loss –", "accuracy": "accuracy –"}
            self.rate = RateMeter()
        else:
            if running:
                speed = format_rates(self.rate.add(result.step), steps_per_epoch)
            else:
                self.rate = RateMeter()
                speed = "paused"
            texts = {"epoch": f"epoch {result.epoch:,}", "step": f"step {result.step:,}",
                     "speed": speed,
                     "train": f"train loss {_fmt_loss(result.train_loss)}",
                     "test": f"test loss {_fmt_loss(result.test_loss)}",
                     "accuracy": fit_text(result) if self.values else
                     f"accuracy train {_fmt_percent(result.train_accuracy)} / "
                     f"test {_fmt_percent(result.test_accuracy)}"}
        for name, text in texts.items():
            if self.fields[name].text() != text:
                self.fields[name].setText(text)
