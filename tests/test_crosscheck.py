"""Property test: the Tensor engine's batch gradients equal the scalar engine's, summed."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from engine import Network, Tensor, Value
from engine.activations import ACTIVATION_NAMES
from engine.losses import CLASS_LOSSES, LOSSES, l1, l2
from engine.nn import MLP

PENALTIES = {"none": None, "l1": l1, "l2": l2}


@st.composite
def problems(draw: st.DrawFn) -> dict:
    """A random network shape, activations, loss, penalty and batch."""
    nin = draw(st.integers(1, 3))
    hidden = draw(st.lists(st.integers(1, 5), max_size=2))
    batch = draw(st.integers(1, 6))
    loss = draw(st.sampled_from(sorted(set(LOSSES) - CLASS_LOSSES)))  # one output
    labels = [0.0, 1.0] if loss == "bce" else [-1.0, 1.0]
    return {
        "nin": nin,
        "nouts": [*hidden, 1],
        "activation": draw(st.lists(st.sampled_from(ACTIVATION_NAMES), min_size=len(hidden),
                                    max_size=len(hidden))),
        "loss": loss,
        "penalty": draw(st.sampled_from(sorted(PENALTIES))),
        "seed": draw(st.integers(0, 2**32 - 1)),
        "x": draw(arrays(np.float64, (batch, nin), elements=st.floats(-3, 3))),
        "y": np.array(draw(st.lists(st.sampled_from(labels), min_size=batch, max_size=batch))),
    }


def clear_of_kinks(net: Network, x: np.ndarray, y: np.ndarray) -> bool:
    """True unless a pre-activation or hinge margin sits within rounding of a kink at 0."""
    h = x
    values = []
    for layer in net.layers:
        h = h @ layer.weight.data + layer.bias.data
        values.append(h)
        h = np.maximum(h, 0)  # the kink position is all that matters here
    values.append(1 - y[:, None] * h)
    return all(np.all((np.abs(v) > 1e-9) | (v == 0)) for v in values)


def scalar_grads(p: dict) -> list[float]:
    """Per-sample backward passes of the scalar MLP, accumulated, plus the penalty's."""
    mlp = MLP(p["nin"], p["nouts"], p["activation"], rng=p["seed"])
    for row, target in zip(p["x"], p["y"], strict=True):
        LOSSES[p["loss"]]([mlp([float(v) for v in row])], [target]).backward()
    if PENALTIES[p["penalty"]]:
        (PENALTIES[p["penalty"]](mlp.parameters()) * 0.01).backward()
    return [v.grad for v in mlp.parameters()]


def tensor_grads(net: Network, p: dict) -> list[float]:
    """One batched backward pass, flattened in the scalar MLP's parameter order."""
    loss = LOSSES[p["loss"]](net(Tensor(p["x"])), p["y"]) * len(p["x"])  # mean -> sum
    if PENALTIES[p["penalty"]]:
        loss = loss + PENALTIES[p["penalty"]](net.parameters()) * 0.01
    loss.backward()
    grads = []
    for layer in net.layers:  # neuron by neuron: its weights, then its bias
        for j in range(layer.weight.shape[1]):
            grads += [*layer.weight.grad[:, j], layer.bias.grad[j]]
    return grads


@settings(max_examples=100, deadline=None)
@given(problems())
def test_tensor_gradients_equal_summed_scalar_gradients(p: dict) -> None:
    net = Network(p["nin"], p["nouts"], p["activation"], rng=p["seed"])
    assume(clear_of_kinks(net, p["x"], p["y"]))
    np.testing.assert_allclose(tensor_grads(net, p), scalar_grads(p), rtol=1e-9, atol=1e-9)
    graph = net.scalar_graph(p["x"][0])
    assert isinstance(graph, Value)
    np.testing.assert_allclose(graph.data, net.predict(p["x"][:1], np.float64)[0, 0],
                               rtol=1e-12, atol=1e-12)
