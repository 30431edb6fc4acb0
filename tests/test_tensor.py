"""Tensor gradients against central finite differences, op by op, broadcasting included."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import gradcheck
import numpy as np
import pytest

from engine.activations import ACTIVATION_NAMES
from engine.fused import linear, network, sum_of_squares
from engine.layers import Network
from engine.losses import CLASS_LOSSES, LOSSES, PER_SAMPLE
from engine.tensor import Tensor
from engine.training_step import TrainingStep

RNG = np.random.default_rng(1234)


def away_from_zero(*shape: int) -> np.ndarray:
    """Random values with |x| in [0.2, 2]: no kinks of relu/abs/max within the FD step."""
    return RNG.uniform(0.2, 2.0, shape) * RNG.choice([-1.0, 1.0], shape)


def positive(*shape: int) -> np.ndarray:
    """Random values in [0.5, 2] for log, sqrt-like powers and Tensor exponents."""
    return RNG.uniform(0.5, 2.0, shape)


def check_grads(fn: Callable[..., Tensor], *arrays: np.ndarray) -> None:
    """gradcheck.check_grads with this module's generator."""
    gradcheck.check_grads(fn, *arrays, rng=RNG)


# ---- elementwise arithmetic, with broadcasting ---------------------------------------------

BROADCAST_SHAPES = [((3, 4), (3, 4)), ((5, 1), (5,)), ((3, 1), (1, 4)), ((), (2, 3)),
                    ((4,), (3, 4)), ((2, 3, 4), (3, 1))]


@pytest.mark.parametrize(("shape_a", "shape_b"), BROADCAST_SHAPES)
@pytest.mark.parametrize("op", ["+", "-", "*", "/"])
def test_binary_ops_broadcast_and_sum_back(op: str, shape_a: tuple, shape_b: tuple) -> None:
    fns = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
           "/": lambda a, b: a / b}
    check_grads(fns[op], away_from_zero(*shape_a), away_from_zero(*shape_b))


@pytest.mark.parametrize("shape", [(3, 4), (3, 1), (4,), ()])
def test_ops_with_numbers_and_arrays_on_either_side(shape: tuple) -> None:
    const = away_from_zero(3, 4)
    check_grads(lambda a: 2.5 + a - 1.5 + (3.0 - a) * 2.0 / 4.0 + 1.0 / a, away_from_zero(*shape))
    check_grads(lambda a: const * a + a * const - const / a + a / const - (const - a),
                away_from_zero(*shape))
    check_grads(lambda a: (a + const) * 1 + (const + a), away_from_zero(*shape))


def test_ndarray_on_the_left_defers_to_tensor() -> None:
    a = Tensor(np.ones(3), requires_grad=True)
    for result in (np.full(3, 2.0) * a, np.full(3, 2.0) + a, np.full(3, 2.0) - a,
                   np.full(3, 2.0) / a, np.eye(3) @ a):
        assert isinstance(result, Tensor)
    (np.full(3, 2.0) * a).sum().backward()
    np.testing.assert_array_equal(a.grad, [2.0, 2.0, 2.0])


def test_powers() -> None:
    check_grads(lambda a: a**3, away_from_zero(3, 2))
    check_grads(lambda a: a**2, away_from_zero(3, 2))
    check_grads(lambda a: a**-1.5, positive(4))
    check_grads(lambda a, b: a**b, positive(3, 2), away_from_zero(2))
    check_grads(lambda b: 2.0**b, away_from_zero(3, 2))
    check_grads(lambda a: a ** np.array([1.0, 2.0, 3.0]), away_from_zero(2, 3))


def test_square_of_itself() -> None:
    check_grads(lambda a: a * a, away_from_zero(4, 3))
    check_grads(lambda a: a * a * a, away_from_zero(4, 3))


@pytest.mark.parametrize("name", ["relu", "tanh", "sigmoid", "softplus", "exp", "abs", "neg"])
def test_unary_ops(name: str) -> None:
    fn = (lambda a: -a) if name == "neg" else (lambda a: getattr(a, name)())
    check_grads(fn, away_from_zero(3, 4))


def test_log_and_leaky_relu() -> None:
    check_grads(lambda a: a.log(), positive(3, 4))
    check_grads(lambda a: a.leaky_relu(), away_from_zero(3, 4))
    check_grads(lambda a: a.leaky_relu(slope=0.2), away_from_zero(3, 4))


# ---- matmul, reductions, shapes --------------------------------------------------------------


@pytest.mark.parametrize(("shape_a", "shape_b"),
                         [((4, 3), (3, 2)), ((4, 3), (3,)), ((3,), (3, 2)), ((3,), (3,)),
                          ((2, 4, 3), (3, 2)), ((2, 4, 3), (2, 3, 5)), ((4, 3), (2, 3, 2))])
def test_matmul(shape_a: tuple, shape_b: tuple) -> None:
    check_grads(lambda a, b: a @ b, away_from_zero(*shape_a), away_from_zero(*shape_b))


def test_matmul_with_constant_arrays() -> None:
    w = away_from_zero(3, 2)
    x = away_from_zero(4, 3)
    check_grads(lambda a: a @ w, away_from_zero(4, 3))
    check_grads(lambda b: x @ b, away_from_zero(3, 2))


AXES = [(None, False), (None, True), (0, False), (1, True), (-1, False), ((0, 1), False),
        ((0, 2), True)]


@pytest.mark.parametrize(("axis", "keepdims"), AXES)
@pytest.mark.parametrize("name", ["sum", "mean", "max", "logsumexp"])
def test_reductions(name: str, axis: object, keepdims: bool) -> None:
    check_grads(lambda a: getattr(a, name)(axis=axis, keepdims=keepdims), away_from_zero(3, 4, 2))


def test_max_shares_the_gradient_between_ties() -> None:
    a = Tensor(np.array([[1.0, 3.0, 3.0], [2.0, 0.0, 1.0]]), requires_grad=True)
    a.max(axis=1).sum().backward()
    np.testing.assert_array_equal(a.grad, [[0.0, 0.5, 0.5], [1.0, 0.0, 0.0]])


def test_full_reductions_give_numpy_scalars() -> None:
    a = Tensor(np.ones((2, 3)))
    assert a.sum().shape == () and a.mean().item() == 1.0
    assert a.sum(axis=0).shape == (3,) and a.mean(axis=1, keepdims=True).shape == (2, 1)


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_log_softmax(axis: int) -> None:
    check_grads(lambda a: a.log_softmax(axis=axis), away_from_zero(3, 4))


def test_logsumexp_and_log_softmax_do_not_overflow() -> None:
    a = Tensor(np.array([[1000.0, 1000.0], [-1000.0, 0.0]]), requires_grad=True)
    lse = a.logsumexp(axis=1)
    np.testing.assert_allclose(lse.data, [1000.0 + np.log(2.0), 0.0])
    np.testing.assert_allclose(a.log_softmax(axis=1).data, [[-np.log(2.0)] * 2, [-1000.0, 0.0]])
    lse.sum().backward()
    np.testing.assert_allclose(a.grad, [[0.5, 0.5], [0.0, 1.0]])


def test_reshape_transpose_and_rows() -> None:
    check_grads(lambda a: a.reshape(4, 3) @ a.T.reshape(3, 4), away_from_zero(3, 4))
    check_grads(lambda a: a.reshape((2, -1)), away_from_zero(3, 4))
    check_grads(lambda a: a[1:3] * 2.0, away_from_zero(4, 3))
    check_grads(lambda a: a[np.array([0, 2, 2, 3, 0])], away_from_zero(4, 3))  # repeated rows
    check_grads(lambda a: a[2], away_from_zero(4, 3))


# ---- fused ops -------------------------------------------------------------------------------


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_fused_linear_equals_its_unfused_ops(activation: str) -> None:
    x, w, b = away_from_zero(5, 3), away_from_zero(3, 4) * 0.3, away_from_zero(4)
    check_grads(lambda x, w, b: linear(x, w, b, activation), x, w, b)
    unfused = Tensor(x) @ Tensor(w) + Tensor(b)
    if activation != "linear":
        unfused = getattr(unfused, activation)()
    fused = linear(Tensor(x), Tensor(w), Tensor(b), activation)
    np.testing.assert_allclose(fused.data, unfused.data, rtol=1e-12, atol=1e-15)


def test_sum_of_squares() -> None:
    check_grads(lambda a, b: sum_of_squares([a, b]), away_from_zero(3, 2), away_from_zero(4))
    a, b = away_from_zero(3, 2), away_from_zero(4)
    assert sum_of_squares([Tensor(a), Tensor(b)]).item() == pytest.approx(
        np.sum(a * a) + np.sum(b * b))


@pytest.mark.parametrize("activation", [*(a for a in ACTIVATION_NAMES if a != "linear"), None])
def test_layer_written_with_plain_ops(activation: str | None) -> None:
    def layer(x: Tensor, w: Tensor, b: Tensor) -> Tensor:
        z = x @ w + b  # the engine folds this pattern into one node; gradients must not change
        return z if activation is None else getattr(z, activation)()

    check_grads(layer, away_from_zero(5, 3), away_from_zero(3, 4) * 0.3, away_from_zero(4))


def test_intermediates_of_folded_patterns_keep_their_own_paths() -> None:
    def shared(x: Tensor, w: Tensor, b: Tensor) -> Tensor:
        z = x @ w
        a = z + b
        s = a * a
        return a.tanh() * z + a + s.sum() + s * 0.5 + (a**2).mean() + ((a - 1.0) ** 2).mean()

    check_grads(shared, away_from_zero(5, 3), away_from_zero(3, 4) * 0.3, away_from_zero(4))


@pytest.mark.parametrize("activations", [("tanh", "tanh", "linear"), ("relu", "sigmoid"),
                                         ("leaky_relu", "linear"), ("gelu", "sin", "linear"),
                                         ("elu", "silu", "softplus")])
def test_fused_network_equals_its_layers(activations: tuple[str, ...]) -> None:
    sizes = [3, 4, 2, 2][:len(activations) + 1]
    shapes = [shape for fan_in, fan_out in itertools.pairwise(sizes)
              for shape in ((fan_in, fan_out), (fan_out,))]
    arrays = [away_from_zero(5, 3), *(away_from_zero(*shape) * 0.5 for shape in shapes)]
    check_grads(lambda x, *params: network(x, params, activations), *arrays)
    x, *params = [Tensor(a) for a in arrays]
    layered = x
    for i, activation in enumerate(activations):
        layered = linear(layered, params[2 * i], params[2 * i + 1], activation)
    np.testing.assert_allclose(network(x, params, activations).data, layered.data, rtol=1e-12,
                               atol=1e-15)


@pytest.mark.parametrize("loss", sorted(LOSSES))
@pytest.mark.parametrize("activations", [("tanh", "tanh"), ("relu", "gelu"), ("sin", "elu")])
@pytest.mark.parametrize("masked", [False, True])
def test_the_training_step_is_the_graphs_backward(loss, activations, masked):
    """TrainingStep (the training hot path) gives the loss and the gradients that the loss's
    graph gives with backward(), to rounding, written over whatever .grad held before."""
    classes = loss in CLASS_LOSSES
    outputs = 3 if classes else 1
    rng = np.random.default_rng(5)
    x = rng.normal(size=(7, 2))  # (batch, fan_in)
    targets = (rng.integers(0, outputs, 7) if classes else
               rng.choice([-1.0, 1.0], 7) if loss == "hinge" else
               rng.integers(0, 2, 7).astype(float) if loss == "bce" else rng.normal(size=7))
    graph_net = Network(2, (4, 3, outputs), list(activations), rng=1)
    step_net = Network(2, (4, 3, outputs), list(activations), rng=1)
    if masked:
        for net in (graph_net, step_net):
            net.switch_off([(0, 1), (1, 2)])
    graph_loss = LOSSES[loss](graph_net(Tensor(x)), targets)
    graph_loss.backward()
    shaped = targets if classes else targets[:, None]  # as the loss's terms read them
    step = TrainingStep(step_net, *block_layout(step_net))
    step_loss = step(x, shaped, PER_SAMPLE[loss])
    assert step_loss == pytest.approx(float(graph_loss.data), rel=1e-14)
    for by_graph, by_step in zip(graph_net.parameters(), step_net.parameters(), strict=True):
        np.testing.assert_allclose(by_step.grad, by_graph.grad, rtol=1e-12, atol=1e-15)


def block_layout(net: Network) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Each layer's weight and bias moved into one (fan_in + 1, fan_out) block, as
    FlatParameters lays them out, with gradients of NaN (a last step's, to be written over)."""
    blocks, grads = [], []
    for layer in net.layers:
        block = np.vstack([layer.weight.data, layer.bias.data])
        grad = np.full(block.shape, np.nan)
        layer.weight.data, layer.bias.data = block[:-1], block[-1]
        layer.weight.grad, layer.bias.grad = grad[:-1], grad[-1]
        blocks.append(block)
        grads.append(grad)
    return blocks, grads


@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_the_training_step_trains_a_network_with_no_hidden_layer(loss):
    """TensorFlow Playground's smallest network: the inputs straight into the output."""
    outputs = 3 if loss == "cross_entropy" else 1
    rng = np.random.default_rng(2)
    x, labels = rng.normal(size=(6, 2)), rng.integers(0, outputs, 6)
    targets = labels if outputs > 1 else rng.normal(size=6)
    graph_net, step_net = Network(2, (outputs,), "tanh", rng=4), Network(2, (outputs,), "tanh",
                                                                         rng=4)
    graph_loss = LOSSES[loss](graph_net(Tensor(x)), targets)
    graph_loss.backward()
    step = TrainingStep(step_net, *block_layout(step_net))
    shaped = targets if outputs > 1 else targets[:, None]
    assert step(x, shaped, PER_SAMPLE[loss]) == pytest.approx(float(graph_loss.data), rel=1e-14)
    for by_graph, by_step in zip(graph_net.parameters(), step_net.parameters(), strict=True):
        np.testing.assert_allclose(by_step.grad, by_graph.grad, rtol=1e-12, atol=1e-15)


def test_the_training_step_refuses_blocks_apart_from_the_layers() -> None:
    net = Network(2, (3, 1), "tanh", rng=0)
    copies = [np.vstack([layer.weight.data, layer.bias.data]) for layer in net.layers]
    with pytest.raises(ValueError, match="layer 1: a block must hold its weight and bias"):
        TrainingStep(net, copies, [np.zeros_like(c) for c in copies])
