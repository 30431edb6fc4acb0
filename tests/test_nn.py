"""engine.nn: micrograd's Module/Neuron/Layer/MLP, activations, seeding, and its two demos."""

from __future__ import annotations

import gc
import math
import random
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from engine.activations import ACTIVATION_NAMES
from engine.layers import Network
from engine.losses import hinge, l2
from engine.nn import MLP, Layer, Neuron, init_layer
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
    for activation in ACTIVATION_NAMES:
        neuron = Neuron(3, activation=activation, rng=1)
        layer = Layer(3, 1, rng=1, activation=activation)  # the same initial weights
        assert layer(x).data == neuron(x).data
        neuron.b.data = 0.3
        z = sum(w.data * xi for w, xi in zip(neuron.w, x, strict=True)) + 0.3
        sigmoid = 1 / (1 + math.exp(-z))
        gelu_tanh = math.tanh(math.sqrt(2 / math.pi) * (z + 0.044715 * z**3))
        expected = {"relu": max(z, 0.0), "tanh": math.tanh(z), "sigmoid": sigmoid,
                    "leaky_relu": z if z > 0 else 0.01 * z, "elu": z if z > 0 else math.expm1(z),
                    "gelu": 0.5 * z * (1 + gelu_tanh),
                    "silu": z * sigmoid, "softplus": math.log(1 + math.exp(z)), "sin": math.sin(z),
                    "linear": z}[activation]
        assert neuron(x).data == pytest.approx(expected)


def test_activation_per_layer_and_bad_names() -> None:
    model = MLP(2, [3, 3, 1], activation=["tanh", "sigmoid"], rng=0)
    assert [n.activation for layer in model.layers for n in layer.neurons] == \
        ["tanh"] * 3 + ["sigmoid"] * 3 + ["linear"]
    with pytest.raises(ValueError, match="unknown activation 'swish'; choose one of tanh, relu"):
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


def train_moons_demo(seed: int, steps: int = 100,
                     model: MLP | None = None) -> tuple[MLP, list[float], float]:
    """micrograd's demo: 100 moons, MLP(2,[16,16,1]), hinge + 1e-4 L2, 100 steps of decaying SGD.

    The moons come from the seed, and so does the network unless one is given.
    """
    points, labels = make_moons(100, noise=0.1, rng=np.random.default_rng(seed))
    xs, ys = points.tolist(), (2 * labels - 1).tolist()  # labels in {-1, +1}
    model = model or MLP(2, [16, 16, 1], rng=seed)
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


# ---- same seed, same numbers as micrograd 0.1.0 ----------------------------------------------


def micrograd_demo_losses(value_type: type, model: Any, steps: int) -> list[float]:
    """micrograd's demo.ipynb training loop as it is written there, with value_type's Value."""
    X, y = make_moons(100, noise=0.1, rng=np.random.default_rng(1337))
    y = y * 2 - 1  # make y be -1 or 1
    totals = []
    for k in range(steps):
        inputs = [list(map(value_type, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores, strict=True)]
        data_loss = sum(losses) * (1.0 / len(losses))
        alpha = 1e-4
        reg_loss = alpha * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        totals.append(total_loss.data)
    return totals


def seeded(build: Callable[[], Any], seed: int = 1337) -> Any:
    """build() right after random.seed(seed), as micrograd's notebooks seed."""
    random.seed(seed)
    return build()


def test_unseeded_networks_draw_from_random_as_micrograd() -> None:
    micrograd_nn = pytest.importorskip("micrograd.nn")
    theirs = seeded(lambda: micrograd_nn.MLP(2, [16, 16, 1]))
    ours = seeded(lambda: MLP(2, [16, 16, 1]))
    assert weights(ours) == [p.data for p in theirs.parameters()]
    assert [n.w[0].data for n in seeded(lambda: Layer(3, 4)).neurons] == \
        [n.w[0].data for n in seeded(lambda: micrograd_nn.Layer(3, 4)).neurons]
    assert [w.data for w in seeded(lambda: Neuron(5)).w] == \
        [w.data for w in seeded(lambda: micrograd_nn.Neuron(5)).w]


def test_unseeded_network_is_the_unseeded_mlp_and_explicit_seeds_are_unchanged() -> None:
    mlp, net = seeded(lambda: MLP(2, [4, 3, 1]), 5), seeded(lambda: Network(2, [4, 3, 1]), 5)
    for layer, scalar_layer in zip(net.layers, mlp.layers, strict=True):
        for j, neuron in enumerate(scalar_layer.neurons):
            assert layer.weight.data[:, j].tolist() == [w.data for w in neuron.w]
    assert weights(seeded(lambda: MLP(2, [4, 1]), 1)) != weights(seeded(lambda: MLP(2, [4, 1]), 2))
    # an rng= draws from numpy, whatever the state of random
    assert weights(seeded(lambda: MLP(2, [4, 1], rng=3), 1)) == \
        weights(seeded(lambda: MLP(2, [4, 1], rng=3), 2))


def test_micrograd_demo_loop_gives_micrograd_losses_step_for_step() -> None:
    micrograd_engine = pytest.importorskip("micrograd.engine")
    micrograd_nn = pytest.importorskip("micrograd.nn")
    steps = 6
    theirs = seeded(lambda: micrograd_nn.MLP(2, [16, 16, 1]))
    ours = seeded(lambda: MLP(2, [16, 16, 1]))
    library = seeded(lambda: MLP(2, [16, 16, 1]))
    gc.disable()  # micrograd's closures make cycles: without this its steps take seconds
    try:
        expected = micrograd_demo_losses(micrograd_engine.Value, theirs, steps)
    finally:
        gc.enable()
        gc.collect()
    assert micrograd_demo_losses(Value, ours, steps) == pytest.approx(expected, rel=0, abs=1e-12)
    # and so does the same loop written with engine.losses and engine.optim
    library_losses = train_moons_demo(1337, steps, model=library)[1]
    assert library_losses == pytest.approx(expected, rel=0, abs=1e-12)
    assert expected[-1] < expected[0]  # it trains: the comparison is of a moving loss
    assert weights(ours) == pytest.approx([p.data for p in theirs.parameters()], rel=0,
                                          abs=1e-12)
