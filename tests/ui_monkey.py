"""A seeded monkey for the window: random clicks, drags, keys and settings, replayable by seed.

Every action goes through what a person touches: real mouse events on the plot and the network
view, clicks on the controls and the network's buttons, a neuron's menu, keys and shortcuts
sent to the window, slider and box changes as a drag or a pick would make them. The action log
says what was done, so a failing seed can be read and replayed: a seed draws the same actions
as long as what they find does not depend on how far training got (a message's close button
shows once training diverged, say), so the log is the exact record.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QMenu,
    QSpinBox,
    QWidget,
)

KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Right, Qt.Key.Key_S, Qt.Key.Key_B, Qt.Key.Key_R,
        Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_Plus, Qt.Key.Key_Minus)
CTRL = Qt.KeyboardModifier.ControlModifier
# undo and redo, a batch step, the four problem types, the hidden space and the points' losses
CHORDS = (("Z", CTRL), ("Z", CTRL | Qt.KeyboardModifier.ShiftModifier),
          ("Right", Qt.KeyboardModifier.ShiftModifier),
          ("1", CTRL), ("2", CTRL), ("3", CTRL), ("4", CTRL), ("H", CTRL), ("L", CTRL))
TYPED_WEIGHTS = ("0.5", "-2", "0", "1e3", "1e400", "nan", "abc", "")
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
        self.reached: Counter[str] = Counter()  # how often each action (and button kind) acted
        self.mismatches: list[str] = []  # what the window did that it should not have
        self.done = 0  # actions taken
        self.actions = [(6, self.click_plot), (2, self.drag_plot), (4, self.press_key),
                        (2, self.press_chord), (3, self.click_control), (3, self.move_slider),
                        (2, self.pick_combo), (1, self.type_number), (1, self.resize),
                        (2, self.press_training_button), (2, self.click_network_button),
                        (1, self.hover_network), (1, self.click_network),
                        (1, self.neuron_menu)]

    def act(self) -> None:
        """One random action, then a short random wait with the event loop running."""
        weights = [w for w, _ in self.actions]
        action = self.rng.choices([a for _, a in self.actions], weights)[0]
        self.done += 1
        if action() is not False:  # False: it found nothing to act on (no saved file...)
            self.reached[action.__name__] += 1
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

    def pick_combo(self) -> bool | None:
        combos = self._visible(QComboBox)
        if combos:
            combo = self.rng.choice(combos)
            draw = self.rng.random()
            if combo.count() == 0:
                self.mismatches.append(f"after log line {len(self.log)}: an empty box to open "
                                       f"({combo.toolTip()!r})")
                return False
            index = int(draw * combo.count())
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

    def press_training_button(self) -> None:
        """Play or pause, an epoch, a batch or a reset, by their buttons."""
        training = self.window.training
        button = self.rng.choice((training.play_button, training.step_button,
                                  training.batch_button, training.reset_button))
        self.reached[f"button {button.text()}"] += 1
        self.log.append(f"click {button.text()!r}")
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    def resize(self) -> None:
        width = self.rng.randint(800, 1700)
        height = self.rng.randint(400, 1000)
        self.log.append(f"resize {width}x{height}")
        self.window.resize(width, height)

    # ---- inside the network ---------------------------------------------------------------

    def _network_view(self):
        view = self.window.network_view
        return view if view.isVisibleTo(self.window) and view.geometry_ is not None else None

    def _node_pos(self, view, hidden_only: bool = False) -> tuple[QPoint, str]:
        """A node's centre (a hidden neuron's if asked), or anywhere on the view."""
        sizes = view.sizes()
        columns = range(1, len(sizes) - 1) if hidden_only else range(len(sizes))
        if not columns or (not hidden_only and self.rng.random() < 0.3):
            pos = QPoint(self.rng.randrange(view.width()), self.rng.randrange(view.height()))
            return pos, f"{pos.x()},{pos.y()}"
        column = self.rng.choice(columns)
        neuron = self.rng.randrange(sizes[column])
        return view.node_centre(column, neuron), f"node {column}:{neuron}"

    def click_network_button(self) -> bool | None:
        """A − or + over a hidden layer, a ✕ under it, or a + between two columns."""
        view = self._network_view()
        if view is None:
            return False
        buttons = view.buttons
        kinds = {"neuron −": buttons.remove, "neuron +": buttons.add, "layer ✕": buttons.drop,
                 "layer +": buttons.insert}
        shown = [(kind, b) for kind, group in kinds.items() for b in group
                 if b.isVisibleTo(self.window) and b.isEnabled()]
        if shown:
            kind, button = self.rng.choice(shown)
            self.reached[f"network {kind}"] += 1
            self.log.append(f"network button {kind}: {button.toolTip()!r}")
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    def hover_network(self) -> bool | None:
        """Point at a neuron (its output shows in the main plot), a line, or leave the view."""
        view = self._network_view()
        if view is None:
            return False
        pos, name = self._node_pos(view)
        self.log.append(f"hover network {name}")
        QTest.mouseMove(view, pos)
        if self.rng.random() < 0.3:
            self.log.append("leave network")
            QApplication.sendEvent(view, QEvent(QEvent.Type.Leave))  # as the pointer leaves

    def click_network(self) -> bool | None:
        """Click a neuron or a line: its value's editor opens; type a number (or text)."""
        view = self._network_view()
        if view is None:
            return False
        pos, name = self._node_pos(view)
        # drawn first: whether the editor opens depends on a snapshot having come in
        text = self.rng.choice(TYPED_WEIGHTS)
        key = self.rng.choice((Qt.Key.Key_Return, Qt.Key.Key_Escape))
        self.log.append(f"click network {name}")
        QTest.mouseClick(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)
        if view.editor.isVisible():
            self.log.append(f"type weight {text!r} {key.name}")
            view.editor.selectAll()
            QTest.keyClicks(view.editor, text)
            QTest.keyClick(view.editor, key)
            view.close_editor()  # a refused value keeps the editor open: a click elsewhere
            self.window.editor.setFocus()

    def neuron_menu(self) -> bool | None:
        """Right-click a hidden neuron and pick an entry of its menu (or close it)."""
        view = self._network_view()
        if view is None or not view.spec.hidden:
            return False
        pos, name = self._node_pos(view, hidden_only=True)
        self.log.append(f"right-click network {name}")
        QTimer.singleShot(0, self._answer_menu)  # runs inside the menu's own event loop
        QApplication.sendEvent(view, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos,
                                                       view.mapToGlobal(pos)))
        # a window system gives the window its activation back when the menu closes; the
        # offscreen platform leaves it with the closed menu, and the window's shortcuts dead
        self.window.activateWindow()

    def _answer_menu(self) -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            return
        entries = [a for a in menu.actions() if a.text() and a.isEnabled()]
        chosen = self.rng.choice([*entries, None])
        self.log.append(f"  menu: {chosen.text() if chosen else 'closed'}")
        menu.close()
        if chosen is not None:
            self.reached[f"menu {chosen.text()}"] += 1
            chosen.trigger()
