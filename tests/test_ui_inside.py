"""The network view, the hidden space, the health panel and the points sized by their loss, in
the window: hover, type, undo, switch off, reshape from the view, all through real events."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from playground.core.features import feature_matrix
from playground.core.parameter_state import ParameterRef
from playground.core.spec import NetworkSpec
from playground.ui.network_layout import minimum_height, network_geometry
from playground.ui.network_shapes import Node
from playground.ui.thumbnails import CurveThumbnails, HeatmapThumbnails

TIMEOUT_MS = 30_000


@pytest.fixture
def window(make_window):
    return make_window(preset="circle", n_points=100)


def drawn(qtbot, window):
    """Wait until the network view shows the session's weights; return the view."""
    view = window.network_view
    qtbot.waitUntil(lambda: view.inside is not None and view._matches(view.inside),
                    timeout=TIMEOUT_MS)
    return view


def session_weight(window, ref: ParameterRef) -> float:
    weight, bias = window.worker.session.weights()[ref.layer]
    return float(bias[ref.col] if ref.row is None else weight[ref.row, ref.col])


def hover(qtbot, view, pos: QPoint) -> None:
    qtbot.mouseMove(view, pos)
    qtbot.waitUntil(lambda: view.hover is not None, timeout=TIMEOUT_MS)


def type_value(qtbot, view, ref: ParameterRef, text: str) -> None:
    """Click weight ref's line and type text into the editor, then Enter."""
    pos = view.edge_middle(ref) if ref.row is not None else view.node_centre(ref.layer + 1,
                                                                              ref.col)
    hover(qtbot, view, pos)
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=pos)
    assert view.editor.isVisible()
    view.editor.clear()
    qtbot.keyClicks(view.editor, text)
    qtbot.keyClick(view.editor, Qt.Key.Key_Return)


def test_hovering_a_weight_shows_its_value_and_gradient(qtbot, window):
    window.step_batch()  # a step, so there is a gradient and a last update
    qtbot.waitUntil(lambda: window.worker.session.steps == 1, timeout=TIMEOUT_MS)
    view = drawn(qtbot, window)
    qtbot.waitUntil(lambda: view.inside.parameters.describe(ParameterRef(0, 1, 2))[1][1] != 0,
                    timeout=TIMEOUT_MS)
    ref = ParameterRef(0, 1, 2)
    hover(qtbot, view, view.edge_middle(ref))
    assert view.hover == ref
    rows = dict(view.inside.parameters.describe(ref))
    text = window.inside.panel.info.text()
    assert "w1.3.2" in text and "input x₂ → neuron 3 of layer 1" in text
    assert f"value {rows['value']:.4g}" in text and f"gradient {rows['gradient']:.4g}" in text
    assert rows["value"] == session_weight(window, ref)
    node = Node(2, 1)
    hover(qtbot, view, view.node_centre(*node))
    assert "bias b2.2" in window.inside.panel.info.text()


def test_typing_a_weight_changes_the_next_prediction_by_the_arithmetic(qtbot, window):
    view = drawn(qtbot, window)
    ref = ParameterRef(2, 1, 0)  # the output's weight from neuron 2 of layer 2
    session = window.worker.session
    x = feature_matrix(window.dataset.points, ("x1", "x2"))
    old = session_weight(window, ref)
    (w1, b1), (w2, b2), _ = session.weights()
    h2 = np.tanh(np.tanh(x @ w1 + b1) @ w2 + b2)[:, 1]  # (N,) what that weight multiplies
    before = session.network.predict(x, np.float64)[:, 0]
    type_value(qtbot, view, ref, f"{old + 0.75!r}")
    qtbot.waitUntil(lambda: session_weight(window, ref) == old + 0.75, timeout=TIMEOUT_MS)
    after = session.network.predict(x, np.float64)[:, 0]
    np.testing.assert_allclose(after - before, 0.75 * h2, rtol=1e-9, atol=1e-12)
    assert not view.editor.isVisible()
    # Ctrl+Z takes it back (the window's one undo), Ctrl+Shift+Z makes it again
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: session_weight(window, ref) == old, timeout=TIMEOUT_MS)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: session_weight(window, ref) == old + 0.75, timeout=TIMEOUT_MS)


def test_a_bad_number_is_a_message_and_changes_nothing(qtbot, window):
    view = drawn(qtbot, window)
    ref = ParameterRef(1, None, 0)  # a bias: click the node
    old = session_weight(window, ref)
    type_value(qtbot, view, ref, "12abc")
    assert view.editor.isVisible() and "not a number" in window.inside.panel.info.text()
    view.editor.clear()
    qtbot.keyClicks(view.editor, "1e9")
    qtbot.keyClick(view.editor, Qt.Key.Key_Return)
    assert "within" in window.inside.panel.info.text()
    qtbot.keyClick(view.editor, Qt.Key.Key_Escape)
    assert not view.editor.isVisible()
    window.step_batch()  # anything posted would be applied before this step
    qtbot.waitUntil(lambda: window.worker.session.steps == 1, timeout=TIMEOUT_MS)
    assert window.inside.history.undo() is False  # nothing was recorded to undo
    assert session_weight(window, ref) != 12 and abs(session_weight(window, ref) - old) < 0.1


def test_undo_takes_back_data_and_network_edits_in_the_order_made(qtbot, window):
    view = drawn(qtbot, window)
    ref = ParameterRef(0, 0, 0)
    old = session_weight(window, ref)
    n = len(window.dataset)
    window.dataset.add_point(1.0, 1.0, 1)
    type_value(qtbot, view, ref, "0.5")
    qtbot.waitUntil(lambda: session_weight(window, ref) == 0.5, timeout=TIMEOUT_MS)
    window.dataset.add_point(2.0, 2.0, 0)
    history = window.inside.history
    assert history.undo() and len(window.dataset) == n + 1  # the last point first
    assert history.undo()  # then the weight
    qtbot.waitUntil(lambda: session_weight(window, ref) == old, timeout=TIMEOUT_MS)
    assert len(window.dataset) == n + 1
    assert history.undo() and len(window.dataset) == n
    assert history.redo() and len(window.dataset) == n + 1


def test_hovering_a_neuron_shows_its_output_in_the_main_plot_until_the_pointer_leaves(
        qtbot, window):
    view = drawn(qtbot, window)
    overlay = window.editor.overlay
    qtbot.waitUntil(lambda: overlay.levels is not None, timeout=TIMEOUT_MS)
    hover(qtbot, view, view.node_centre(1, 2))
    qtbot.waitUntil(lambda: view.inside.focus == (1, 2) and np.array_equal(
        overlay.levels, view.inside.focus_levels), timeout=TIMEOUT_MS)
    neuron_levels = overlay.levels.copy()
    assert not np.array_equal(neuron_levels, window._network_heatmap[0])
    assert "neuron 3 of layer 1" in window.status.currentMessage()
    qtbot.mouseMove(view, QPoint(2, 2))  # on no node
    qtbot.waitUntil(lambda: np.array_equal(overlay.levels, window._network_heatmap[0]),
                    timeout=TIMEOUT_MS)
    assert window.status.currentMessage() == ""


def test_a_hovered_neuron_that_a_reshape_removes_is_forgotten(qtbot, window):
    """Monkey seed 1: the pointer on layer 2, then layer 2 goes; the next snapshot described
    the gone neuron's bias (an IndexError in every frame)."""
    view = drawn(qtbot, window)
    overlay = window.editor.overlay
    pos = view.node_centre(2, 1)
    hover(qtbot, view, pos)
    qtbot.waitUntil(lambda: view.inside.focus == (2, 1), timeout=TIMEOUT_MS)
    window.designer.layer_count.setValue(1)
    assert view.hover is None  # under the pointer now: no node, on no line yet
    assert view.shapes.node_at(pos.x(), pos.y()) is None and window.inside.options.focus is None
    drawn(qtbot, window)  # described what the pointer is on: nothing
    qtbot.waitUntil(lambda: np.array_equal(overlay.levels, window._network_heatmap[0]),
                    timeout=TIMEOUT_MS)


@pytest.mark.parametrize("first, then", [("classes", "function"), ("function", "classes")])
def test_switching_between_outputs_and_pictures_draws_the_new_thumbnails(qtbot, window,
                                                                         first, then):
    """Monkey seeds 1 and 3: a switch that changes both the outputs and the thumbnails' kind
    laid the new levels out with the old kind's thumbnails (a ValueError per frame)."""
    view = drawn(qtbot, window)
    kinds = {"classes": HeatmapThumbnails, "function": CurveThumbnails}
    for kind in (first, then):
        box = window.data_controls.problem
        box.setCurrentIndex(box.findData(kind))
        window.step_epoch()
        qtbot.waitUntil(lambda kind=kind: view.inside is not None
                        and view.inside.neuron_levels is not None and view._matches(view.inside)
                        and isinstance(view.thumbnails, kinds[kind]), timeout=TIMEOUT_MS)
    assert view.outputs == (1 if then == "function" else 4)


def test_switching_a_neuron_off_from_its_menu_and_on_again(qtbot, window):
    view = drawn(qtbot, window)
    session = window.worker.session
    menu = view.neuron_menu(Node(1, 3))
    off = next(a for a in menu.actions() if a.text() == "Switch this neuron off")
    off.trigger()
    qtbot.waitUntil(lambda: session.switched_off == {(0, 3)}, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: view.inside.switched_off == {(0, 3)}, timeout=TIMEOUT_MS)
    assert view.shapes.off_edges(0)[:, 3].all() and view.shapes.off_edges(1)[3].all()
    view.grab()  # paints, greyed
    menu = view.neuron_menu(Node(1, 3))
    next(a for a in menu.actions() if a.text() == "Switch this neuron on").trigger()
    qtbot.waitUntil(lambda: session.switched_off == frozenset(), timeout=TIMEOUT_MS)


def test_edits_from_the_view_and_from_the_sliders_stay_in_step(qtbot, window):
    view = drawn(qtbot, window)
    designer, session = window.designer, window.worker.session
    qtbot.mouseClick(view.buttons.add[0], Qt.MouseButton.LeftButton)  # layer 1: 4 -> 5
    assert designer.rows[0].neurons.value() == 5 and view.spec.hidden == (5, 2)
    qtbot.waitUntil(lambda: session.spec.hidden == (5, 2), timeout=TIMEOUT_MS)
    qtbot.mouseClick(view.buttons.insert[1], Qt.MouseButton.LeftButton)  # between 1 and 2
    assert designer.layer_count.value() == 3 and designer.spec().hidden == (5, 4, 2)
    qtbot.waitUntil(lambda: session.spec.hidden == (5, 4, 2), timeout=TIMEOUT_MS)
    designer.rows[2].neurons.setValue(3)  # a slider: the view follows
    assert view.spec.hidden == (5, 4, 3)
    qtbot.waitUntil(lambda: session.spec.hidden == (5, 4, 3), timeout=TIMEOUT_MS)
    qtbot.mouseClick(view.buttons.drop[0], Qt.MouseButton.LeftButton)
    assert designer.spec() == view.spec and view.spec.hidden == (4, 3)
    qtbot.waitUntil(lambda: session.spec == designer.spec(), timeout=TIMEOUT_MS)
    menu = view.neuron_menu(Node(1, 0))
    next(a for a in menu.actions() if a.text() == "Remove this neuron").trigger()
    assert designer.spec().hidden == (3, 3)
    qtbot.waitUntil(lambda: session.spec.hidden == (3, 3), timeout=TIMEOUT_MS)
    drawn(qtbot, window)


def _overlaps(rects: np.ndarray) -> bool:
    left, top, w, h = rects.T
    for a, b in itertools.combinations(range(len(rects)), 2):
        if (left[a] < left[b] + w[b] and left[b] < left[a] + w[a]
                and top[a] < top[b] + h[b] and top[b] < top[a] + h[a]):
            return True
    return False


@pytest.mark.parametrize("size", [(180, minimum_height()), (260, 420), (420, 700),
                                  (900, 1000)])
@pytest.mark.parametrize("sizes", [(2, 16, 16, 16, 16, 16, 16, 1), (7, 1, 16, 3, 1),
                                   (2, 4, 2, 1), (2, 1)])
def test_no_two_nodes_overlap_at_any_size_the_designer_allows(size, sizes):
    geometry = network_geometry(*size, sizes)
    rects = geometry.node_rects()
    assert not _overlaps(rects)
    assert rects[:, 0].min() >= 0 and (rects[:, 0] + rects[:, 2]).max() <= size[0]
    assert rects[:, 1].min() >= geometry.top - 1 and (rects[:, 1] + rects[:, 3]).max() \
        <= geometry.bottom + 1
    assert geometry.node >= 4
    if max(sizes) >= 16 and size[1] < 400:
        assert not geometry.thumbnails  # too small: plain discs


def test_the_biggest_network_is_drawn_whole_in_the_smallest_panel(qtbot, make_window):
    window = make_window(preset="xor", n_points=60)
    window.designer.set_spec(NetworkSpec(hidden=(16,) * 6, activations=("relu",) * 6))
    window.resize(1, 1)
    view = window.network_view
    qtbot.waitUntil(lambda: view.inside is not None and view._matches(view.inside),
                    timeout=TIMEOUT_MS)
    view.grab()
    assert not _overlaps(view.geometry_.node_rects())
    shown = [b for b in view.findChildren(type(view.buttons.add[0])) if b.isVisible()]
    boxes = np.array([[b.x(), b.y(), b.width(), b.height()] for b in shown]).reshape(-1, 4)
    assert not _overlaps(boxes)  # the buttons either fit or hide


def test_the_hidden_space_beside_the_plot_shows_the_layer(qtbot, window):
    window.hidden_space_action.setChecked(True)
    hidden = window.inside.hidden_view
    assert hidden.isVisible() and hidden.layer_box.count() == 2
    qtbot.waitUntil(lambda: hidden.plot.space is not None, timeout=TIMEOUT_MS)
    assert hidden.plot.space.points.shape == (len(window.dataset), 2)
    hidden.layer_box.setCurrentIndex(1)  # layer 2 has two neurons: their plane
    qtbot.waitUntil(lambda: hidden.plot.space.choice.layer == 1, timeout=TIMEOUT_MS)
    assert hidden.plot.space.axes == ("neuron 1", "neuron 2")
    hidden.grab()
    window.designer.layer_count.setValue(0)  # a linear model: nothing to choose (monkey seed 3)
    assert not hidden.layer_box.isEnabled() and not hidden.axes_box.isEnabled()
    assert hidden.layer_box.count() == hidden.axes_box.count() == 0
    qtbot.waitUntil(lambda: hidden.plot.space is None, timeout=TIMEOUT_MS)
    window.designer.layer_count.setValue(1)
    assert hidden.layer_box.isEnabled() and hidden.axes_box.count() > 0
    window.hidden_space_action.setChecked(False)
    assert not hidden.isVisible() and window.inside.options.hidden is None


def test_the_health_panel_counts_dead_relus(qtbot, make_window):
    window = make_window(preset="circle", n_points=100)
    window.designer.set_spec(NetworkSpec(hidden=(8,), activations=("relu",)))
    qtbot.waitUntil(lambda: window.worker.session.spec.hidden == (8,), timeout=TIMEOUT_MS)
    window.frame_timer.stop()  # no snapshot while the weights are set below

    def kill(_=None) -> None:  # on the training thread, between steps
        window.worker.session.network.layers[0].bias.data[:7] = -1e3

    window.loop._handlers["kill"] = kill
    window.loop._inbox.post("kill")
    # then an edit through the loop, which evaluates and marks the picture out of date (the
    # kill alone would not: a snapshot taken just before it would stay the last)
    window.loop.post_switch(0, 7, False)
    window.frame_timer.start()
    health = window.inside.health
    qtbot.waitUntil(lambda: "7 of 8 ReLUs are dead" in health.warnings.text(),
                    timeout=TIMEOUT_MS)
    assert "layer 1: 7 of 8 ReLUs dead" in health.units.text()
    health.grab()


def test_points_sized_by_their_loss_and_the_worst_named(qtbot, window):
    window.point_loss_box.setChecked(True)
    qtbot.waitUntil(lambda: "worst point" in window.status.currentMessage(),
                    timeout=TIMEOUT_MS)
    styles = window.editor.overlay._styles
    assert styles.min() >= 4 and len(set(styles // 4)) > 2  # several sizes
    window.point_loss_box.setChecked(False)
    qtbot.waitUntil(lambda: window.editor.overlay._styles.max() < 4, timeout=TIMEOUT_MS)
    assert window.status.currentMessage() == ""
    QApplication.processEvents()


def test_the_panels_sizes_are_remembered_for_the_next_window(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from playground.ui.main_window import MainWindow, Setup

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    first = MainWindow(Setup(), remember_layout=True)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    qtbot.wait(50)  # the first show sizes the panels
    sizes = first.panels.panels.sizes()
    wanted = [sizes[0], sizes[1] - 60, sizes[2] + 60, sizes[3]]
    first.panels.panels.setSizes(wanted)
    wanted = first.panels.panels.sizes()
    first.close()
    assert list(tmp_path.rglob("*.ini"))  # written where the settings were pointed
    second = MainWindow(Setup(), remember_layout=True)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    qtbot.wait(50)
    assert second.panels.panels.sizes() == wanted
