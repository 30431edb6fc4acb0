"""Tensor graph behaviour: reuse, depth, no_grad, dtypes, accumulation and numerics."""

from __future__ import annotations

import threading
import warnings

import numpy as np
import pytest

from engine import Tensor, Value, no_grad


def test_reused_tensor_gets_every_path() -> None:
    a = Tensor(np.array([1.0, -2.0, 3.0]), requires_grad=True)
    b = a + a  # 2a
    c = b * b + b  # 4a^2 + 2a
    c.sum().backward()
    np.testing.assert_allclose(a.grad, 8 * a.data + 2)


def test_diamond_graph() -> None:
    x = Tensor(np.array([[0.5, -1.5]]), requires_grad=True)
    h = x.tanh()
    out = (h * 3.0 + h.exp() - h).sum()
    out.backward()
    t = np.tanh(x.data)
    np.testing.assert_allclose(x.grad, (3.0 + np.exp(t) - 1.0) * (1 - t * t))


def test_deep_chain_backward_is_iterative() -> None:
    a = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    x = a
    for _ in range(10_000):
        x = x * 1.0001 - 0.0001 * x  # 20,000 nodes deep; x stays a
    x.sum().backward()
    np.testing.assert_allclose(a.grad, [1.0, 1.0], rtol=1e-6)


def test_leaves_accumulate_and_interior_nodes_are_reset() -> None:
    a = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    out = (a * a).sum()
    out.backward()
    out.backward()
    np.testing.assert_allclose(a.grad, 2 * 2 * a.data)
    a.grad.fill(0.0)
    out.backward()
    np.testing.assert_allclose(a.grad, 2 * a.data)


def test_leaf_gradients_are_accumulated_in_place() -> None:
    a = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    buffer = a.grad  # callers may hand out views of a larger buffer, as optimizers do
    (a * 3.0 + a).sum().backward()
    assert a.grad is buffer
    np.testing.assert_array_equal(buffer, [4.0, 4.0])


def test_backward_of_a_leaf_and_with_a_seed_gradient() -> None:
    a = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    a.backward()
    np.testing.assert_array_equal(a.grad, [1.0, 1.0])
    b = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    (b * 3.0).backward(np.array([1.0, -1.0]))
    np.testing.assert_array_equal(b.grad, [3.0, -3.0])


def test_constants_get_no_grad_and_build_no_graph() -> None:
    w = Tensor(np.ones(3), requires_grad=True)
    x = Tensor(np.arange(3.0))
    assert x.grad is None and not (x * 2.0).requires_grad
    (x * w).sum().backward()
    assert x.grad is None
    np.testing.assert_array_equal(w.grad, x.data)


def test_no_grad_builds_no_graph_and_restores_the_mode() -> None:
    w = Tensor(np.ones(3), requires_grad=True)
    with no_grad():
        out = (w * 2.0).relu().sum()
    assert not out.requires_grad and out._prev == ()
    with pytest.raises(RuntimeError, match="does not require grad"):
        out.backward()
    with pytest.raises(ZeroDivisionError), no_grad():
        raise ZeroDivisionError
    assert (w * 2.0).requires_grad


def test_no_grad_is_per_thread() -> None:
    w = Tensor(np.ones(2), requires_grad=True)
    inside, other_thread = threading.Event(), []

    def train() -> None:
        inside.wait()
        other_thread.append((w * 2.0).requires_grad)

    worker = threading.Thread(target=train)
    worker.start()
    with no_grad():
        inside.set()
        worker.join()
    assert other_thread == [True]


def test_float32_stays_float32() -> None:
    w = Tensor(np.ones((3, 2), np.float32), requires_grad=True)
    x = Tensor(np.ones((4, 3), np.float32))
    out = ((x @ w + 1.0).tanh() * 2.0 - 0.5).sigmoid().mean()
    assert out.dtype == np.float32
    out.backward()
    assert w.grad.dtype == np.float32
    assert Tensor([1, 2]).dtype == np.float64
    assert Tensor([1, 2], dtype=np.float32).dtype == np.float32


def test_sigmoid_and_softplus_do_not_overflow() -> None:
    x = Tensor(np.array([-1000.0, -30.0, 0.0, 30.0, 1000.0]), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow warning fails the test
        s, sp = x.sigmoid(), x.softplus()
        (s.sum() + sp.sum()).backward()
    scalar = [Value(float(v)) for v in x.data]  # the scalar engine's formulas as reference
    np.testing.assert_allclose(s.data, [v.sigmoid().data for v in scalar], rtol=1e-12)
    np.testing.assert_allclose(sp.data, [v.softplus().data for v in scalar], rtol=1e-12)
    assert s.data[-1] == 1.0 and sp.data[-1] == 1000.0
    assert np.all(np.isfinite(x.grad))


def test_shape_dtype_item_and_repr() -> None:
    t = Tensor(np.zeros((2, 3)), requires_grad=True)
    assert t.shape == (2, 3) and t.ndim == 2 and t.dtype == np.float64
    assert Tensor(np.array(2.5)).item() == 2.5
    assert "requires_grad=True" in repr(t)
    assert "op='relu'" in repr(t.relu())
