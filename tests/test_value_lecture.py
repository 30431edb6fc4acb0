"""Value as the lecture teaches it: ops added with an ``out._backward`` closure, attributes a
learner hangs on a node, and the clear error for a node that cannot pass its gradient on."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from engine.nn import MLP
from engine.optim import AdamW
from engine.value import Value

# ---- ops written exactly as in the lecture -----------------------------------------------------


def lecture_tanh(self: Value) -> Value:
    """The lecture's tanh: the formula, the node, and a closure for its backward step."""
    x = self.data
    t = (math.exp(2 * x) - 1) / (math.exp(2 * x) + 1)
    out = Value(t, (self,), "tanh")

    def _backward() -> None:
        self.grad += (1 - t**2) * out.grad

    out._backward = _backward
    return out


def lecture_mul(self: Value, other: Value) -> Value:
    """The lecture's product of two Values: a closure with two children."""
    out = Value(self.data * other.data, (self, other), "*")

    def _backward() -> None:
        self.grad += other.data * out.grad
        other.grad += self.data * out.grad

    out._backward = _backward
    return out


class LectureValue(Value):
    """A learner's subclass that adds an op the lecture's way."""

    def cube(self) -> Value:
        out = LectureValue(self.data**3, (self,), "cube")

        def _backward() -> None:
            self.grad += 3 * self.data**2 * out.grad

        out._backward = _backward
        return out


@pytest.fixture
def lecture_ops(monkeypatch: pytest.MonkeyPatch) -> None:
    """Attach the lecture's ops to Value, as a learner does; undone after the test."""
    monkeypatch.setattr(Value, "ltanh", lecture_tanh, raising=False)
    monkeypatch.setattr(Value, "lmul", lecture_mul, raising=False)


def assert_grads_match(f: Callable[..., Value], xs: list[float], value_type: type = Value) -> None:
    """backward() through f gives the central finite-difference gradient for every input."""
    leaves = [value_type(x) for x in xs]
    f(*leaves).backward()
    for i, x in enumerate(xs):
        h = 1e-6 * max(abs(x), 1.0)
        up, down = list(xs), list(xs)
        up[i], down[i] = x + h, x - h
        numeric = (f(*map(value_type, up)).data - f(*map(value_type, down)).data) / (2 * h)
        assert leaves[i].grad == pytest.approx(numeric, rel=1e-5, abs=1e-7), f"input {i}"


@pytest.mark.usefixtures("lecture_ops")
def test_a_closure_op_alone() -> None:
    for x in (-2.0, -0.3, 0.0, 0.8, 3.0):
        assert_grads_match(lambda a: a.ltanh(), [x])
    assert_grads_match(lambda a, b: a.lmul(b), [1.5, -2.0])
    a = Value(0.5)
    out = a.ltanh()
    assert out._op == "tanh" and out._prev == (a,) and out.data == pytest.approx(math.tanh(0.5))


@pytest.mark.usefixtures("lecture_ops")
def test_a_closure_op_reused_in_one_graph() -> None:
    assert_grads_match(lambda a: a.lmul(a), [1.7])  # one child, twice
    assert_grads_match(lambda a: (t := a.ltanh()).lmul(t) + t, [0.4])  # one node, three uses
    assert_grads_match(lambda a, b: a.ltanh().ltanh() + a.lmul(b).ltanh(), [0.3, -1.2])


@pytest.mark.usefixtures("lecture_ops")
def test_closure_ops_mixed_with_built_ins() -> None:
    def mixed(a: Value, b: Value, c: Value) -> Value:
        z = Value.weighted_sum([a, b], [c, 2.0], Value(0.1))
        return (z.ltanh() * a.exp() + (b - c).relu().lmul(c) / 2 + a.gelu()).softplus() ** 2

    assert_grads_match(mixed, [0.5, 1.5, -0.7])
    # the same expression with the built-in tanh gives the same gradients
    built_in = [Value(0.5), Value(-1.5)]
    lecture = [Value(0.5), Value(-1.5)]
    (built_in[0] * built_in[1] + 1).tanh().backward()
    (lecture[0].lmul(lecture[1]) + 1).ltanh().backward()
    assert [v.grad for v in lecture] == pytest.approx([v.grad for v in built_in], rel=1e-12)


@pytest.mark.usefixtures("lecture_ops")
def test_a_closure_chain_deeper_than_ten_thousand_nodes() -> None:
    def chain(x: Value) -> Value:
        y = x
        for _ in range(4000):  # three nodes a level: 12,001 deep, x read at every level
            y = y.ltanh() + x * 0.001
        return y

    root = chain(Value(0.7))
    assert len(root.topological_order()) > 12_000
    assert_grads_match(chain, [0.7])


def test_a_subclass_op_and_a_closure_node_built_outside_any_class() -> None:
    assert_grads_match(lambda a, b: (a.cube() * b).tanh() + b.cube(), [0.6, -0.9], LectureValue)
    a, b = Value(2.0), Value(-3.0)
    out = Value(a.data - b.data, (a, b), "-")

    def _backward() -> None:
        a.grad += out.grad
        b.grad -= out.grad

    out._backward = _backward
    (out * out).backward()
    assert (a.grad, b.grad) == (10.0, -10.0)


def test_a_built_in_node_steps_backward_by_hand_as_in_the_lecture() -> None:
    # the lecture's first pass: set the root's grad, then call _backward node by node
    x1, w1, b = Value(2.0), Value(-3.0), Value(6.88)
    n = x1 * w1 + b
    o = n.tanh()
    o.grad = 1.0
    o._backward()
    n._backward()
    assert n.grad == pytest.approx(1 - o.data**2)
    assert x1.grad == 0.0  # x1 * w1 has not stepped yet
    n._prev[0]._backward()
    assert (x1.grad, w1.grad) == pytest.approx((w1.data * n.grad, x1.data * n.grad))


@pytest.mark.usefixtures("lecture_ops")
def test_closures_below_a_dead_relu_are_skipped_and_backward_twice_adds_again() -> None:
    calls = []
    a = Value(2.0)
    hidden = a.ltanh()
    original = hidden._backward
    hidden._backward = lambda: (calls.append(1), original())
    (-hidden).relu().backward()  # the ReLU is off: nothing can flow down to hidden
    assert calls == [] and a.grad == 0.0
    out = a.ltanh().lmul(a)
    out.backward()
    first = a.grad
    out.backward()
    assert a.grad == pytest.approx(2 * first, rel=1e-15)


def test_the_lecture_tanh_can_replace_the_built_in_one(monkeypatch: pytest.MonkeyPatch) -> None:
    model = MLP(3, [4, 1], activation="tanh", rng=0)
    x = [0.5, -1.0, 2.0]
    expected_out = model(x)
    expected_out.backward()
    expected = [p.grad for p in model.parameters()]
    model.zero_grad()
    monkeypatch.setattr(Value, "tanh", lecture_tanh)  # the neurons now call the learner's tanh
    out = model(x)
    assert out.data == pytest.approx(expected_out.data, rel=1e-12)
    out.backward()
    assert [p.grad for p in model.parameters()] == pytest.approx(expected, rel=1e-9)


# ---- a node that cannot pass its gradient on ---------------------------------------------------


def test_children_without_local_derivatives_or_a_closure_is_a_clear_error() -> None:
    a = Value(0.5)
    out = Value(math.tanh(a.data), (a,), "tanh")  # the lecture's node, its _backward forgotten
    with pytest.raises(RuntimeError, match="'tanh' node has children but no local derivatives "
                                           "and no _backward of its own"):
        (out * 2).backward()
    assert a.grad == 0.0  # nothing was half done
    with pytest.raises(ValueError, match="1 local derivatives for 2 children of a '\\+' node"):
        Value(1.0, (a, Value(2.0)), "+", (1.0,))
    Value(3.0).backward()  # a leaf alone is fine: its grad is 1
    assert Value(1.0, (), "", ()).data == 1.0


# ---- attributes a learner hangs on a node --------------------------------------------------


class LectureAdamW:
    """AdamW as micrograd's newer lesson writes it: its moments kept on each parameter."""

    def __init__(self, params: list[Value], lr: float, weight_decay: float) -> None:
        self.params, self.lr, self.weight_decay = params, lr, weight_decay
        self.beta1, self.beta2, self.eps, self.t = 0.9, 0.999, 1e-8, 0
        for p in self.params:
            p.m = 0.0
            p.v = 0.0

    def step(self) -> None:
        self.t += 1
        for p in self.params:
            p.data *= 1 - self.lr * self.weight_decay
            p.m = self.beta1 * p.m + (1 - self.beta1) * p.grad
            p.v = self.beta2 * p.v + (1 - self.beta2) * p.grad**2
            m_hat = p.m / (1 - self.beta1**self.t)
            v_hat = p.v / (1 - self.beta2**self.t)
            p.data -= self.lr * m_hat / (v_hat**0.5 + self.eps)


def test_a_learner_optimizer_keeps_its_state_on_the_parameters() -> None:
    models = [MLP(2, [3, 1], rng=4), MLP(2, [3, 1], rng=4)]
    theirs = LectureAdamW(models[0].parameters(), lr=0.05, weight_decay=0.1)
    ours = AdamW(models[1].parameters(), lr=0.05, weight_decay=0.1)
    for _ in range(5):
        for model, opt in zip(models, (theirs, ours), strict=True):
            loss = (model([1.0, -2.0]) - 1.0) ** 2 + (model([0.5, 0.5]) + 1.0) ** 2
            model.zero_grad()
            loss.backward()
            opt.step()
    assert [p.data for p in models[0].parameters()] == pytest.approx(
        [p.data for p in models[1].parameters()], rel=1e-9)
    p = models[0].parameters()[0]
    assert p.m != 0.0 and vars(p).keys() == {"m", "v"}
    assert vars(Value(1.0) + 2.0) == {}  # a node with no attribute of its own stays lean
