"""engine.layers: same initialisation as the scalar MLP, batched forward, predict, scalar_graph."""

from __future__ import annotations

import numpy as np
import pytest

from engine import Linear, Network, Tensor, Value
from engine.activations import ACTIVATION_NAMES
from engine.losses import hinge, l2
from engine.nn import MLP
from engine.optim import SGD

X = np.random.default_rng(3).uniform(-2, 2, size=(7, 3))  # (batch, nin)


def scalar_outputs(mlp: MLP, x: np.ndarray) -> np.ndarray:
    """The scalar MLP's outputs for every row, as an array (batch, nout)."""
    rows = []
    for row in x:
        out = mlp([float(v) for v in row])
        rows.append([o.data for o in out] if isinstance(out, list) else [out.data])
    return np.array(rows)


@pytest.mark.parametrize("activation", [*ACTIVATION_NAMES, ["tanh", "relu"], ["gelu", "sin"]])
def test_same_seed_gives_the_scalar_mlp(activation: str | list[str]) -> None:
    net = Network(3, [4, 5, 2], activation, rng=11)
    mlp = MLP(3, [4, 5, 2], activation, rng=11)
    for layer, scalar_layer in zip(net.layers, mlp.layers, strict=True):
        for j, neuron in enumerate(scalar_layer.neurons):
            np.testing.assert_array_equal(layer.weight.data[:, j], [w.data for w in neuron.w])
            assert layer.bias.data[j] == neuron.b.data
    np.testing.assert_allclose(net(Tensor(X)).data, scalar_outputs(mlp, X), rtol=1e-12,
                               atol=1e-14)


def test_layers_activations_and_shapes() -> None:
    net = Network(3, [4, 5, 1], ["tanh", "sigmoid"], rng=0)
    assert [layer.activation for layer in net.layers] == ["tanh", "sigmoid", "linear"]
    assert [layer.weight.shape for layer in net.layers] == [(3, 4), (4, 5), (5, 1)]
    assert net(X).shape == (7, 1)  # an ndarray input is wrapped
    assert len(net.parameters()) == 6 and all(p.requires_grad for p in net.parameters())
    assert repr(net) == ("Network of [Linear(3, 4, activation='tanh'), Linear(4, 5, activation="
                         "'sigmoid'), Linear(5, 1, activation='linear')]")
    with pytest.raises(ValueError, match="unknown activation"):
        Network(3, [4, 1], "swish")
    with pytest.raises(ValueError, match="2 activations given for 1 hidden layers"):
        Network(3, [4, 1], ["tanh", "relu"])
    with pytest.raises(ValueError, match="unknown activation"):
        Linear(2, 2, activation="softmax")


def test_a_shared_generator_is_consumed_layer_by_layer() -> None:
    first = Network(2, [3, 1], rng=np.random.default_rng(5))
    gen = np.random.default_rng(5)
    Linear(2, 3, rng=gen)
    assert np.array_equal(first.layers[1].weight.data, Linear(3, 1, rng=gen).weight.data)


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_predict_matches_the_forward_pass_without_a_graph(activation: str) -> None:
    net = Network(3, [8, 8, 2], activation, rng=4)
    forward = net(Tensor(X)).data
    exact = net.predict(X, dtype=np.float64)
    drawn = net.predict(X)
    assert drawn.dtype == np.float32 and drawn.shape == (7, 2)
    np.testing.assert_allclose(exact, forward, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(drawn, forward, rtol=1e-5, atol=1e-5)
    assert all(not p.grad.any() for p in net.parameters())


def test_scalar_graph_equals_the_network_for_one_row() -> None:
    net = Network(3, [4, 3, 1], "tanh", rng=8)
    out = net.scalar_graph(X[2])
    assert isinstance(out, Value) and out.label == "out"
    assert out.data == pytest.approx(net(Tensor(X[2:3])).data[0, 0], rel=1e-12)
    labels = {node.label for node in out.topological_order()}
    assert {"x1", "x3", "w1.1.1", "b1.4", "z1.2", "h1.2", "h2.3", "w3.1.3"} <= labels
    named = net.scalar_graph(X[0], input_labels=["a", "b", "c"])
    assert {"a", "b", "c"} <= {node.label for node in named.topological_order()}


def test_scalar_graph_backward_gives_the_tensor_gradient() -> None:
    net = Network(3, [4, 1], "relu", rng=2)
    x = Tensor(X[:1].copy(), requires_grad=True)
    net(x).sum().backward()
    out = net.scalar_graph(X[0])
    out.backward()
    inputs = {node.label: node for node in out.topological_order()}
    np.testing.assert_allclose([inputs[f"x{i}"].grad for i in (1, 2, 3)], x.grad[0], rtol=1e-12)


def test_scalar_graph_holds_a_switched_off_neuron_at_zero_as_the_network_does() -> None:
    net = Network(3, [4, 3, 1], "tanh", rng=8)
    net.switch_off([(0, 1), (1, 2)])
    x = Tensor(X[2:3].copy(), requires_grad=True)
    net(x).sum().backward()
    out = net.scalar_graph(X[2])
    out.backward()
    assert out.data == pytest.approx(net(Tensor(X[2:3])).data[0, 0], rel=1e-12)
    nodes = {node.label: node for node in out.topological_order()}
    assert nodes["h1.2 off"].data == 0.0 and nodes["h1.2"].data != 0.0
    assert nodes["w1.2.1"].grad == 0.0 and nodes["w2.1.2"].grad == 0.0
    np.testing.assert_allclose([nodes[f"x{i}"].grad for i in (1, 2, 3)], x.grad[0], rtol=1e-12)


def test_scalar_graph_with_several_outputs_is_a_list() -> None:
    outs = Network(3, [2, 2], rng=1).scalar_graph(X[0])
    assert isinstance(outs, list) and [o.label for o in outs] == ["out1", "out2"]
    assert all(isinstance(o, Value) for o in outs)


def test_training_the_network_separates_two_blobs() -> None:
    rng = np.random.default_rng(0)
    x = np.vstack([rng.normal(-2, 0.5, (20, 2)), rng.normal(2, 0.5, (20, 2))])
    y = np.r_[-np.ones(20), np.ones(20)]
    net = Network(2, [8, 1], "relu", rng=1)
    optimizer = SGD(net.parameters(), lr=0.05)
    for _ in range(100):
        loss = hinge(net(x), y) + 1e-4 * l2(net.parameters())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert loss.item() < 0.05
    assert np.all(np.sign(net.predict(x)[:, 0]) == y)
