"""engine.nn: micrograd's Module/Neuron/Layer/MLP, activations, seeding, and its two demos."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from engine.losses import hinge, l2
from engine.nn import ACTIVATIONS, MLP, Layer, Neuron, init_layer
from engine.optim import SGD
from engine.value import Value
from playground.core.presets import make_moons


def weights(model: MLP) -> list[float]:
    """Every parameter's value, in order."""
    return [p.data for p in model.parameters()]


def test_module_api_like_micrograd() -> None:
    model = MLP(2, [16, 16, 1], rng=0)
    assert len(model.parameters()) == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1
    out = model([0.5, -1.0])
    assert isinstance(out, Value)  # a one-neuron layer returns a Value, not a list
    out.backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0 for p in model.parameters())
    assert len(Layer(3, 4, rng=0)([1.0, 2.0, 3.0])) == 4
    assert Neuron(3, nonlin=False, rng=0).activation == "linear"
    assert Neuron(3, rng=0).activation == "relu"
    row = np.array([0.5, -1.0])  # a numpy row works like a list and gives float data
    assert type(model(row).data) is float and model(row).data == model([0.5, -1.0]).data
    with pytest.raises(ValueError, match="2 weights given for a neuron with 3 inputs"):
        Neuron(3, weights=[0.1, 0.2])


def test_repr_matches_micrograd() -> None:
    ours = repr(MLP(3, [4, 4, 1], rng=0))
    assert ours.startswith("MLP of [Layer of [ReLUNeuron(3), ")
    assert ours.endswith("Layer of [LinearNeuron(4)]]")
    micrograd_nn = pytest.importorskip("micrograd.nn")
    assert ours == repr(micrograd_nn.MLP(3, [4, 4, 1]))


def test_neuron_computes_its_activation_of_w_dot_x_plus_b() -> None:
    x = [0.5, -1.5, 2.0]
    for activation in ACTIVATIONS:
        neuron = Neuron(3, activation=activation, rng=1)
        layer = Layer(3, 1, rng=1, activation=activation)  # the same initial weights
        assert layer(x).data == neuron(x).data
        neuron.b.data = 0.3
        z = sum(w.data * xi for w, xi in zip(neuron.w, x, strict=True)) + 0.3
        expected = {"relu": max(z, 0.0), "tanh": math.tanh(z), "sigmoid": 1 / (1 + math.exp(-z)),
                    "leaky_relu": z if z > 0 else 0.01 * z, "linear": z}[activation]
        assert neuron(x).data == pytest.approx(expected)


def test_activation_per_layer_and_bad_names() -> None:
    model = MLP(2, [3, 3, 1], activation=["tanh", "sigmoid"], rng=0)
    assert [n.activation for layer in model.layers for n in layer.neurons] == \
        ["tanh"] * 3 + ["sigmoid"] * 3 + ["linear"]
    with pytest.raises(ValueError, match="unknown activation 'swish'; choose one of relu"):
        MLP(2, [3, 1], activation="swish")
    with pytest.raises(ValueError, match="1 activations given for 2 hidden layers"):
        MLP(2, [3, 3, 1], activation=["tanh"])


def test_same_seed_same_network_and_shared_initialisation() -> None:
    assert weights(MLP(2, [4, 3, 1], rng=7)) == weights(MLP(2, [4, 3, 1], rng=7))
    assert weights(MLP(2, [4, 3, 1], rng=7)) != weights(MLP(2, [4, 3, 1], rng=8))
    gen = np.random.default_rng(7)
    expected = []
    for nin, nout in [(2, 4), (4, 3), (3, 1)]:  # layers first to last, column j is neuron j
        w, b = init_layer(nin, nout, gen)
        expected += [v for j in range(nout) for v in [*w[:, j], b[j]]]
    assert weights(MLP(2, [4, 3, 1], rng=np.random.default_rng(7))) == expected


def test_micrograd_lecture_example_trains_below_001() -> None:
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    model = MLP(3, [4, 4, 1], activation="tanh", rng=0)
    opt = SGD(model.parameters(), lr=0.05)
    losses = []
    for _ in range(200):
        loss = Value.sum([(model(x) - y) ** 2 for x, y in zip(xs, ys, strict=True)])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.data)
    assert losses[-1] < 0.01 < losses[0]
    assert [model(x).data for x in xs] == pytest.approx(ys, abs=0.1)


def train_moons_demo(seed: int, steps: int = 100) -> tuple[MLP, list[float], float]:
    """micrograd's demo: 100 moons, MLP(2,[16,16,1]), hinge + 1e-4 L2, 100 steps of decaying SGD."""
    points, labels = make_moons(100, noise=0.1, rng=np.random.default_rng(seed))
    xs, ys = points.tolist(), (2 * labels - 1).tolist()  # labels in {-1, +1}
    model = MLP(2, [16, 16, 1], rng=seed)
    opt = SGD(model.parameters(), lr=1.0)
    losses = []
    for k in range(steps):
        loss = hinge([model(x) for x in xs], ys) + 1e-4 * l2(model.parameters())
        opt.zero_grad()
        loss.backward()
        opt.lr = 1.0 - 0.9 * k / 100
        opt.step()
        losses.append(loss.data)
    accuracy = sum((model(x).data > 0) == (y > 0) for x, y in zip(xs, ys, strict=True)) / len(ys)
    return model, losses, accuracy


def test_micrograd_demo_reaches_full_training_accuracy() -> None:
    _, losses, accuracy = train_moons_demo(seed=1)
    assert accuracy == 1.0
    assert losses[-1] < 0.1 * losses[0]


def test_the_same_seed_trains_the_same_network() -> None:
    first, first_losses, _ = train_moons_demo(seed=3, steps=5)
    second, second_losses, _ = train_moons_demo(seed=3, steps=5)
    assert weights(first) == weights(second)
    assert first_losses == second_losses


def test_micrograd_code_runs_unchanged() -> None:
    # micrograd's nn with micrograd's own Value swapped for ours trains the same way
    micrograd_nn = pytest.importorskip("micrograd.nn")
    random.seed(0)
    theirs = micrograd_nn.MLP(2, [4, 1])
    random.seed(0)
    micrograd_nn.Value, original = Value, micrograd_nn.Value
    try:
        ours = micrograd_nn.MLP(2, [4, 1])
    finally:
        micrograd_nn.Value = original
    for model in (theirs, ours):
        loss = sum((model(x) - y) ** 2 for x, y in [([1.0, -2.0], 1.0), ([0.5, 0.5], -1.0)])
        model.zero_grad()
        loss.backward()
    assert [p.grad for p in ours.parameters()] == pytest.approx(
        [p.grad for p in theirs.parameters()])
