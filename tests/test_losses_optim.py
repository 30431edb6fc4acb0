"""Losses on lists of Values (values and gradients) and the optimizers' steps."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

from engine.losses import (
    LOSSES,
    absolute_error,
    binary_cross_entropy,
    hinge,
    huber,
    l1,
    l2,
    mse,
    multiclass_hinge,
    softmax_cross_entropy,
)
from engine.optim import SGD, Adam, AdamW, zero_grad
from engine.value import Value

SCORES = [0.7, -2.0, 1.5, 0.2]
SIGNS = [1.0, -1.0, -1.0, 1.0]
BITS = [1.0, 0.0, 0.0, 1.0]
VALUES = [0.3, 0.5, 1.6, 2.0]  # regression targets: errors 0.4, -2.5, -0.1, -1.8


def grads_of(loss_fn: Callable[[list[Value]], Value], xs: list[float]) -> tuple[float, list[float]]:
    """The loss value and its gradient with respect to every x, by backward()."""
    leaves = [Value(x) for x in xs]
    loss = loss_fn(leaves)
    loss.backward()
    return loss.data, [v.grad for v in leaves]


def finite_differences(loss_fn: Callable[[list[Value]], Value], xs: list[float]) -> list[float]:
    """The gradient of loss_fn at xs by central differences."""
    h = 1e-6
    out = []
    for i in range(len(xs)):
        up, down = list(xs), list(xs)
        up[i] += h
        down[i] -= h
        out.append((loss_fn([Value(x) for x in up]).data -
                    loss_fn([Value(x) for x in down]).data) / (2 * h))
    return out


def sigmoid(x: float) -> float:
    """The logistic function, for expected values."""
    return 1 / (1 + math.exp(-x))


LOSS_CASES: dict[str, tuple[Callable[[list[Value]], Value], float]] = {
    "hinge": (lambda s: hinge(s, SIGNS),
              sum(max(0.0, 1 - y * s) for s, y in zip(SCORES, SIGNS, strict=True)) / 4),
    "bce": (lambda s: binary_cross_entropy(s, BITS),
            -sum(y * math.log(sigmoid(s)) + (1 - y) * math.log(1 - sigmoid(s))
                 for s, y in zip(SCORES, BITS, strict=True)) / 4),
    "mse": (lambda s: mse(s, SIGNS),
            sum((s - y) ** 2 for s, y in zip(SCORES, SIGNS, strict=True)) / 4),
    "l1": (l1, sum(abs(s) for s in SCORES)),
    "l2": (l2, sum(s * s for s in SCORES)),
    "softmax": (lambda s: softmax_cross_entropy([s[:3], s[1:]], [0, 2]),
                (math.log(sum(math.exp(s) for s in SCORES[:3])) - SCORES[0] +
                 math.log(sum(math.exp(s) for s in SCORES[1:])) - SCORES[3]) / 2),
    "mae": (lambda s: absolute_error(s, VALUES),
            sum(abs(s - y) for s, y in zip(SCORES, VALUES, strict=True)) / 4),
    # errors 0.4 and 0.1 inside the quadratic part, 2.5 and 1.8 beyond it
    "huber": (lambda s: huber(s, VALUES),
              (0.5 * 0.4**2 + 0.5 * 0.1**2 + (2.5 - 0.5) + (1.8 - 0.5)) / 4),
    # row 1 (target 0): 0.7 - 2.0 + 1 < 0, 1.5 - 0.7 + 1 = 1.8; row 2 (target 2, scores -2.0,
    # 1.5, 0.2): -2.0 - 0.2 + 1 < 0, 1.5 - 0.2 + 1 = 2.3
    "multiclass_hinge": (lambda s: multiclass_hinge([s[:3], s[1:]], [0, 2]), (1.8 + 2.3) / 2),
}


@pytest.mark.parametrize("name", LOSS_CASES)
def test_loss_value_and_gradient(name: str) -> None:
    loss_fn, expected = LOSS_CASES[name]
    value, grads = grads_of(loss_fn, SCORES)
    assert value == pytest.approx(expected, rel=1e-12)
    assert grads == pytest.approx(finite_differences(loss_fn, SCORES), rel=1e-6, abs=1e-8)


def test_cross_entropies_are_stable_at_large_logits() -> None:
    value, grads = grads_of(lambda s: binary_cross_entropy(s, [1, 0, 1, 0]),
                            [1000.0, 1000.0, -1000.0, -1000.0])
    assert value == pytest.approx((0 + 1000 + 1000 + 0) / 4)
    assert grads == pytest.approx([0.0, 0.25, -0.25, 0.0])  # (sigmoid(s) - y) / N
    value, grads = grads_of(lambda s: softmax_cross_entropy([s], [1]), [1000.0, 0.0, -1000.0])
    assert value == pytest.approx(1000.0)
    assert grads == pytest.approx([1.0, -1.0, 0.0])  # softmax - onehot


def test_loss_registry_and_bad_inputs() -> None:
    assert set(LOSSES) == {"hinge", "bce", "mse", "mae", "huber", "cross_entropy",
                           "multiclass_hinge"}
    assert LOSSES["hinge"] is hinge
    with pytest.raises(ValueError, match="2 scores for 3 targets"):
        mse([Value(1.0), Value(2.0)], [1, 2, 3])
    with pytest.raises(ValueError, match="0 scores for 0 targets"):
        hinge([], [])


# ---- optimizers ----------------------------------------------------------------------------


def quadratic(params: list[Value]) -> Value:
    """(p - 3)^2 + 10 (q + 1)^2, an ill-conditioned bowl with its minimum at (3, -1)."""
    p, q = params
    return (p - 3) ** 2 + 10 * (q + 1) ** 2


def minimise(opt_factory: Callable[[list[Value]], object], steps: int) -> list[float]:
    """Run an optimizer on the quadratic from (0, 0); return where it ends."""
    params = [Value(0.0), Value(0.0)]
    opt = opt_factory(params)
    for _ in range(steps):
        opt.zero_grad()
        quadratic(params).backward()
        opt.step()
    return [p.data for p in params]


@pytest.mark.parametrize("factory", [
    lambda ps: SGD(ps, lr=0.04),
    lambda ps: SGD(ps, lr=0.02, momentum=0.9),
    lambda ps: Adam(ps, lr=0.1),
    lambda ps: AdamW(ps, lr=0.1, weight_decay=1e-4),
])
def test_optimizers_reach_the_minimum(factory: Callable) -> None:
    assert minimise(factory, 300) == pytest.approx([3.0, -1.0], abs=1e-3)


def test_first_steps_match_hand_computation() -> None:
    # at (0, 0) the gradient is (-6, 20)
    assert minimise(lambda ps: SGD(ps, lr=0.01), 1) == pytest.approx([0.06, -0.2])
    # momentum: v1 = g0, v2 = 0.9 v1 + g1 with g1 the gradient at the first point
    p1, q1 = 0.06, -0.2
    v2 = [0.9 * -6 + 2 * (p1 - 3), 0.9 * 20 + 20 * (q1 + 1)]
    assert minimise(lambda ps: SGD(ps, lr=0.01, momentum=0.9), 2) == pytest.approx(
        [p1 - 0.01 * v2[0], q1 - 0.01 * v2[1]])
    # Adam's first step is lr * g / (|g| + eps) after bias correction: a step of lr per coordinate
    assert minimise(lambda ps: Adam(ps, lr=0.1), 1) == pytest.approx([0.1, -0.1])


def test_adamw_matches_hand_computation() -> None:
    # two steps from (1, -2): shrink by lr * weight_decay first, then Adam's bias-corrected step
    lr, wd, (b1, b2), eps = 0.1, 0.5, (0.9, 0.999), 1e-8
    p, q = 1.0, -2.0
    m, v = [0.0, 0.0], [0.0, 0.0]
    for t in (1, 2):
        g = [2 * (p - 3), 20 * (q + 1)]  # the gradient before the decay, as AdamW takes it
        p, q = p * (1 - lr * wd), q * (1 - lr * wd)
        m = [b1 * mi + (1 - b1) * gi for mi, gi in zip(m, g, strict=True)]
        v = [b2 * vi + (1 - b2) * gi * gi for vi, gi in zip(v, g, strict=True)]
        steps = [lr * (mi / (1 - b1**t)) / ((vi / (1 - b2**t)) ** 0.5 + eps)
                 for mi, vi in zip(m, v, strict=True)]
        p, q = p - steps[0], q - steps[1]
    params = [Value(1.0), Value(-2.0)]
    opt = AdamW(params, lr=lr, weight_decay=wd)
    for _ in range(2):
        opt.zero_grad()
        quadratic(params).backward()
        opt.step()
    assert [x.data for x in params] == pytest.approx([p, q], rel=1e-12)
    assert repr(opt) == "AdamW(lr=0.1, weight_decay=0.5, params=2)"
    # no decay: exactly Adam
    with_adam, with_adamw = [Value(1.0)], [Value(1.0)]
    for opt in (Adam(with_adam, lr=0.1), AdamW(with_adamw, lr=0.1, weight_decay=0.0)):
        for _ in range(3):
            opt.zero_grad()
            (opt.params[0] ** 2).backward()
            opt.step()
    assert with_adamw[0].data == with_adam[0].data


@pytest.mark.parametrize(("ours", "theirs", "options"), [
    (Adam, "Adam", {"betas": (0.8, 0.95)}),
    (AdamW, "AdamW", {"betas": (0.8, 0.95)}),  # torch's default weight decay, 0.01, as ours
    (AdamW, "AdamW", {"weight_decay": 0.3, "eps": 1e-6}),
    (SGD, "SGD", {"momentum": 0.9}),
])
def test_matches_torch_step_for_step(ours: type, theirs: str, options: dict) -> None:
    torch = pytest.importorskip("torch")
    start = [0.5, -2.0]
    mine = [Value(x) for x in start]
    ref_params = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = ours(mine, lr=0.05, **options)
    ref = getattr(torch.optim, theirs)([ref_params], lr=0.05, **options)
    for _ in range(20):
        opt.zero_grad()
        quadratic(mine).backward()
        opt.step()
        ref.zero_grad()
        ((ref_params[0] - 3) ** 2 + 10 * (ref_params[1] + 1) ** 2).backward()
        ref.step()
    assert [p.data for p in mine] == pytest.approx(ref_params.tolist(), rel=1e-12)


def test_learning_rate_can_change_between_steps() -> None:
    p = Value(1.0)
    opt = SGD([p], lr=0.1)
    p.grad = 1.0
    opt.step()
    opt.lr = 0.5
    opt.step()
    assert p.data == pytest.approx(1.0 - 0.1 - 0.5)
    assert repr(opt) == "SGD(lr=0.5, params=1)"


@dataclass
class ArrayParam:
    """Anything with .data and .grad: here numpy arrays, as the tensor engine's parameters."""

    data: np.ndarray
    grad: np.ndarray


def test_optimizers_update_arrays_in_place() -> None:
    for opt_type in (SGD, Adam, AdamW):
        param = ArrayParam(np.array([1.0, -2.0]), np.array([0.5, 0.5]))
        data = param.data
        opt = opt_type([param], lr=0.1)
        opt.step()
        assert param.data is data and np.all(param.data < [1.0, -2.0])
        zero_grad([param])
        assert param.grad.tolist() == [0.0, 0.0]
