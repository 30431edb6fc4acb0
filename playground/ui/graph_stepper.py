"""The backprop stepper's controls: step, back, play at a pace, to the end, reset the grads.

The panel drives the core BackpropStepper it is given and says when it stepped; the inspector
then redraws the numbers (and stops following training: a step shows one moment of it).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from playground.core.backprop_stepper import BackpropStepper

MAX_PACE = 30  # steps per second at the slider's right end


class StepperPanel(QWidget):
    """Buttons and a pace slider; the inspector does the stepping and fills in the text."""

    stepped = Signal()  # the stepper moved: show its grads

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stepper: BackpropStepper | None = None
        buttons = (("◀◀ Forward pass", "Start over: only the leaves known, every grad 0 (Home)",
                    self.restart),
                   ("Reset grads", "Every grad back to 0, the forward pass done: backward "
                    "starts at the next step (R)", self.reset_grads),
                   ("◀ Back", "Undo the last step (Left)", self.step_back),
                   ("Step ▶", "Do the next step (Right)", self.step),
                   ("To the end ▶▶", "Do every remaining step (End)", self.run_to_end))
        grid = QGridLayout()
        self.buttons: dict[str, QPushButton] = {}
        for k, (text, tip, action) in enumerate(buttons):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # keep the arrows for stepping
            button.clicked.connect(action)
            grid.addWidget(button, k // 2, k % 2)
            self.buttons[text] = button
        self.play_button = QPushButton("Play")
        self.play_button.setCheckable(True)
        self.play_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.play_button.setToolTip("Step on its own at the chosen pace (Space)")
        grid.addWidget(self.play_button, 2, 1)
        self.pace = QSlider(Qt.Orientation.Horizontal)
        self.pace.setRange(1, MAX_PACE)
        self.pace.setValue(4)
        self.pace.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.pace.setToolTip("Steps per second while playing")
        self.pace_label = QLabel()
        self.position = QLabel()
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        font = QFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        font.setPointSizeF(9.0)
        self.details.setFont(font)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.details.setPlaceholderText(
            "Reset the grads, then step: each step backward takes one node, shows its grad and "
            "adds local derivative × that grad into each of its children.")
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        pace_row = QGridLayout()
        pace_row.addWidget(QLabel("Pace"), 0, 0)
        pace_row.addWidget(self.pace, 0, 1)
        pace_row.addWidget(self.pace_label, 0, 2)
        layout.addLayout(pace_row)
        layout.addWidget(self.position)
        layout.addWidget(self.details, 1)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.step)
        self.play_button.toggled.connect(self._on_play)
        self.pace.valueChanged.connect(self._on_pace)
        self._on_pace(self.pace.value())

    def show_position(self, position: int, total: int, phase: str, lines: list[str]) -> None:
        """Where the stepper stands and what its last step did (texts set only when new)."""
        text = f"step {position} of {total}: next is {phase}"
        if text != self.position.text():
            self.position.setText(text)
        details = "\n".join(lines)
        if details != self.details.toPlainText():
            self.details.setPlainText(details)

    def stop(self) -> None:
        """Stop playing."""
        self.play_button.setChecked(False)

    def set_stepper(self, stepper: BackpropStepper | None) -> None:
        """Drive this stepper (a new graph has a new one)."""
        self.stepper = stepper

    @Slot()
    def step(self) -> None:
        """The next step; playing stops at the end."""
        if self.stepper is not None:
            if self.stepper.step() is None:
                self.stop()
            self.stepped.emit()

    @Slot()
    def step_back(self) -> None:
        """Undo the last step."""
        self._act(BackpropStepper.back)

    @Slot()
    def restart(self) -> None:
        """Back to before the forward pass: only the leaves known."""
        self._act(BackpropStepper.restart)

    @Slot()
    def reset_grads(self) -> None:
        """Every grad 0, the forward pass done."""
        self._act(BackpropStepper.reset_grads)

    @Slot()
    def run_to_end(self) -> None:
        """Every remaining step."""
        self.stop()
        self._act(BackpropStepper.run_to_end)

    def _act(self, action: Callable[[BackpropStepper], object]) -> None:
        if self.stepper is not None:
            action(self.stepper)
            self.stepped.emit()

    @Slot(bool)
    def _on_play(self, playing: bool) -> None:
        self.play_button.setText("Pause" if playing else "Play")
        if playing:
            self.timer.start()
        else:
            self.timer.stop()

    @Slot(int)
    def _on_pace(self, pace: int) -> None:
        self.timer.setInterval(round(1000 / pace))
        self.pace_label.setText(f"{pace}/s")
