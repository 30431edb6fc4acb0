"""The inspector window: the network's own numbers for a picked sample, live, stepped, exported."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtWidgets import QApplication
from test_ui_editor import drag

from engine.graph import trace
from engine.losses import LOSSES
from engine.value import Value
from playground.core.features import feature_matrix
from playground.core.graph_display import NEURON, OP, VALUE
from playground.core.graph_dot import to_dot
from playground.core.spec import NetworkSpec, TrainingConfig
from playground.ui.graph_paint import CHILD, STEP
from playground.ui.network_shapes import Node

TIMEOUT_MS = 30_000


def open_inspector(qtbot, window):
    """Wait for the first drawn weights, then open the inspector with Ctrl+G."""
    qtbot.waitUntil(lambda: window.drawn_snapshot is not None, timeout=TIMEOUT_MS)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    inspector = window.graph_inspector
    assert inspector.isVisible() and not inspector.isModal()
    return inspector


def shown(inspector, label: str) -> str:
    """The text in the box of the node with this label, scrolled into sight (boxes out of
    sight catch up with new numbers when they come into it)."""
    built = inspector.inspection.built
    d = built.display.box_of[built.graph.find(label)]
    inspector.view.center_on_node(d)
    return inspector.view.texts[d].text()


def by_hand(weights, activations, row, target: float, loss: str) -> dict[str, Value]:
    """The same loss from plain Value ops (no scalar graph of ours); backward() done; by label."""
    nodes: dict[str, Value] = {}
    h = [Value(float(v)) for v in row]
    nodes.update({f"x{i + 1}": v for i, v in enumerate(h)})
    for l, (weight, bias) in enumerate(weights, start=1):
        last = l == len(weights)
        outs = []
        for j in range(weight.shape[1]):
            z = nodes[f"b{l}.{j + 1}"] = Value(float(bias[j]))
            for i in range(weight.shape[0]):
                w = nodes[f"w{l}.{j + 1}.{i + 1}"] = Value(float(weight[i, j]))
                z = z + w * h[i]
            outs.append(z if last else getattr(z, activations[l - 1])())
        h = outs
    out = nodes["out"] = h[0]
    terms = {"mse": lambda: (out - target) ** 2, "hinge": lambda: (1 - out * target).relu(),
             "bce": lambda: out.softplus() - out * target}
    nodes["loss"] = terms[loss]()
    nodes["loss"].backward()
    return nodes


@pytest.mark.parametrize("loss", ["mse", "hinge", "bce"])
def test_the_inspector_shows_the_networks_numbers_for_the_point(qtbot, make_window, loss):
    window = make_window(preset="xor", n_points=60, config=TrainingConfig(loss=loss))
    inspector = open_inspector(qtbot, window)
    points, labels = window.dataset.train_split()
    row = feature_matrix(points[:1], ("x1", "x2"))[0]
    label = int(labels[0])
    assert inspector.inspection.sample.where == "training point 1"
    network = window.worker.session.network  # paused: the worker does not touch it
    target = float(label) if loss == "bce" else 2.0 * label - 1.0
    independent = LOSSES[loss]([network.scalar_graph(row, ["x1", "x2"])], [target])
    graph = inspector.inspection.built.graph
    # the window's graph is the per-sample loss; the batch mean around it adds 3 nodes
    assert len(graph) == len(trace(independent)[0]) - 3
    drawn = inspector.inspection.built.display
    assert np.count_nonzero(drawn.kinds == VALUE) == len(graph)
    assert np.count_nonzero(drawn.kinds == OP) == sum(not graph.is_leaf(i)
                                                      for i in range(len(graph)))

    expected = by_hand(window.worker.session.weights(), ("tanh", "tanh"), row, target, loss)
    assert graph.data[graph.root] == pytest.approx(expected["loss"].data, abs=1e-12)
    assert graph.data[graph.find("out")] == pytest.approx(
        network.predict(row[None, :], dtype=np.float64)[0, 0], abs=1e-9)
    for name, value in expected.items():  # every weight, bias, input, the output and the loss
        assert graph.grad[graph.find(name)] == pytest.approx(value.grad, rel=1e-9, abs=1e-12)
        assert f"grad {value.grad:.4f}" in shown(inspector, name), name
        assert f"data {value.data:.4f}" in shown(inspector, name), name
    inspector.tabs.setCurrentWidget(inspector.check_panel)
    check = inspector.check_panel.model.check
    assert len(check.nodes) == 2 + 8 + 8 + 2 + 4 + 2 + 1 and check.agree.all()
    assert "agree on every one" in inspector.check_panel.summary.text()


def test_alt_click_on_a_point_opens_its_graph(qtbot, make_window):
    window = make_window(preset="gauss", n_points=40)
    qtbot.waitUntil(lambda: window.drawn_snapshot is not None, timeout=TIMEOUT_MS)
    points, labels, is_test = window.dataset.points, window.dataset.labels, window.dataset.is_test
    k = int(np.flatnonzero(is_test)[2])  # a test point
    pos = window.editor.viewport_pos(*points[k])
    qtbot.mouseClick(window.editor.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.AltModifier, pos)
    inspector = window.graph_inspector
    assert inspector is not None and inspector.isVisible()
    sample = inspector.inspection.sample
    assert sample.point == tuple(points[k]) and sample.truth == labels[k]
    assert sample.where == f"test point {np.count_nonzero(is_test[:k + 1])}"
    assert len(window.dataset) == 40  # the click added no point
    graph = inspector.inspection.built.graph
    assert graph.data[graph.find("x1")] == points[k, 0]
    assert graph.title.startswith(sample.where)


def alt_click_a_corner(qtbot, window) -> tuple[float, float]:
    """Alt+click near the plot's top left corner, where no point is; the spot clicked."""
    xmin, xmax, ymin, ymax = window.editor.bounds()
    spot = (xmin + 0.03 * (xmax - xmin), ymax - 0.03 * (ymax - ymin))
    qtbot.mouseClick(window.editor.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.AltModifier, window.editor.viewport_pos(*spot))
    return spot


def test_alt_click_on_empty_plane_opens_a_probe_of_the_chosen_class(qtbot, make_window):
    window = make_window(preset="circle", n_points=30)
    qtbot.waitUntil(lambda: window.drawn_snapshot is not None, timeout=TIMEOUT_MS)
    window.editor.set_label(0)
    spot = alt_click_a_corner(qtbot, window)
    inspector = window.graph_inspector
    sample = inspector.inspection.sample
    assert sample.where == "probe" and sample.truth == 0
    xmin, xmax, _, _ = window.editor.bounds()
    assert sample.point == pytest.approx(spot, abs=0.05 * (xmax - xmin))
    graph = inspector.inspection.built.graph
    assert graph.data[graph.find("y")] == -1.0  # class 0 under mse: target -1
    assert inspector.picker.source.currentText() == "probe"
    assert len(window.dataset) == 30


@pytest.mark.parametrize("problem, preset, target", [
    ("regression", "plane", "value"), ("function", "sin", "y")])
def test_a_probe_of_a_value_type_is_measured_against_its_value(qtbot, make_window, problem,
                                                               preset, target):
    """Regression: the probe takes the editor's value; a function: the probe is a sample (x, y)."""
    window = make_window(problem=problem, preset=preset, n_points=30)
    qtbot.waitUntil(lambda: window.drawn_snapshot is not None, timeout=TIMEOUT_MS)
    window.editor.set_value(0.25)
    alt_click_a_corner(qtbot, window)
    inspector = window.graph_inspector
    sample = inspector.inspection.sample
    assert sample.where == "probe"
    expected = 0.25 if target == "value" else sample.point[1]
    assert sample.truth == pytest.approx(expected)
    graph = inspector.inspection.built.graph
    assert graph.data[graph.find("y")] == pytest.approx(expected)
    assert inspector.picker.choice()[3] == pytest.approx(expected, abs=1e-3)  # 3 decimals shown


def test_the_inspect_tool_makes_a_plain_click_inspect(qtbot, make_window):
    window = make_window(preset="xor", n_points=30)
    qtbot.waitUntil(lambda: window.drawn_snapshot is not None, timeout=TIMEOUT_MS)
    window.inspect_action.setChecked(True)
    points = window.dataset.points
    qtbot.mouseClick(window.editor.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.editor.viewport_pos(*points[5]))
    assert window.graph_inspector.inspection.sample.point == tuple(points[5])
    assert len(window.dataset) == 30
    # nor does a drag paint points while inspecting
    xmin, xmax, ymin, _ = window.editor.bounds()
    drag(qtbot, window.editor, [window.editor.viewport_pos(x, 0.5 * ymin)
                                for x in np.linspace(0.5 * xmin, 0.5 * xmax, 10)])
    assert len(window.dataset) == 30
    window.inspect_action.setChecked(False)
    qtbot.mouseClick(window.editor.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.editor.viewport_pos(*points[5]))
    assert len(window.dataset) == 31


def test_following_training_updates_the_numbers_in_place_and_frozen_does_not(qtbot,
                                                                            make_window):
    window = make_window(preset="xor", n_points=60)
    inspector = open_inspector(qtbot, window)
    items = list(inspector.view.boxes)
    before = shown(inspector, "w1.1.1")
    window.step_epoch()
    session = window.worker.session
    qtbot.waitUntil(lambda: not window.running and session.epoch == 1
                    and inspector.inspection.network.step == session.steps, timeout=TIMEOUT_MS)
    assert inspector.view.boxes == items  # the same items, new texts
    after = shown(inspector, "w1.1.1")
    assert after != before
    assert f"data {session.weights()[0][0][0, 0]:.4f}" in after
    assert f"step {session.steps:,}" in inspector.bar.live.text()

    inspector.follow.setChecked(False)
    frozen_step = inspector.inspection.network.step
    window.step_epoch()
    qtbot.waitUntil(lambda: not window.running and session.epoch == 2
                    and window.drawn_result.step == session.steps, timeout=TIMEOUT_MS)
    assert shown(inspector, "w1.1.1") == after
    assert f"frozen at step {frozen_step:,}; training is at step {session.steps:,}" in \
        inspector.bar.live.text()
    inspector.follow.setChecked(True)
    assert inspector.inspection.network.step == session.steps


def test_a_new_shape_rebuilds_the_graph_and_never_pairs_it_with_old_weights(qtbot, make_window):
    window = make_window(preset="xor", n_points=40)
    inspector = open_inspector(qtbot, window)
    window.designer.set_spec(NetworkSpec(hidden=(3,), activations=("relu",)))
    # until the worker draws weights of the new shape, the window offers the old network whole:
    # its weights with its own activations, never the designer's new ones
    state = window.drawn_network()
    assert (state.layer_sizes, state.activations) in (((2, 4, 2, 1), ("tanh", "tanh")),
                                                      ((2, 3, 1), ("relu",)))
    qtbot.waitUntil(lambda: inspector.inspection.network is not None
                    and inspector.inspection.network.layer_sizes == (2, 3, 1),
                    timeout=TIMEOUT_MS)
    graph = inspector.inspection.built.graph
    assert graph.group_names == ["1.1", "1.2", "1.3", "2.1"]
    assert "ReLU" in graph.ops and "tanh" not in graph.ops
    weights = window.worker.session.weights()
    assert graph.data[graph.find("w1.3.2")] == weights[0][0][1, 2]


def test_a_neuron_switched_off_in_the_network_view_is_held_at_zero_in_the_graph(qtbot,
                                                                               make_window):
    window = make_window(preset="xor", n_points=40)
    inspector = open_inspector(qtbot, window)
    menu = window.network_view.neuron_menu(Node(1, 2))
    next(a for a in menu.actions() if a.text() == "Switch this neuron off").trigger()
    qtbot.waitUntil(lambda: inspector.inspection.network is not None
                    and inspector.inspection.network.switched_off == {(0, 2)},
                    timeout=TIMEOUT_MS)
    graph = inspector.inspection.built.graph
    session = window.worker.session  # paused: the worker does not touch it
    points, labels = window.dataset.train_split()
    row = feature_matrix(points[:1], ("x1", "x2"))
    target = 2.0 * float(labels[0]) - 1.0
    assert graph.data[graph.find("out")] == pytest.approx(
        session.network.predict(row, dtype=np.float64)[0, 0], abs=1e-9)
    assert graph.data[graph.root] == pytest.approx((graph.data[graph.find("out")] - target) ** 2)
    assert graph.data[graph.find("h1.3 off")] == 0.0 and graph.grad[graph.find("w1.3.1")] == 0.0
    assert "data 0.0000" in shown(inspector, "h1.3 off")
    assert inspector.inspection.built.check.agree.all()


def test_stepping_backward_with_the_keyboard_reaches_backwards_grads(qtbot, make_window):
    window = make_window(preset="xor", n_points=40)
    inspector = open_inspector(qtbot, window)
    stepper = inspector.inspection.stepper
    graph = inspector.inspection.built.graph
    inspector.activateWindow()
    qtbot.keyClick(inspector.view, Qt.Key.Key_R)
    assert not inspector.follow.isChecked()  # stepping freezes the graph at its step
    assert "grad 0.0000" in shown(inspector, "w1.1.1")
    qtbot.keyClick(inspector.view, Qt.Key.Key_Right)  # the seed: d loss / d loss = 1
    assert "grad 1.0000" in shown(inspector, "loss")
    qtbot.keyClick(inspector.view, Qt.Key.Key_Right)
    record = stepper.last
    roles = inspector.view._roles
    assert roles[inspector.inspection.built.display.box_of[record.node]] == STEP
    assert all(roles[inspector.inspection.built.display.box_of[c.child]] == CHILD
               for c in record.contributions)
    assert "×" in inspector.stepper_panel.details.toPlainText()
    qtbot.keyClick(inspector.view, Qt.Key.Key_Left)
    assert stepper.position == stepper.forward_steps + 1
    qtbot.keyClick(inspector.view, Qt.Key.Key_End)
    np.testing.assert_allclose(stepper.grad, graph.grad, rtol=1e-12, atol=1e-15)
    assert f"grad {graph.grad[graph.find('w1.1.1')]:.4f}" in shown(inspector, "w1.1.1")


def test_playing_steps_on_its_own_until_the_end(qtbot, make_window):
    window = make_window(preset="xor", n_points=40, spec=NetworkSpec(hidden=(2,),
                                                                      activations=("tanh",)))
    inspector = open_inspector(qtbot, window)
    panel = inspector.stepper_panel
    panel.reset_grads()
    panel.pace.setValue(30)
    panel.play_button.setChecked(True)
    stepper = inspector.inspection.stepper
    qtbot.waitUntil(lambda: stepper.position == stepper.total, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: not panel.play_button.isChecked(), timeout=TIMEOUT_MS)


def test_the_scratchpad_builds_the_lectures_graph_and_keeps_it_on_a_bad_line(qtbot, make_window):
    window = make_window(preset="xor", n_points=20)
    inspector = open_inspector(qtbot, window)
    inspector.mode.setCurrentIndex(1)
    graph = inspector.inspection.built.graph
    assert graph.labels[graph.root] == "L" and "data -8.0000" in shown(inspector, "L")
    assert "grad 6.0000" in shown(inspector, "a")
    inspector.scratchpad.editor.setPlainText("a = 2\nb = a * q")
    inspector.scratchpad.apply()
    assert inspector.scratchpad.error.isVisible()
    assert "unknown name 'q'" in inspector.scratchpad.error.text()
    assert inspector.inspection.built.graph is graph  # the last good lines stay
    inspector.scratchpad.editor.setPlainText("a = 3\nb = a * a")
    inspector.scratchpad.apply()
    assert not inspector.scratchpad.error.isVisible()
    assert "grad 6.0000" in shown(inspector, "a")
    inspector.scratchpad.leaf.setCurrentText("a")
    inspector.scratchpad.h.setValue(0.001)
    inspector._on_nudge("a", 0.001)
    assert "9.000000 → 9.006001" in inspector.scratchpad.nudge_result.text()


def test_the_readme_example_in_the_scratchpad(qtbot, make_window):
    window = make_window(preset="xor", n_points=20)
    inspector = open_inspector(qtbot, window)
    inspector.mode.setCurrentIndex(1)
    panel = inspector.scratchpad
    panel.examples.setCurrentText("micrograd README's g")
    panel.examples.activated.emit(panel.examples.currentIndex())
    assert "data 24.7041" in shown(inspector, "g")
    assert "grad 138.8338" in shown(inspector, "a") and "grad 645.5773" in shown(inspector, "b")


def test_exports_svg_png_and_dot(qtbot, make_window, tmp_path):
    window = make_window(preset="xor", n_points=20)
    inspector = open_inspector(qtbot, window)
    inspector.export("svg", tmp_path / "graph.svg")
    svg = (tmp_path / "graph.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "loss" in svg
    inspector.export("png", tmp_path / "graph.png")
    image = QImage(str(tmp_path / "graph.png"))
    assert not image.isNull() and image.width() > 200
    inspector.export("dot", tmp_path / "graph.dot")
    built = inspector.inspection.built
    assert (tmp_path / "graph.dot").read_text(encoding="utf-8") == to_dot(built.graph)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.dot", "graph.png", "graph.svg"]
    with pytest.raises(OSError):
        inspector.export("dot", tmp_path / "no such folder" / "graph.dot")


def test_double_click_collapses_a_neuron_and_expands_it_again(qtbot, make_window):
    window = make_window(preset="xor", n_points=20)
    inspector = open_inspector(qtbot, window)
    built = inspector.inspection.built
    d = built.display.box_of[built.graph.find("h1.2")]
    n_drawn = len(built.display)
    view = inspector.view
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton,
                      pos=view.mapFromScene(*view.positions[d]))
    display = inspector.inspection.built.display
    neurons = np.flatnonzero(display.kinds == NEURON)
    assert [display.groups[k] for k in neurons] == ["1.2"]
    # w1.2.1, w1.2.2, b1.2, z1.2, h1.2 and the ops of z1.2 and h1.2 become one node
    assert len(display) == n_drawn - 6
    assert inspector.inspection.collapsed_groups == {"1.2"}
    k = int(neurons[0])
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton,
                      pos=view.mapFromScene(*view.positions[k]))
    assert len(inspector.inspection.built.display) == n_drawn


def test_a_big_network_opens_with_its_neurons_collapsed(qtbot, make_window):
    spec = NetworkSpec(hidden=(16,) * 6, activations=("tanh",) * 6)
    window = make_window(preset="xor", n_points=20, spec=spec)
    inspector = open_inspector(qtbot, window)
    display = inspector.inspection.built.display
    assert np.count_nonzero(display.kinds == NEURON) == 16 * 6 + 1
    assert len(display) < 120
    inspector._on_collapse_all(False)
    assert np.count_nonzero(inspector.inspection.built.display.kinds == NEURON) == 0


def test_filter_hides_a_kind_and_search_finds_labels(qtbot, make_window):
    window = make_window(preset="xor", n_points=20)
    inspector = open_inspector(qtbot, window)
    built = inspector.inspection.built
    inspector.settings.kind_boxes["weight"].setChecked(False)
    w = built.display.box_of[built.graph.find("w1.1.1")]
    b = built.display.box_of[built.graph.find("b1.1")]
    assert not inspector.view.boxes[w].isVisible() and inspector.view.boxes[b].isVisible()
    inspector.settings.kind_boxes["weight"].setChecked(True)
    assert inspector.view.boxes[w].isVisible()
    inspector.search.setText("b2")
    matches = {built.graph.labels[built.display.values[d]] for d in inspector._matches}
    assert matches == {"b2.1", "b2.2"}


def move_mouse(view, pos: QPoint) -> None:
    """A real mouse-move event (QTest's mouseMove sends none without a button offscreen)."""
    event = QMouseEvent(QEvent.Type.MouseMove, QPointF(pos), QPointF(view.mapToGlobal(pos)),
                        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), event)


def test_hovering_a_node_highlights_what_it_comes_from_and_feeds(qtbot, make_window):
    window = make_window(preset="xor", n_points=20)
    inspector = open_inspector(qtbot, window)
    built, view = inspector.inspection.built, inspector.view
    d = built.display.box_of[built.graph.find("h1.1")]
    move_mouse(view, view.mapFromScene(*view.positions[d]))
    assert view._hover == d
    related = view._hover_related
    labels = {built.graph.labels[built.display.values[k]] for k in related
              if built.display.kinds[k] != OP}
    assert {"x1", "w1.1.1", "b1.1", "z1.1", "h1.1", "h2.1", "out", "loss"} <= labels
    assert "w1.2.1" not in labels
    assert not view.highlight_item.path().isEmpty()
    move_mouse(view, QPoint(2, 2))
    assert view._hover == -1
    assert view.highlight_item.path().isEmpty()


def test_the_force_layout_settles_live(qtbot, make_window):
    window = make_window(preset="xor", n_points=20)
    inspector = open_inspector(qtbot, window)
    start = inspector.view.positions.copy()
    inspector.layout_choice.setCurrentText("force-directed")
    assert inspector.force.running
    qtbot.waitUntil(lambda: not inspector.force.running, timeout=TIMEOUT_MS)
    assert inspector.force.layout.settled
    assert not np.allclose(inspector.view.positions, start)
    inspector.settings.repulsion_exponent.setValue(6)
    assert inspector.force.running  # new strengths: it warms up again


def test_closing_the_window_with_the_inspector_open_stops_training(qtbot, make_window):
    window = make_window(preset="gauss", n_points=60)
    inspector = open_inspector(qtbot, window)
    window.toggle_play()
    qtbot.waitUntil(lambda: window.worker.session.steps > 0, timeout=TIMEOUT_MS)
    inspector.take_network()  # reads copies while the worker trains
    assert inspector.view.boxes
    window.close()
    assert not window.worker_thread.is_running()
    assert not inspector.isVisible()
