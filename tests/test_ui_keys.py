"""Plain-key shortcuts act only when the focused widget has no use for the key."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

TIMEOUT_MS = 10_000


@pytest.fixture
def window(make_window):
    return make_window(preset="circle", n_points=100)


def test_a_focused_slider_keeps_its_arrow_keys(qtbot, window):
    slider = window.training.batch_size.slider
    slider.setFocus()
    qtbot.waitUntil(slider.hasFocus, timeout=TIMEOUT_MS)
    before = slider.value()
    qtbot.keyClick(slider, Qt.Key.Key_Right)
    assert slider.value() == before + slider.singleStep()
    qtbot.wait(200)
    assert window.worker.session.epoch == 0  # no epoch was trained


def test_keys_the_plot_does_not_use_reach_the_window(qtbot, window):
    window.editor.setFocus()
    qtbot.keyClick(window.editor, Qt.Key.Key_1)
    assert window.editor.label == 0
    qtbot.keyClick(window.editor, Qt.Key.Key_2)
    assert window.editor.label == 1
    qtbot.keyClick(window.editor, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.running and window.worker.session.epoch >= 1,
                    timeout=TIMEOUT_MS)
    qtbot.keyClick(window.editor, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not window.running, timeout=TIMEOUT_MS)
