"""The dataset editor driven by real mouse clicks and keys, offscreen."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QMouseEvent
from PySide6.QtWidgets import QApplication

from playground.core.presets import PRESETS
from playground.ui import theme

TOLERANCE = 0.15  # data units; one screen pixel is about 0.02 here


@pytest.fixture
def window(make_window):
    return make_window(n_points=20)


def click(qtbot, editor, x: float, y: float, button=Qt.MouseButton.LeftButton,
          modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A real mouse click on the editor's viewport at data point (x, y)."""
    qtbot.mouseClick(editor.viewport(), button, modifier, editor.viewport_pos(x, y))


def test_click_adds_a_point_of_the_chosen_class_where_clicked(qtbot, window):
    dataset, editor = window.dataset, window.editor
    n = len(dataset)
    click(qtbot, editor, 1.5, -2.0)
    assert len(dataset) == n + 1
    assert np.allclose(dataset.points[-1], (1.5, -2.0), atol=TOLERANCE)
    assert dataset.labels[-1] == 1 and not dataset.is_test[-1]

    qtbot.keyClick(window, Qt.Key.Key_1)  # choose orange
    assert window.data_controls.class_buttons.checkedId() == 0
    click(qtbot, editor, -3.0, 4.0)
    assert np.allclose(dataset.points[-1], (-3.0, 4.0), atol=TOLERANCE)
    assert dataset.labels[-1] == 0


def test_shift_click_adds_the_other_class(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_2)  # choose blue
    click(qtbot, window.editor, 2.0, 2.0, modifier=Qt.KeyboardModifier.ShiftModifier)
    assert window.dataset.labels[-1] == 0
    assert np.allclose(window.dataset.points[-1], (2.0, 2.0), atol=TOLERANCE)


@pytest.mark.parametrize("button, modifier", [
    (Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier),
    (Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier),
])
def test_right_click_or_ctrl_click_removes_the_nearest_point(qtbot, window, button, modifier):
    dataset = window.dataset
    target = dataset.points[7].copy()
    n = len(dataset)
    click(qtbot, window.editor, target[0] + 0.05, target[1] - 0.05, button, modifier)
    assert len(dataset) == n - 1
    assert not np.any(np.all(np.isclose(dataset.points, target), axis=1))


def test_click_on_an_axis_outside_the_plotted_area_is_ignored(qtbot, window):
    editor = window.editor
    n = len(window.dataset)
    inside = editor.viewport_pos(0.0, editor.bounds()[2])  # on the bottom edge of the plot
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, pos=inside + QPoint(0, 15))
    assert len(window.dataset) == n


def test_drag_paints_a_stream_of_points_as_one_undo_step(qtbot, window):
    editor, dataset = window.editor, window.dataset
    n = len(dataset)
    viewport = editor.viewport()
    start, end = editor.viewport_pos(-4.0, 0.0), editor.viewport_pos(4.0, 0.0)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for t in np.linspace(0, 1, 20):
        qtbot.wait(12)  # pyqtgraph drops mouse moves that come faster than 100 a second
        # QTest's mouseMove carries no pressed button; a drag needs one
        pos = QPointF(start + (end - start) * float(t))
        QApplication.sendEvent(viewport, QMouseEvent(
            QEvent.Type.MouseMove, pos, QPointF(viewport.mapToGlobal(pos)),
            Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    painted = dataset.points[n:]
    assert len(painted) >= 10
    assert np.all(np.abs(painted[:, 1]) < TOLERANCE) and np.all(dataset.labels[n:] == 1)
    assert painted[:, 0].min() < -3.0 and painted[:, 0].max() > 3.0
    dataset.undo()
    assert len(dataset) == n


def test_undo_and_redo_with_the_keyboard(qtbot, window):
    dataset = window.dataset
    before = dataset.points.copy()
    click(qtbot, window.editor, 0.5, 0.5)
    click(qtbot, window.editor, -0.5, -0.5, Qt.MouseButton.RightButton)
    after = dataset.points.copy()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert np.array_equal(dataset.points, before)
    assert window.data_controls.redo_button.isEnabled()
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_Z, redo)
    qtbot.keyClick(window, Qt.Key.Key_Z, redo)
    assert np.array_equal(dataset.points, after)


def test_clear_removes_every_point_and_undo_brings_them_back(qtbot, window):
    n = len(window.dataset)
    qtbot.mouseClick(window.data_controls.clear_button, Qt.MouseButton.LeftButton)
    assert len(window.dataset) == 0
    qtbot.mouseClick(window.data_controls.undo_button, Qt.MouseButton.LeftButton)
    assert len(window.dataset) == n


def test_each_preset_loads_with_its_sliders(qtbot, window):
    controls, dataset = window.data_controls, window.dataset
    controls.points.setValue(120)
    controls.noise.setValue(10)
    for name in PRESETS:
        controls.preset.setCurrentText(name)
        assert len(dataset) == 120, name
        assert set(np.unique(dataset.labels)) == {0, 1}, name
        assert dataset.is_test.sum() == 60, name  # the 50% split
        x0, x1, y0, y1 = window.editor.bounds()
        inside = ((dataset.points[:, 0] >= x0) & (dataset.points[:, 0] <= x1)
                  & (dataset.points[:, 1] >= y0) & (dataset.points[:, 1] <= y1))
        assert inside.all(), name  # the axes fit the data
    first = dataset.points.copy()
    controls.seed.setValue(controls.seed.value() + 1)  # regenerates with another seed
    assert len(dataset) == 120 and not np.array_equal(dataset.points, first)


def test_undoing_a_preset_load_shows_the_previous_presets_settings(qtbot, window):
    controls = window.data_controls
    before = (controls.preset.currentText(), controls.points.value(), controls.noise.value(),
              controls.seed.value())
    controls.set_preset("spiral", 300, 0.2, 7)
    assert window.dataset.undo()
    after = (controls.preset.currentText(), controls.points.value(), controls.noise.value(),
             controls.seed.value())
    assert after == before
    assert window.dataset.redo()
    assert (controls.preset.currentText(), controls.points.value(), controls.noise.value(),
            controls.seed.value()) == ("spiral", 300, 20, 7)


def test_the_axes_grow_for_a_far_point_and_shrink_back_when_it_is_undone(qtbot, window):
    window.dataset.add_point(100.0, -50.0, 1)
    _, xmax, ymin, _ = window.editor.bounds()
    assert xmax >= 100 and ymin <= -50
    window.dataset.undo()
    _, xmax, ymin, _ = window.editor.bounds()
    assert xmax < 10 and ymin > -10  # fitted to the preset again


def test_split_slider_holds_out_that_share_for_testing(qtbot, window):
    window.data_controls.split.setValue(30)
    assert window.dataset.is_test.sum() == round(0.3 * len(window.dataset))


def test_undo_of_a_split_change_shows_the_old_split(qtbot, window):
    split = window.data_controls.split
    split.setValue(30)
    window.dataset.undo()
    assert split.value() == 50 and split.value_label.text() == "50%"
    assert window.dataset.is_test.sum() == len(window.dataset) // 2


def test_show_test_and_discretize_change_what_is_drawn(qtbot, window):
    editor, controls = window.editor, window.data_controls
    n_test = int(window.dataset.is_test.sum())
    assert len(editor.overlay.shown_points) == len(window.dataset)
    controls.show_test.setChecked(False)
    assert len(editor.overlay.shown_points) == len(window.dataset) - n_test
    qtbot.waitUntil(lambda: editor.overlay.levels is not None, timeout=10_000)
    assert len(np.unique(editor.overlay.colors_shown())) > 2  # shades of the output
    controls.discretize.setChecked(True)
    assert len(np.unique(editor.overlay.colors_shown())) == 2  # one flat colour per class


def overlay_color_at(editor, x: float, y: float) -> QColor:
    """The colour the window shows at data point (x, y)."""
    pos = editor.overlay.mapFrom(editor.viewport(), editor.viewport_pos(x, y))
    return QColor(editor.overlay.grab().toImage().pixel(pos))


def test_a_clicked_point_is_drawn_where_it_was_clicked_in_its_class_colour(qtbot, window):
    editor = window.editor
    # the drawing lies over the plot but lets the mouse through to it
    assert editor.viewport().childAt(editor.viewport_pos(-1.0, 3.0)) is None
    before = overlay_color_at(editor, -1.0, 3.0)
    click(qtbot, editor, -1.0, 3.0)  # a blue training point
    drawn = overlay_color_at(editor, -1.0, 3.0)
    assert drawn != before and drawn == QColor(theme.BLUE)
    qtbot.keyClick(window, Qt.Key.Key_1)
    click(qtbot, editor, 4.0, -2.5)  # an orange one
    assert overlay_color_at(editor, 4.0, -2.5) == QColor(theme.ORANGE)
    window.dataset.undo()
    assert overlay_color_at(editor, 4.0, -2.5) != QColor(theme.ORANGE)


def assert_covers_the_plotted_area(editor) -> None:
    """The overlay's edges are where the axes put the visible range's corners."""
    overlay = editor.overlay
    xmin, xmax, ymin, ymax = editor.bounds()
    top_left = overlay.mapFrom(editor.viewport(), editor.viewport_pos(xmin, ymax))
    bottom_right = overlay.mapFrom(editor.viewport(), editor.viewport_pos(xmax, ymin))
    assert abs(top_left.x()) <= 1 and abs(top_left.y()) <= 1
    assert abs(bottom_right.x() - overlay.width()) <= 1
    assert abs(bottom_right.y() - overlay.height()) <= 1


def test_the_heatmap_spans_the_plotted_area_with_the_network_output(qtbot, window):
    editor = window.editor
    window.train_epochs(1)
    qtbot.waitUntil(lambda: editor.overlay.levels is not None, timeout=10_000)
    overlay = editor.overlay
    assert overlay.geometry().width() > 100 and overlay.geometry().height() > 100
    assert_covers_the_plotted_area(editor)
    # a corner far from every point shows the output's colour there, not the background
    assert QColor(overlay.grab().toImage().pixel(2, 2)) != QColor("white")
    size = overlay.size()
    window.resize(window.width() + 200, window.height() - 100)  # and after a resize
    qtbot.waitUntil(lambda: overlay.size() != size, timeout=10_000)
    assert_covers_the_plotted_area(editor)
    # the next frame brings a heatmap of the new range (until then the old one lies where its
    # range is now, the rest background)
    qtbot.waitUntil(lambda: QColor(overlay.grab().toImage().pixel(2, 2)) != QColor("white"),
                    timeout=10_000)


def drag(qtbot, editor, path: list[QPoint], during=None) -> None:
    """A real left-button drag through the viewport pixels of path; during() after each move."""
    viewport = editor.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=path[0])
    for pos in path[1:]:
        qtbot.wait(12)  # pyqtgraph drops mouse moves that come faster than 100 a second
        QApplication.sendEvent(viewport, QMouseEvent(
            QEvent.Type.MouseMove, QPointF(pos), QPointF(viewport.mapToGlobal(pos)),
            Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
        if during is not None:
            during()
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=path[-1])


def test_a_stroke_near_the_edge_keeps_the_view_still_and_the_points_where_painted(qtbot,
                                                                                  window):
    editor, dataset = window.editor, window.dataset
    n = len(dataset)
    window.panels.plot_and_health.setSizes([10_000, 1])  # the plot as tall as it gets
    qtbot.wait(100)  # the axes settle their widths once shown
    xmin, xmax, ymin, ymax = before = editor.bounds()
    # along the top edge: inside the view, outside the data's fitted area (the view is taller
    # than the data, the axes being locked to one scale): each point used to refit the axes
    y = ymax - 0.03 * (ymax - ymin)
    assert y > editor._data_bounds[3]
    path = [editor.viewport_pos(x, y) for x in np.linspace(0.6 * xmin, 0.6 * xmax, 15)]
    views: list[tuple] = []
    drag(qtbot, editor, path, during=lambda: views.append(editor.bounds()))
    assert set(views) == {before}  # still while the button was down
    painted = dataset.points[n:]
    assert len(painted) >= 8
    # each point is where the pointer was, in the view the stroke was painted in
    assert np.all(np.abs(painted[:, 1] - y) < TOLERANCE)
    assert painted[:, 0].min() < 0.5 * xmin and painted[:, 0].max() > 0.5 * xmax
    # after the release the axes fit the new points, with room around them
    assert editor.bounds()[3] > painted[:, 1].max() and editor.bounds() != before
    assert dataset.undo() and len(dataset) == n  # one undo step


def test_undo_has_nothing_to_take_back_at_start(qtbot, window):
    controls = window.data_controls
    assert not controls.undo_button.isEnabled() and not window.dataset.can_undo
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(window.dataset) == 20  # the plane is not emptied


def test_the_count_of_points_on_the_plane_follows_the_edits(qtbot, window):
    controls = window.data_controls
    assert controls.points.value() == 20 and controls.points.caption.text() == "preset size"
    assert controls.count.text() == "20 points: 10 training, 10 test"
    click(qtbot, window.editor, 1.0, 1.0)
    assert controls.count.text() == "21 points: 11 training, 10 test"
    assert controls.points.value() == 20  # the preset's size, as drawn
