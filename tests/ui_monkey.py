"""A seeded monkey for the window: random clicks, drags, keys and settings, replayable by seed.

Every action goes through what a person touches: real mouse events on the plot, clicks on the
controls, keys sent to the window, slider and box changes as a drag or a pick would make them.
The action log says what was done, so a failing seed can be read and replayed.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QSpinBox,
    QWidget,
)

KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Right, Qt.Key.Key_S, Qt.Key.Key_B, Qt.Key.Key_R,
        Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_Plus, Qt.Key.Key_Minus)
CHORDS = (("Z", Qt.KeyboardModifier.ControlModifier),
          ("Z", Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
          ("Right", Qt.KeyboardModifier.ShiftModifier))
BUTTONS = (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton)
MODIFIERS = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier,
             Qt.KeyboardModifier.ControlModifier)


class Monkey:
    """Random actions on a window; `log` lists them in order."""

    def __init__(self, qtbot, window, seed: int, skip: Callable[[QWidget], bool] = lambda w: False
                 ) -> None:
        self.qtbot = qtbot
        self.window = window
        self.rng = random.Random(seed)
        self.skip = skip  # controls the monkey must leave alone (ones that open a dialog)
        self.log: list[str] = []
        self.actions = [(6, self.click_plot), (2, self.drag_plot), (4, self.press_key),
                        (1, self.press_chord), (3, self.click_control), (3, self.move_slider),
                        (2, self.pick_combo), (1, self.type_number), (1, self.resize)]

    def act(self) -> None:
        """One random action, then a short random wait with the event loop running."""
        weights = [w for w, _ in self.actions]
        action = self.rng.choices([a for _, a in self.actions], weights)[0]
        action()
        self.qtbot.wait(self.rng.choice((0, 1, 5, 20)))

    # ---- the plot ---------------------------------------------------------------------------

    def _plot_pos(self) -> QPoint:
        """A position on the plot's viewport, now and then beyond its data area or its edge."""
        viewport = self.window.editor.viewport()
        margin = 30
        return QPoint(self.rng.randint(-margin, viewport.width() + margin),
                      self.rng.randint(-margin, viewport.height() + margin))

    def click_plot(self) -> None:
        viewport = self.window.editor.viewport()
        pos, button = self._plot_pos(), self.rng.choice(BUTTONS)
        modifier = self.rng.choice(MODIFIERS)
        self.log.append(f"click plot {pos.x()},{pos.y()} {button.name} {modifier.name}")
        QTest.mouseClick(viewport, button, modifier, pos)

    def drag_plot(self) -> None:
        viewport = self.window.editor.viewport()
        points = [self._plot_pos() for _ in range(self.rng.randint(2, 8))]
        self.log.append(f"drag plot {[(p.x(), p.y()) for p in points]}")
        QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         points[0])
        for p in points[1:]:
            QTest.mouseMove(viewport, p)
            self.qtbot.wait(1)
        QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                           points[-1])

    # ---- keys -------------------------------------------------------------------------------

    def press_key(self) -> None:
        key = self.rng.choice(KEYS)
        self.log.append(f"key {key.name}")
        QTest.keyClick(self.window.windowHandle(), key)

    def press_chord(self) -> None:
        key, modifiers = self.rng.choice(CHORDS)
        self.log.append(f"key {modifiers.name}+{key}")
        QTest.keyClick(self.window.windowHandle(), getattr(Qt.Key, f"Key_{key}"), modifiers)

    # ---- controls ---------------------------------------------------------------------------

    def _visible(self, kind: type) -> list[QWidget]:
        """The window's own visible, enabled widgets of a kind, minus the skipped ones."""
        return [w for w in self.window.findChildren(kind)
                if w.isVisibleTo(self.window) and w.isEnabled() and w.window() is self.window
                and not self.skip(w)]

    def click_control(self) -> None:
        buttons = self._visible(QAbstractButton)
        if buttons:
            button = self.rng.choice(buttons)
            self.log.append(f"click {type(button).__name__} {button.text()!r}")
            QTest.mouseClick(button, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                             QPoint(6, button.height() // 2))

    def move_slider(self) -> None:
        sliders = self._visible(QAbstractSlider)
        if sliders:
            slider = self.rng.choice(sliders)
            value = self.rng.randint(slider.minimum(), slider.maximum())
            owner = slider.parent()
            caption = getattr(owner, "caption", None)  # a LabeledSlider names itself
            name = caption.text() if caption is not None else type(owner).__name__
            self.log.append(f"slider {name} -> {value}")
            # as a drag does: the value moves, then the release (what untracked sliders emit on)
            slider.setSliderDown(True)
            slider.setSliderPosition(value)
            slider.setSliderDown(False)

    def pick_combo(self) -> None:
        combos = self._visible(QComboBox)
        if combos:
            combo = self.rng.choice(combos)
            index = self.rng.randrange(combo.count())
            self.log.append(f"combo {combo.currentText()!r} -> {combo.itemText(index)!r}")
            combo.setCurrentIndex(index)

    def type_number(self) -> None:
        boxes = [b for b in self._visible(QAbstractSpinBox) if isinstance(b, QSpinBox)]
        if boxes:
            box = self.rng.choice(boxes)
            text = self.rng.choice(("0", "7", "123", "99999", "-5", "abc", ""))
            self.log.append(f"type {text!r} into {box.prefix() or 'spin box'}")
            box.setFocus()
            box.selectAll()
            QTest.keyClicks(box, text)
            QTest.keyClick(box, Qt.Key.Key_Return)
            self.window.editor.setFocus()  # as a click on the plot gives the keys back

    def resize(self) -> None:
        width = self.rng.randint(800, 1700)
        height = self.rng.randint(400, 1000)
        self.log.append(f"resize {width}x{height}")
        self.window.resize(width, height)
