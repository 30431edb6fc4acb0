"""The losses and optimizers of engine.losses / engine.optim on Tensors agree with Values."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from engine import Tensor, Value
from engine.losses import CLASS_LOSSES, LOSSES, l1, l2
from engine.optim import SGD, Adam

RNG = np.random.default_rng(7)
ONE_OUTPUT_LOSSES = sorted(set(LOSSES) - CLASS_LOSSES)


def scalar_loss_and_grads(loss_fn: Callable, scores: np.ndarray,
                          targets: np.ndarray) -> tuple[float, np.ndarray]:
    """The loss and d loss / d scores computed by the scalar engine."""
    values = [Value(float(s)) for s in scores]
    loss = loss_fn(values, targets)
    loss.backward()
    return loss.data, np.array([v.grad for v in values])


@pytest.mark.parametrize("name", ONE_OUTPUT_LOSSES)
@pytest.mark.parametrize("shape", [(6,), (6, 1)])
def test_losses_match_the_scalar_engine(name: str, shape: tuple) -> None:
    scores = RNG.normal(size=6) * 2
    targets = RNG.choice([0.0, 1.0], 6) if name == "bce" else RNG.choice([-1.0, 1.0], 6)
    expected_loss, expected_grad = scalar_loss_and_grads(LOSSES[name], scores, targets)
    t = Tensor(scores.reshape(shape).copy(), requires_grad=True)
    loss = LOSSES[name](t, targets)
    loss.backward()
    assert loss.item() == pytest.approx(expected_loss, rel=1e-12)
    np.testing.assert_allclose(t.grad.reshape(-1), expected_grad, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", sorted(CLASS_LOSSES))
@pytest.mark.parametrize("order", ["C", "F"])  # F: the scores of a transposed array
def test_class_losses_match_the_scalar_engine(name: str, order: str) -> None:
    scores, targets = RNG.normal(size=(5, 3)) * 3, RNG.integers(0, 3, 5)
    rows = [[Value(float(s)) for s in row] for row in scores]
    expected = LOSSES[name](rows, targets)
    expected.backward()
    t = Tensor(scores.copy(order=order), requires_grad=True)
    loss = LOSSES[name](t, targets)
    loss.backward()
    assert loss.item() == pytest.approx(expected.data, rel=1e-12)
    np.testing.assert_allclose(t.grad, [[v.grad for v in row] for row in rows], rtol=1e-12,
                               atol=1e-15)


@pytest.mark.parametrize("penalty", [l1, l2])
def test_penalties_match_the_scalar_engine(penalty: Callable) -> None:
    arrays = [RNG.normal(size=(3, 2)), RNG.normal(size=4)]
    values = [Value(float(v)) for a in arrays for v in a.ravel()]
    expected = penalty(values)
    expected.backward()
    tensors = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    out = penalty(tensors)
    out.backward()
    assert out.item() == pytest.approx(expected.data, rel=1e-12)
    grads = np.concatenate([t.grad.ravel() for t in tensors])
    np.testing.assert_allclose(grads, [v.grad for v in values], rtol=1e-12)


def test_losses_keep_float32() -> None:
    t = Tensor(np.array([0.5, -1.0], np.float32), requires_grad=True)
    for name in ONE_OUTPUT_LOSSES:
        loss = LOSSES[name](t, [1.0, 0.0])
        loss.backward()
        assert loss.dtype == np.float32 and t.grad.dtype == np.float32
    rows = Tensor(np.array([[0.5, -1.0, 2.0], [1.0, 0.0, 0.0]], np.float32), requires_grad=True)
    for name in CLASS_LOSSES:
        loss = LOSSES[name](rows, [2, 0])
        loss.backward()
        assert loss.dtype == np.float32 and rows.grad.dtype == np.float32


@pytest.mark.parametrize("make", [lambda p: SGD(p, lr=0.1), lambda p: SGD(p, lr=0.1, momentum=0.9),
                                  lambda p: Adam(p, lr=0.05)])
def test_optimizers_update_tensors_like_values(make: Callable) -> None:
    start = RNG.normal(size=(2, 3))
    tensor = Tensor(start.copy(), requires_grad=True)
    values = [Value(float(v)) for v in start.ravel()]
    t_opt, v_opt = make([tensor]), make(values)
    for step in range(4):
        t_opt.zero_grad()
        v_opt.zero_grad()
        target = np.full(6, float(step))
        ((tensor.reshape(-1) - target) ** 2).sum().backward()
        Value.sum([(v - float(step)) ** 2 for v in values]).backward()
        t_opt.step()
        v_opt.step()
        if step == 1:
            t_opt.lr = v_opt.lr = 0.02  # learning rate changes between steps
    np.testing.assert_allclose(tensor.data.ravel(), [v.data for v in values], rtol=1e-12)
    t_opt.zero_grad()
    assert np.all(tensor.grad == 0.0)
