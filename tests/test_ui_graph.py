"""The computation-graph inspector draws one point's loss graph with the network's own numbers."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from engine.graph import trace
from engine.losses import SAMPLE_LOSSES
from engine.value import Value
from playground.core.features import feature_matrix
from playground.core.spec import NetworkSpec, TrainingConfig
from playground.ui.graph_inspector import NodeItem

TIMEOUT_MS = 30_000


def open_inspector(qtbot, window):
    """Wait for the first drawn weights, then open the inspector with Ctrl+G."""
    qtbot.waitUntil(lambda: window.drawn_weights is not None, timeout=TIMEOUT_MS)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    dialog = window.graph_inspector
    assert dialog.isVisible() and not dialog.isModal()
    return dialog


def chosen_point(window, dialog) -> tuple[np.ndarray, int]:
    """The training point the inspector shows: its feature row and its label."""
    points, labels = window.dataset.train_split()
    i = dialog.sample.value() - 1
    return feature_matrix(points[i:i + 1], window.designer.spec().features)[0], int(labels[i])


def by_hand(weights, activations, row, target: float, loss: str) -> dict[str, Value]:
    """The same loss built from plain Value ops (no scalar_graph); backward() done; by label."""
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
def test_inspector_shows_the_networks_numbers_for_the_point(qtbot, make_window, loss):
    window = make_window(preset="xor", n_points=60, config=TrainingConfig(loss=loss))
    dialog = open_inspector(qtbot, window)
    row, label = chosen_point(window, dialog)
    network = window.worker.session.network  # paused: the worker does not touch it

    target = float(label) if loss == "bce" else 2.0 * label - 1.0
    independent = SAMPLE_LOSSES[loss]([network.scalar_graph(row, ["x1", "x2"])], target)
    assert len(dialog.node_items) == len(trace(independent)[0])
    assert sum(isinstance(item, NodeItem) for item in dialog.scene.items()) == len(trace(
        independent)[0])

    predicted = network.predict(row[None, :], dtype=np.float64)[0, 0]
    assert dialog.node_item("out").node.data == pytest.approx(predicted, abs=1e-9)

    expected = by_hand(window.worker.session.weights(), ("tanh", "tanh"), row, target, loss)
    assert dialog.node_item("loss").node.data == pytest.approx(expected["loss"].data, abs=1e-12)
    for name, value in expected.items():  # every weight, bias, input, the output and the loss
        item = dialog.node_item(name)
        assert item.node.grad == pytest.approx(value.grad, rel=1e-9, abs=1e-12), name
        shown = [child.text() for child in item.childItems()]
        assert f"grad {value.grad:.4g}" in shown, name


def test_choosing_another_point_and_refreshing_after_training(qtbot, make_window):
    window = make_window(preset="circle", n_points=80,
                         spec=NetworkSpec(features=("x1", "x2", "x1^2"), hidden=(3,),
                                          activations=("relu",)))
    dialog = open_inspector(qtbot, window)
    dialog.sample.setValue(5)
    row, _ = chosen_point(window, dialog)
    assert [dialog.node_item(name).node.data for name in ("x1", "x2", "x1^2")] == list(row)

    before = dialog.node_item("w1.1.1").node.data
    window.step_epoch()
    session = window.worker.session
    qtbot.waitUntil(lambda: session.epoch == 1 and not window.running
                    and window.drawn_result.step == session.steps, timeout=TIMEOUT_MS)
    dialog.refresh()
    after = dialog.node_item("w1.1.1").node.data
    assert after != before
    assert after == session.weights()[0][0][0, 0]
    predicted = session.network.predict(row[None, :], dtype=np.float64)[0, 0]
    assert dialog.node_item("out").node.data == pytest.approx(predicted, abs=1e-9)


def test_closing_the_window_with_the_inspector_open_stops_training(qtbot, make_window):
    window = make_window(preset="gauss", n_points=60)
    dialog = open_inspector(qtbot, window)
    window.toggle_play()
    qtbot.waitUntil(lambda: window.worker.session.steps > 0, timeout=TIMEOUT_MS)
    dialog.refresh()  # reads copies while the worker trains
    assert dialog.node_items
    window.close()
    assert not window.worker_thread.is_running()
    assert not dialog.isVisible()
