"""Clicks leave the keyboard where it was, so the window's keys work after any click."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractSlider, QComboBox, QScrollArea, QWidget

# Widgets that would take the keyboard on a click and then keep Space (a button or box toggles)
# or the arrows (a slider moves) from the window's play, step and class keys. Text and number
# fields are not among them: typing goes to them once clicked.
CLICK_CONTROLS = (QAbstractButton, QAbstractSlider, QComboBox)


def keep_focus_off_clicks(root: QWidget) -> None:
    """Give every button, box and slider under root Tab focus only (no focus on a click), and
    scrolling panels no focus at all.

    Keyboard users still reach the controls with Tab (a panel scrolls to the one focused, the
    wheel scrolls it too); a panel that had the focus would scroll with the arrows instead of
    stepping. Called on a window once its widgets are built, it covers every control in it,
    whichever panel made it.
    """
    for kind in CLICK_CONTROLS:
        for widget in root.findChildren(kind):
            if widget.focusPolicy() & Qt.FocusPolicy.ClickFocus:
                widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    for panel in root.findChildren(QScrollArea):
        panel.setFocusPolicy(Qt.FocusPolicy.NoFocus)
