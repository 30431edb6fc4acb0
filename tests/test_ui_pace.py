"""A pace a person can watch: one epoch per drawn frame by default, a live speed slider, and a
step of one minibatch."""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt

from playground.core.pace import DEFAULT_SPEED, MAX_SPEED, SPEEDS, speed_named
from playground.ui.status_bar import format_rates

TIMEOUT_MS = 30_000


def test_the_default_pace_draws_every_epoch_one_per_frame(qtbot, make_window):
    window = make_window(preset="circle", n_points=200)
    assert window.training.speed() == DEFAULT_SPEED and window.loop.speed == DEFAULT_SPEED
    drawn: list[int] = []
    window.frameDrawn.connect(lambda: drawn.append(window.drawn_result.epoch))
    window.toggle_play()
    qtbot.waitUntil(lambda: len(drawn) >= 12, timeout=TIMEOUT_MS)
    window.toggle_play()
    qtbot.waitUntil(lambda: not window.loop.running, timeout=TIMEOUT_MS)
    playing = drawn[:10]  # drawn before the pause (which may show a part of an epoch)
    assert [b - a for a, b in itertools.pairwise(playing)] == [1] * 9, drawn


def test_the_speed_slider_changes_the_pace_while_training(qtbot, make_window):
    window = make_window(preset="circle", n_points=200)
    slider = window.training.speed_slider
    assert slider.slider.maximum() == len(SPEEDS) - 1
    assert "1 optimization step a second" in slider.slider.toolTip()
    assert "keys + and -" in slider.slider.toolTip()
    window.toggle_play()
    qtbot.waitUntil(lambda: window.loop.session.epoch >= 2, timeout=TIMEOUT_MS)
    slider.setValue(SPEEDS.index(MAX_SPEED))
    assert slider.value_label.text() == "max"
    qtbot.waitUntil(lambda: window.loop.speed == MAX_SPEED, timeout=TIMEOUT_MS)
    slider.setValue(SPEEDS.index(speed_named("1/s")))
    qtbot.waitUntil(lambda: window.loop.speed.steps_per_second == 1.0, timeout=TIMEOUT_MS)
    assert window.running and slider.value_label.text() == "1 step/s"
    qtbot.keyClick(window, Qt.Key.Key_Plus)
    qtbot.waitUntil(lambda: window.loop.speed == speed_named("3/s"), timeout=TIMEOUT_MS)
    qtbot.keyClick(window, Qt.Key.Key_Minus)
    qtbot.keyClick(window, Qt.Key.Key_Minus)  # the slowest stays the slowest
    qtbot.waitUntil(lambda: window.loop.speed == SPEEDS[0], timeout=TIMEOUT_MS)
    assert window.training.speed() == SPEEDS[0]
    window.toggle_play()
    qtbot.waitUntil(lambda: not window.loop.running, timeout=TIMEOUT_MS)


def test_step_one_minibatch_by_button_and_keys(qtbot, make_window):
    window = make_window(preset="circle", n_points=200)
    session = window.loop.session
    assert "Shift+Right or B" in window.training.batch_button.toolTip()
    window.training.batch_button.click()
    qtbot.waitUntil(lambda: window.drawn_result.step == 1 and not window.running,
                    timeout=TIMEOUT_MS)
    qtbot.keyClick(window, Qt.Key.Key_B)
    qtbot.waitUntil(lambda: window.drawn_result.step == 2, timeout=TIMEOUT_MS)
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.drawn_result.step == 3, timeout=TIMEOUT_MS)
    assert session.steps == 3 and session.epoch == 0 and not window.running
    qtbot.keyClick(window, Qt.Key.Key_Right)  # a whole epoch: to the end of this one
    qtbot.waitUntil(lambda: window.drawn_result.epoch == 1, timeout=TIMEOUT_MS)
    assert session.steps == 10  # 100 training points, batch 10


def test_the_status_bar_shows_epochs_per_second_while_training(qtbot, make_window):
    window = make_window(preset="circle", n_points=200)
    window.toggle_play()
    qtbot.waitUntil(lambda: "epochs/s" in window.status.fields["speed"].text(),
                    timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: float(window.status.fields["speed"].text().split()[0]) > 1,
                    timeout=TIMEOUT_MS)
    window.toggle_play()
    qtbot.waitUntil(lambda: window.status.fields["speed"].text() == "paused", timeout=TIMEOUT_MS)


def test_epochs_per_second_come_from_steps_so_slow_motion_shows_a_fraction():
    assert format_rates(3.0, 25) == "0.12 epochs/s, 3 steps/s"
    assert format_rates(10_000.0, 25) == "400 epochs/s, 10,000 steps/s"
