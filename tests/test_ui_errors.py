"""An exception in a slot or a paint handler shows a message; the window carries on."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

# the window's own hook is what is tested here; pytest-qt's would take its place
pytestmark = pytest.mark.qt_no_exception_capture

TIMEOUT_MS = 10_000


def hover(widget, pos: QPointF) -> None:
    """The pointer moves over widget to pos, no button pressed."""
    QApplication.sendEvent(widget, QMouseEvent(
        QEvent.Type.MouseMove, pos, QPointF(widget.mapToGlobal(pos)), Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier))


def qt_problems(qtlog) -> list[str]:
    return [r.message for r in qtlog.records if "propagateSizeHints" not in r.message]


def test_a_slot_that_raises_shows_a_message_and_the_window_keeps_working(
        qtbot, make_window, capsys, qtlog):
    window = make_window(preset="circle", n_points=60)

    def broken(checked: bool) -> None:
        raise ZeroDivisionError("a bug in a slot")

    box = window.data_controls.discretize
    box.toggled.connect(broken)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    qtbot.waitUntil(window.message.isVisible, timeout=TIMEOUT_MS)
    assert "ZeroDivisionError: a bug in a slot" in window.message.text()
    assert "Traceback" in capsys.readouterr().err  # the details, for a bug report
    assert box.isChecked()  # the other slots of the click still ran
    window.step_epoch()  # and the window goes on
    qtbot.waitUntil(lambda: window.drawn_result.epoch == 1, timeout=TIMEOUT_MS)
    assert qt_problems(qtlog) == []


def test_a_paint_handler_that_raises_ends_its_painter(qtbot, make_window, capsys, qtlog,
                                                      monkeypatch):
    window = make_window(preset="circle", n_points=60)
    plot = window.loss_plot
    qtbot.waitUntil(lambda: plot.history.size > 0, timeout=TIMEOUT_MS)
    hover(plot, QPointF(plot.rect().center()))
    assert plot.hover is not None

    def broken(*args) -> None:
        raise RuntimeError("a bug in paint code")

    monkeypatch.setattr(plot, "_draw_hover", broken)  # raises with the painter active
    plot.update()  # painted by the event loop, as when the user hovers
    qtbot.waitUntil(window.message.isVisible, timeout=TIMEOUT_MS)
    assert "RuntimeError: a bug in paint code" in window.message.text()
    assert "Traceback" in capsys.readouterr().err
    monkeypatch.undo()
    plot.grab()  # a painter left active would make this fail, then crash the process
    window.grab()
    assert qt_problems(qtlog) == []


def test_the_hook_is_the_windows_while_it_runs_and_put_back_when_it_closes(make_window):
    before = sys.excepthook
    window = make_window()
    assert sys.excepthook == window.exceptions.report
    window.close()
    assert sys.excepthook is before


def test_the_overlay_skips_points_it_cannot_place_and_draws_the_rest(qtbot, make_window, qtlog):
    window = make_window(preset="circle", n_points=60)
    overlay = window.editor.overlay
    # past the dataset's checks (they refuse these): the drawing must not overflow on them
    points = np.array([[1e300, 3.0], [np.nan, 0.0], [-1e12, 1e12], [1.0, 2.0]])
    overlay.set_points(points, np.array([0, 1, 2, 3]))
    overlay.set_levels(np.zeros((4, 4), np.uint8), (-1e300, 1e300, -1.0, 1.0),
                       window.editor._colors)
    image = overlay.points_label.pixmap().toImage()
    x, y = (round(float(v[0])) for v in overlay._to_pixels(np.array([1.0]), np.array([2.0])))
    assert image.pixelColor(x, y).alpha() > 0  # the one plottable point is drawn
    assert not overlay.heatmap_label.isVisible()  # a heatmap out of any pixel range waits
    window.grab()
    assert qt_problems(qtlog) == []
