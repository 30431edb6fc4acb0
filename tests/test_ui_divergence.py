"""A divergence as a user meets it: the loss chart stays readable, the banner out of the way."""

from __future__ import annotations

import pytest
from axes_checks import assert_axes_readable
from PySide6.QtCore import Qt

from playground.ui.training_controls import LEARNING_RATES

TIMEOUT_MS = 30_000


@pytest.fixture
def window(make_window):
    return make_window(preset="circle", n_points=200)


def qt_problems(qtlog) -> list[str]:
    return [r.message for r in qtlog.records if "propagateSizeHints" not in r.message]


def shows_latest_step(window) -> bool:
    """True once the window has drawn the worker's newest state."""
    return window.drawn_result.step == window.worker.latest.step


def diverge(qtbot, window) -> None:
    """Learning rate 10 and play: training diverges and pauses with a message."""
    window.training.learning_rate.setValue(len(LEARNING_RATES) - 1)
    window.toggle_play()
    qtbot.waitUntil(lambda: window.message.isVisible() and not window.running,
                    timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: shows_latest_step(window), timeout=TIMEOUT_MS)
    window.draw_pending()


def train_on(qtbot, window, epochs: int) -> None:
    """Play at a sane rate for `epochs` more epochs, then pause and draw."""
    window.training.learning_rate.setValue(LEARNING_RATES.index(0.03))
    start = window.worker.session.epoch
    window.toggle_play()
    qtbot.waitUntil(lambda: window.worker.session.epoch >= start + epochs, timeout=TIMEOUT_MS)
    window.toggle_play()
    qtbot.waitUntil(lambda: not window.running and shows_latest_step(window),
                    timeout=TIMEOUT_MS)
    window.draw_pending()


@pytest.mark.parametrize("log", [False, True])
def test_after_a_divergence_the_loss_chart_stays_readable_and_recovers(qtbot, window, qtlog,
                                                                       log):
    window.log_scale.setChecked(log)
    plot = window.loss_plot
    diverge(qtbot, window)
    assert "diverged" in window.message.text()
    y1 = plot.range[3]
    assert y1 <= (1.0 if log else 2.0)  # the first loss is about 1.3: not 1e301 (or 301 decades)
    assert_axes_readable(plot)
    assert not plot._clipped[0].isEmpty()  # the overflowing epochs, marked at the top edge

    train_on(qtbot, window, 300)
    assert not window.message.isVisible()  # playing again closed it
    assert plot.range[3] <= y1 and plot.history.size > 300
    assert_axes_readable(plot)
    window.log_scale.setChecked(not log)  # and in the other scale too
    assert_axes_readable(plot)
    assert plot.range[3] <= (2.0 if log else 1.0)
    assert qt_problems(qtlog) == []


def test_the_banner_lies_over_the_plot_and_closes_with_its_button(qtbot, window):
    editor = window.editor
    geometry = editor.geometry()
    window.show_message("Training paused: something to read")
    assert window.message.isVisible()
    assert editor.geometry() == geometry  # the plot did not move down
    banner = window.message.geometry()
    assert banner.top() < geometry.top() + 20 and banner.width() > 0.8 * geometry.width()
    qtbot.mouseClick(window.message.close_button, Qt.MouseButton.LeftButton)
    assert not window.message.isVisible()
    # a long message wraps: the banner grows downwards over the plot, still whole in view
    window.show_message("A long message. " * 40)
    assert window.message.height() > banner.height()
    assert window.message.geometry().bottom() < geometry.bottom()
    # it follows the plot's width (the network panel beside the plot takes its share too)
    window.resize(window.width() + 200, window.height())
    qtbot.waitUntil(lambda: window.message.width() > banner.width() + 50, timeout=TIMEOUT_MS)
