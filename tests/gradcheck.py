"""Finite-difference gradient checks of Tensor functions, shared by the tensor tests."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from engine.tensor import Tensor


def numeric_grad(f: Callable[[], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central differences of f with respect to every element of x (changed in place)."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


def check_grads(fn: Callable[..., Tensor], *arrays: np.ndarray,
                rng: np.random.Generator) -> None:
    """backward() of sum(fn(*inputs) * w), for a random w, matches finite differences."""
    inputs = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    out = fn(*inputs)
    weights = rng.normal(size=out.shape)  # a random seed gradient, so sums are not enough
    (out * weights).sum().backward()

    def value() -> float:
        return float(np.sum(fn(*[Tensor(t.data) for t in inputs]).data * weights))

    for t in inputs:
        expected = numeric_grad(value, t.data)
        np.testing.assert_allclose(t.grad, expected, rtol=1e-5, atol=1e-7)
