"""Training from the window: it learns, takes changes while running, pauses on divergence."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from playground.core.shading import NEUTRAL_LEVEL
from playground.ui.training_controls import LEARNING_RATES

TIMEOUT_MS = 30_000


@pytest.fixture
def window(make_window):
    return make_window(preset="circle", n_points=200, speed="max")  # tests wait for targets


def layer_weights(window) -> list[np.ndarray]:
    """A copy of each layer's weight matrix (read while the worker may be stepping)."""
    return [w.copy() for w, _ in window.worker.session.weights()]


def shows_latest_step(window) -> bool:
    """True once the window has drawn the worker's newest state."""
    return window.drawn_result.step == window.worker.latest.step


def test_training_a_circle_from_the_ui_reaches_95_percent_test_accuracy(qtbot, window):
    assert not window.running
    window.toggle_play()
    qtbot.waitUntil(lambda: window.worker.latest.test_accuracy >= 0.95, timeout=TIMEOUT_MS)
    assert window.running and window.training.play_button.isChecked()
    window.toggle_play()
    qtbot.waitUntil(lambda: not window.running, timeout=TIMEOUT_MS)
    # the paused window shows where training stopped: heatmap, loss curve, status bar
    qtbot.waitUntil(lambda: shows_latest_step(window), timeout=TIMEOUT_MS)
    # (the steps between reaching 95% and the pause may move it a little either way)
    drawn, latest = window.drawn_result, window.worker.latest
    assert (drawn.epoch, drawn.test_accuracy) == (latest.epoch, latest.test_accuracy)
    assert window.loss_plot.history.size == window.worker.latest.epoch + 1
    assert f"epoch {window.worker.latest.epoch:,}" in window.status.fields["epoch"].text()


def test_keyboard_plays_pauses_steps_and_resets(qtbot, window):
    session = window.worker.session
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.running and session.epoch >= 3, timeout=TIMEOUT_MS)
    # the worker says it paused once it has stopped stepping: only then is the epoch final.
    # Its confirmation of the play may still be queued for the window (and set running again
    # for a moment): wait for the pause's, and for the window to have taken it in.
    # (A list, not qtbot.waitSignal: its timer would be stopped from the worker's thread.)
    paused: list[bool] = []
    window.worker.runningChanged.connect(lambda running: running or paused.append(True))
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(paused) and not window.running, timeout=TIMEOUT_MS)
    epoch = session.epoch
    qtbot.keyClick(window, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: shows_latest_step(window) and session.epoch == epoch + 1,
                    timeout=TIMEOUT_MS)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: shows_latest_step(window) and session.epoch == epoch + 2,
                    timeout=TIMEOUT_MS)
    qtbot.keyClick(window, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: session.steps == 0 and window.loss_plot.history.size == 1,
                    timeout=TIMEOUT_MS)
    assert not window.running


def test_step_trains_exactly_one_epoch_then_pauses(qtbot, window):
    window.step_epoch()
    qtbot.waitUntil(lambda: window.drawn_result.epoch == 1 and not window.running,
                    timeout=TIMEOUT_MS)
    window.step_epoch()
    qtbot.waitUntil(lambda: window.drawn_result.epoch == 2 and not window.running,
                    timeout=TIMEOUT_MS)
    assert window.worker.session.epoch == 2


def test_learning_rate_slider_applies_while_training_without_a_reset(qtbot, window):
    session = window.worker.session
    window.toggle_play()
    qtbot.waitUntil(lambda: session.epoch >= 5, timeout=TIMEOUT_MS)
    epoch_at_change = session.epoch
    window.training.learning_rate.setValue(LEARNING_RATES.index(0.003))
    qtbot.waitUntil(lambda: session.config.learning_rate == 0.003, timeout=TIMEOUT_MS)
    steps_at_change = session.steps
    qtbot.waitUntil(lambda: session.steps > steps_at_change + 50, timeout=TIMEOUT_MS)
    assert window.running
    assert session.epoch >= epoch_at_change  # counters went on: no reset
    assert session.history.epochs[0] == 0 and len(session.history) > epoch_at_change
    assert window.training.learning_rate.value_label.text() == "0.003"


def test_adding_a_layer_while_training_keeps_training_and_the_unchanged_weights(qtbot, window):
    session = window.worker.session
    initial = layer_weights(window)
    window.toggle_play()
    qtbot.waitUntil(lambda: session.epoch >= 30, timeout=TIMEOUT_MS)
    # a tiny rate from here on: the steps between reading the weights and the change landing
    # (hundreds at full speed) then barely move them, so the comparison below is not a race
    window.training.learning_rate.setValue(0)
    qtbot.waitUntil(lambda: session.config.learning_rate == LEARNING_RATES[0],
                    timeout=TIMEOUT_MS)
    before = layer_weights(window)
    steps_before = session.steps
    window.designer.layer_count.setValue(3)
    qtbot.waitUntil(lambda: len(session.network.layers) == 4, timeout=TIMEOUT_MS)
    after = layer_weights(window)
    assert session.spec.hidden == (4, 2, 2) and session.steps >= steps_before
    # the first two layers kept their trained weights; a rebuilt network would have gone back
    # to the initial ones
    for old, new, start in zip(before[:2], after[:2], initial[:2], strict=True):
        assert np.linalg.norm(new - old) < 0.01 * np.linalg.norm(old - start)
    qtbot.waitUntil(lambda: session.steps > steps_before + 100, timeout=TIMEOUT_MS)
    assert window.running
    qtbot.waitUntil(lambda: len(window.loss_plot.markers) == 1, timeout=TIMEOUT_MS)


def test_posting_the_same_network_again_marks_no_change_on_the_loss_curve(qtbot, window):
    window.step_epoch()
    qtbot.waitUntil(lambda: window.worker.session.epoch == 1 and shows_latest_step(window),
                    timeout=TIMEOUT_MS)
    window.loop.post_spec(window.designer.spec())  # what the designer re-sends on a refusal
    window.step_epoch()
    qtbot.waitUntil(lambda: window.worker.session.epoch == 2 and shows_latest_step(window),
                    timeout=TIMEOUT_MS)
    assert window.worker.session.spec_changes == []
    assert window.loss_plot.markers == ()


def test_divergence_at_learning_rate_10_pauses_and_restores_finite_weights(qtbot, window):
    session = window.worker.session
    window.training.learning_rate.setValue(len(LEARNING_RATES) - 1)
    assert window.training.config().learning_rate == 10.0
    window.toggle_play()
    qtbot.waitUntil(lambda: window.message.isVisible(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: not window.running, timeout=TIMEOUT_MS)
    assert "lower the learning rate" in window.message.text().lower()
    assert not window.training.play_button.isChecked()
    assert all(np.isfinite(w).all() for w in layer_weights(window))
    assert session.steps > 0  # nothing was reset
    qtbot.waitUntil(lambda: shows_latest_step(window), timeout=TIMEOUT_MS)
    assert (window.editor.overlay.levels != NEUTRAL_LEVEL).any()  # drawn from finite weights
    # lowering the rate and playing again trains on from the restored weights
    window.training.learning_rate.setValue(LEARNING_RATES.index(0.03))
    steps = session.steps
    window.toggle_play()
    qtbot.waitUntil(lambda: session.steps > steps + 100, timeout=TIMEOUT_MS)
    assert not window.message.isVisible()


def test_reset_clears_the_loss_curve_and_restarts_the_counters(qtbot, window):
    window.toggle_play()
    qtbot.waitUntil(lambda: window.loss_plot.history.size > 10, timeout=TIMEOUT_MS)
    window.toggle_play()
    qtbot.waitUntil(lambda: not window.running, timeout=TIMEOUT_MS)
    window.log_scale.setChecked(True)  # the curve survives a switch of scale
    assert window.loss_plot.log_scale and window.loss_plot.history.size > 10
    window.reset()
    qtbot.waitUntil(lambda: window.loss_plot.history.size == 1, timeout=TIMEOUT_MS)
    assert window.worker.session.steps == 0
    qtbot.waitUntil(lambda: window.drawn_result.step == 0, timeout=TIMEOUT_MS)


def test_points_added_while_training_are_trained_on_at_once(qtbot, window):
    session = window.worker.session
    window.toggle_play()
    qtbot.waitUntil(lambda: session.steps > 10, timeout=TIMEOUT_MS)
    n_train = (~window.dataset.is_test).sum()
    window.dataset.add_point(0.0, 0.0, 0)
    qtbot.waitUntil(lambda: len(session.data) == len(window.dataset), timeout=TIMEOUT_MS)
    steps = session.steps
    qtbot.waitUntil(lambda: session.steps > steps + 10, timeout=TIMEOUT_MS)
    assert window.running and (~session.data.is_test).sum() == n_train + 1


def test_closing_while_training_stops_the_thread_cleanly(qtbot, make_window, qtlog):
    window = make_window(speed="max")
    window.toggle_play()
    qtbot.waitUntil(lambda: window.worker.latest.step > 50, timeout=TIMEOUT_MS)
    window.close()
    assert not window.worker_thread.is_running()
    assert window.worker_thread.thread.isFinished()
    problems = [r.message for r in qtlog.records if "propagateSizeHints" not in r.message]
    assert problems == []


def test_clearing_the_data_while_training_pauses_with_a_hint(qtbot, window):
    window.toggle_play()
    qtbot.waitUntil(lambda: window.worker.session.steps > 10, timeout=TIMEOUT_MS)
    window.data_controls.clear_button.click()
    qtbot.waitUntil(lambda: window.message.isVisible(), timeout=TIMEOUT_MS)
    assert not window.running and "no training points" in window.message.text()
    window.dataset.undo()  # the points come back and training can go on
    window.toggle_play()
    steps = window.worker.session.steps
    qtbot.waitUntil(lambda: window.worker.session.steps > steps + 10, timeout=TIMEOUT_MS)


def test_the_worker_signals_every_step_while_asked_to(qtbot, window):
    received = []
    window.worker.stepped.connect(received.append, Qt.ConnectionType.DirectConnection)
    window.worker.emit_steps(True)
    window.step_epoch()
    qtbot.waitUntil(lambda: window.drawn_result.epoch == 1 and not window.running,
                    timeout=TIMEOUT_MS)
    assert [result.step for result in received] == list(range(1, window.worker.session.steps + 1))
    assert received[-1].epoch == 1
    window.worker.emit_steps(False)
    window.step_epoch()
    qtbot.waitUntil(lambda: window.drawn_result.epoch == 2 and not window.running,
                    timeout=TIMEOUT_MS)
    assert received[-1].epoch == 1


def test_an_exception_in_a_step_shows_a_message_and_the_worker_carries_on(qtbot, window):
    session = window.worker.session
    real_step = session.step
    failed: list[bool] = []

    def step_once_failing():
        if not failed:
            failed.append(True)
            raise RuntimeError("a bug in a step")
        return real_step()

    session.step = step_once_failing  # paused: the worker thread is not stepping now
    window.toggle_play()
    qtbot.waitUntil(lambda: window.message.isVisible() and not window.running,
                    timeout=TIMEOUT_MS)
    assert window.message.text() == "Training stopped: RuntimeError: a bug in a step"
    assert window.worker_thread.is_running() and session.steps == 0
    window.toggle_play()
    qtbot.waitUntil(lambda: session.steps > 50, timeout=TIMEOUT_MS)
    assert window.running and not window.message.isVisible()
