"""Plain-key shortcuts act only when the focused widget has no use for the key; clicks on
controls leave the keyboard to the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractSlider, QComboBox

TIMEOUT_MS = 10_000


@pytest.fixture
def window(qtbot, make_window):
    window = make_window(preset="circle", n_points=100)
    # the active window, as on a desktop: only there does a click move the keyboard focus
    window.activateWindow()
    qtbot.waitActive(window)
    return window


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


def press(qtbot, window, key: Qt.Key) -> None:
    """A key pressed in the window: Qt delivers it to the focused widget, as on a desktop."""
    qtbot.keyClick(window.windowHandle(), key)


def left_click(qtbot, widget) -> None:
    """A real click near the widget's left edge, where a box's indicator is."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))


def test_space_plays_after_clicking_a_checkbox(qtbot, window):
    box = window.data_controls.show_test
    left_click(qtbot, box)
    assert not box.isChecked()  # the click toggled it
    press(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.running and window.worker.session.epoch >= 1,
                    timeout=TIMEOUT_MS)
    assert not box.isChecked()  # Space played instead of toggling the box again
    press(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not window.running, timeout=TIMEOUT_MS)


def test_right_arrow_steps_after_clicking_a_slider_and_a_button(qtbot, window):
    slider = window.training.batch_size.slider
    left_click(qtbot, slider)  # a click on the groove moves the slider a page
    value = slider.value()
    left_click(qtbot, window.data_controls.regenerate_button)
    press(qtbot, window, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: window.worker.session.epoch == 1 and not window.running,
                    timeout=TIMEOUT_MS)
    assert slider.value() == value


def test_typing_in_a_number_field_still_goes_to_the_field(qtbot, window):
    seed = window.training.seed
    qtbot.mouseClick(seed.lineEdit(), Qt.MouseButton.LeftButton)
    assert seed.hasFocus()
    seed.selectAll()
    qtbot.keyClicks(seed, "42")
    qtbot.keyClick(seed, Qt.Key.Key_Return)
    assert seed.value() == 42 and window.training.config().seed == 42


def test_every_button_box_and_slider_keeps_tab_focus_only(window):
    controls = [w for kind in (QAbstractButton, QAbstractSlider, QComboBox)
                for w in window.findChildren(kind)
                if w.focusPolicy() != Qt.FocusPolicy.NoFocus]
    assert len(controls) > 20
    assert all(w.focusPolicy() == Qt.FocusPolicy.TabFocus for w in controls)
    assert window.training.seed.focusPolicy() & Qt.FocusPolicy.ClickFocus  # a field: it types
