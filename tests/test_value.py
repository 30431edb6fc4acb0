"""Value: every op's gradient against central finite differences, edges, depth, reuse, errors."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from engine.value import Value


def finite_difference(f: Callable[..., Value], xs: list[float], i: int) -> float:
    """d f / d xs[i] by central differences with a step relative to xs[i]."""
    h = 1e-6 * abs(xs[i]) if xs[i] else 1e-6
    up, down = list(xs), list(xs)
    up[i] += h
    down[i] -= h
    return (f(*map(Value, up)).data - f(*map(Value, down)).data) / (2 * h)


def assert_grads_match(f: Callable[..., Value], xs: list[float]) -> None:
    """backward() through f gives the finite-difference gradient for every input."""
    leaves = [Value(x) for x in xs]
    f(*leaves).backward()
    numeric = [finite_difference(f, xs, i) for i in range(len(xs))]
    assert [v.grad for v in leaves] == pytest.approx(numeric, rel=1e-5, abs=1e-7)


UNARY: dict[str, tuple[Callable[[Value], Value], list[float]]] = {
    "neg": (lambda x: -x, [-2.0, 0.5, 3.0]),
    "relu": (lambda x: x.relu(), [-1.5, -1e-3, 1e-3, 2.0]),
    "leaky_relu": (lambda x: x.leaky_relu(0.1), [-1.5, -1e-3, 1e-3, 2.0]),
    "tanh": (lambda x: x.tanh(), [-3.0, -0.5, 0.0, 0.5, 3.0]),
    "sigmoid": (lambda x: x.sigmoid(), [-30.0, -2.0, 0.0, 1.5, 30.0]),
    "softplus": (lambda x: x.softplus(), [-20.0, -1.0, 0.0, 1.0, 20.0]),
    "exp": (lambda x: x.exp(), [-5.0, 0.0, 2.5]),
    "log": (lambda x: x.log(), [1e-8, 1e-3, 0.5, 40.0]),
    "abs": (lambda x: x.abs(), [-2.0, -1e-3, 1e-3, 2.0]),
    "square": (lambda x: x**2, [-3.0, 0.0, 1.5]),
    "cube": (lambda x: x**3, [-2.0, 0.0, 0.7]),
    "reciprocal": (lambda x: x**-1, [-2.0, 0.1, 4.0]),
    "sqrt": (lambda x: x**0.5, [1e-4, 0.3, 9.0]),
    "neg_fractional_pow": (lambda x: x**-1.5, [0.2, 3.0]),
    "zeroth_pow": (lambda x: x**0, [-1.0, 2.0]),
    "radd": (lambda x: 2 + x, [-1.0, 3.0]),
    "rsub": (lambda x: 2 - x, [-1.0, 3.0]),
    "rmul": (lambda x: 2.5 * x, [-1.0, 3.0]),
    "rtruediv": (lambda x: 2 / x, [-1.0, 0.25, 3.0]),
    "rpow": (lambda x: 2**x, [-1.0, 0.0, 3.0]),
    "chain": (lambda x: ((x * x + 1).log() * x.tanh()).exp() / (1 + x.sigmoid()), [-1.2, 0.4]),
}

BINARY: dict[str, tuple[Callable[[Value, Value], Value], list[tuple[float, float]]]] = {
    "add": (lambda a, b: a + b, [(1.0, 2.0), (-3.0, 0.5)]),
    "sub": (lambda a, b: a - b, [(1.0, 2.0), (-3.0, 0.5)]),
    "mul": (lambda a, b: a * b, [(1.5, -2.0), (0.0, 3.0)]),
    "truediv": (lambda a, b: a / b, [(1.5, -2.0), (0.0, 3.0), (2.0, 1e-3)]),
    "value_pow": (lambda a, b: a**b, [(2.0, 3.0), (0.5, -1.5), (3.0, 0.0), (1e-3, 0.5)]),
    "mixed": (lambda a, b: (a * b).relu() + (a - b).abs() * a.sigmoid(), [(1.5, -0.5), (-2, 3)]),
}


@pytest.mark.parametrize("name", UNARY)
def test_unary_op_gradient_matches_finite_differences(name: str) -> None:
    fn, points = UNARY[name]
    for x in points:
        assert_grads_match(fn, [x])


@pytest.mark.parametrize("name", BINARY)
def test_binary_op_gradient_matches_finite_differences(name: str) -> None:
    fn, points = BINARY[name]
    for a, b in points:
        assert_grads_match(fn, [a, b])


def test_sum_and_weighted_sum_gradients_match_finite_differences() -> None:
    assert_grads_match(lambda a, b, c: Value.sum([a, b, 2.0, c * c]), [1.0, -2.0, 0.5])
    assert_grads_match(lambda w1, w2, x1, x2: Value.weighted_sum([w1, w2], [x1, x2]),
                       [0.3, -1.2, 2.0, 0.7])
    assert_grads_match(lambda w1, w2, x1, b: Value.weighted_sum([w1, w2], [x1, 4.0], b),
                       [0.3, -1.2, 2.0, 0.7])
    # the same Value as a weight and an input: l2's sum of squares
    assert_grads_match(lambda p, q: Value.weighted_sum([p, q], [p, q]), [1.5, -0.5])


def test_n_ary_ops_are_single_nodes_with_the_right_data() -> None:
    w, x, b = [Value(0.5), Value(-2.0)], [Value(3.0), 4.0], Value(0.25)
    s = Value.weighted_sum(w, x, b)
    assert s.data == 0.5 * 3.0 - 2.0 * 4.0 + 0.25
    assert s._op == "wsum" and len(s._prev) == 5
    total = Value.sum([Value(1.0), 2, Value(3.5)])
    assert total.data == 6.5 and total._op == "sum" and len(total._prev) == 3
    rows = Value.weighted_sums([w, w[::-1]], x, [b, None])
    assert [r.data for r in rows] == [s.data, -2.0 * 3.0 + 0.5 * 4.0]


def test_kinks_use_the_documented_derivative_at_zero() -> None:
    for op, expected in [("relu", 0.0), ("abs", 0.0)]:
        x = Value(0.0)
        getattr(x, op)().backward()
        assert x.grad == expected, op
    x = Value(0.0)
    x.leaky_relu(0.2).backward()
    assert x.grad == 0.2


def test_log_near_zero_stays_finite() -> None:
    x = Value(1e-300)
    y = x.log()
    y.backward()
    assert y.data == pytest.approx(math.log(1e-300))
    assert x.grad == pytest.approx(1e300)


@pytest.mark.parametrize(("op", "x", "data", "grad"), [
    ("sigmoid", 1000.0, 1.0, 0.0),
    ("sigmoid", -1000.0, 0.0, 0.0),
    ("tanh", -1000.0, -1.0, 0.0),
    ("tanh", 1000.0, 1.0, 0.0),
    ("softplus", 1000.0, 1000.0, 1.0),
    ("softplus", -1000.0, 0.0, 0.0),
    ("exp", 1000.0, math.inf, math.inf),
    ("exp", -1000.0, 0.0, 0.0),
])
def test_large_inputs_do_not_overflow(op: str, x: float, data: float, grad: float) -> None:
    v = Value(x)
    out = getattr(v, op)()
    out.backward()
    assert out.data == data
    assert v.grad == grad


def test_pow_overflow_gives_signed_infinity() -> None:
    assert (Value(1e200) ** 2).data == math.inf
    assert (Value(-1e200) ** 3).data == -math.inf
    assert (Value(10.0) ** Value(400.0)).data == math.inf


@pytest.mark.parametrize(("make", "error", "message"), [
    (lambda: Value(0.0).log(), ValueError, "positive"),
    (lambda: Value(-1.0).log(), ValueError, "positive"),
    (lambda: Value(0.0) ** -1, ZeroDivisionError, "0 \\*\\* -1"),
    (lambda: Value(0.0) ** 0.5, ValueError, "infinite derivative"),
    (lambda: Value(-8.0) ** (1 / 3), ValueError, "not a real number"),
    (lambda: Value(-2.0) ** Value(2.0), ValueError, "positive base"),
    (lambda: (-2) ** Value(2.0), ValueError, "positive base"),
    (lambda: Value(1.0) / Value(0.0), ZeroDivisionError, "zero"),
    (lambda: 1 / Value(0.0), ZeroDivisionError, "zero"),
    (lambda: Value.weighted_sum([Value(1.0)], [1.0, 2.0]), ValueError, "1 weights for 2"),
])
def test_bad_inputs_raise_clear_errors(make: Callable[[], Value], error: type,
                                       message: str) -> None:
    with pytest.raises(error, match=message):
        make()


def test_a_100000_deep_chain_backpropagates() -> None:
    x = Value(1.0)
    y = x
    for _ in range(100_000):
        y = y * 1.00001
    y.backward()
    assert x.grad == pytest.approx(1.00001**100_000, rel=1e-9)


def test_a_reused_node_gets_every_contribution() -> None:
    a = Value(3.0)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad == 4.0
    assert b.grad == 2.0

    a = Value(1.5)
    x = a
    for _ in range(40):  # 2**40 paths from x to a
        x = x + x
    x.backward()
    assert a.grad == 2.0**40

    a = Value(2.0)
    b = a * a  # a reaches d by three paths, two of them through b
    d = b * a + b
    d.backward()
    assert a.grad == 3 * 2.0**2 + 2 * 2.0


def test_backward_twice_adds_the_same_gradient_into_leaves_again() -> None:
    a, b = Value(3.0), Value(-2.0)
    mid = a * b
    out = mid.tanh() + a
    out.backward()
    first = (a.grad, b.grad, mid.grad, out.grad)
    out.backward()
    assert (a.grad, b.grad) == (2 * first[0], 2 * first[1])  # leaves accumulate
    assert (mid.grad, out.grad) == first[2:]  # interior nodes are recomputed, not doubled


def test_backward_skips_work_only_where_the_gradient_is_zero() -> None:
    # a dead ReLU passes nothing down, even when the node below has an infinite derivative
    x = Value(1000.0)
    y = (-x.exp()).relu()
    y.backward()
    assert x.grad == 0.0
    # a node below a dead ReLU still gets what flows to it through a live path
    w, x = Value(2.0), Value(-1.0)
    z = w * x
    out = z.relu() + z * 3
    out.backward()
    assert (z.grad, w.grad, x.grad) == (3.0, -3.0, 6.0)
    # what lies below the dead ReLU alone is left out of backward's walk: not even reset
    below = Value(4.0) * Value(5.0)
    below.grad = 123.0
    out = (-below).relu() + z
    out.backward()
    assert below.grad == 123.0 and z.grad == 1.0


def test_micrograd_api_and_repr() -> None:
    a = Value(2.0, label="a")
    b = Value(-3.0)
    out = Value(a.data + b.data, (a, b), "+")  # micrograd's constructor signature
    assert out._prev == (a, b) and out._op == "+" and a.label == "a"
    assert repr(Value(2.0)) == "Value(data=2.0, grad=0.0)"
    c = a * b
    c.backward()
    assert repr(a) == "Value(data=2.0, grad=-3.0)"
    assert (2 - a).data == 0.0 and (2 / a).data == 1.0 and (2**a).data == 4.0
    assert (-a).data == -2.0 and (3 * a).data == 6.0 and (1 + a).data == 3.0


def test_micrograd_readme_numbers() -> None:
    a, b, g = readme_expression(Value)
    assert f"{g.data:.4f}" == "24.7041"
    assert f"{a.grad:.4f}" == "138.8338"
    assert f"{b.grad:.4f}" == "645.5773"


def readme_expression(value_type: type) -> tuple:
    """micrograd's README example, built with either engine's Value."""
    a = value_type(-4.0)
    b = value_type(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    return a, b, g


# ---- against micrograd itself, where it is installed -------------------------------------------


def sanity_expression(value_type: type) -> tuple:
    """micrograd's test_sanity_check expression."""
    x = value_type(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    return x, y


@pytest.mark.parametrize("expression", [readme_expression, sanity_expression])
def test_same_numbers_as_micrograd(expression: Callable[[type], tuple]) -> None:
    micrograd = pytest.importorskip("micrograd.engine")
    ours, theirs = expression(Value), expression(micrograd.Value)
    assert [v.data for v in ours] == pytest.approx([v.data for v in theirs], rel=1e-12)
    assert [v.grad for v in ours] == pytest.approx([v.grad for v in theirs], rel=1e-12)


# micrograd's ops on earlier nodes a, b and a constant k; divisions kept away from zero
RANDOM_OPS: dict[str, Callable] = {
    "+": lambda a, b, k: a + b,
    "-": lambda a, b, k: a - b,
    "*": lambda a, b, k: a * b,
    "/": lambda a, b, k: a / (b * b + 1),
    "relu": lambda a, b, k: a.relu(),
    "neg": lambda a, b, k: -a,
    "rsub": lambda a, b, k: k - a,
    "rmul": lambda a, b, k: k * a,
    "rdiv": lambda a, b, k: k / (a * a + 1),
    "pow": lambda a, b, k: (a * 0.5) ** 2,
}
Step = tuple[str, int, int, float]  # (op, index of a, index of b, constant k)


def random_expression(value_type: type, leaves: list[float], steps: list[Step]) -> tuple:
    """Apply the steps in order, each to earlier nodes; backpropagate from the last node."""
    pool = [value_type(x) for x in leaves]
    xs = list(pool)
    for op, i, j, k in steps:
        pool.append(RANDOM_OPS[op](pool[i % len(pool)], pool[j % len(pool)], k))
    root = pool[-1]
    root.backward()
    return xs, root


def test_random_expressions_match_micrograd() -> None:
    micrograd = pytest.importorskip("micrograd.engine")
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies
    step = st.tuples(st.sampled_from(sorted(RANDOM_OPS)), st.integers(0, 30), st.integers(0, 30),
                     st.floats(-3, 3))
    numbers = st.floats(-3, 3).filter(lambda x: abs(x) > 1e-3)

    @hypothesis.settings(max_examples=150, deadline=None)
    @hypothesis.given(st.lists(numbers, min_size=3, max_size=3), st.lists(step, max_size=25))
    def check(leaves: list[float], steps: list[Step]) -> None:
        xs, root = random_expression(Value, leaves, steps)
        mxs, mroot = random_expression(micrograd.Value, leaves, steps)
        assert root.data == pytest.approx(mroot.data, rel=1e-9, abs=1e-12)
        assert [x.grad for x in xs] == pytest.approx([x.grad for x in mxs], rel=1e-9, abs=1e-9)

    check()
