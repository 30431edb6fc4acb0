"""Value: a scalar with reverse-mode autograd, micrograd's API without its closures.

Every op has one shape: wrap the operand, compute the output and the local derivative of the
output with respect to each child, return ``Value(out, children, op, local_grads)``.
``backward()`` then only multiplies and adds; no node holds a closure, so building a graph
makes no reference cycles and Python's cyclic garbage collector has nothing to chase.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from numbers import Real
from operator import mul

Number = int | float


def _power(base: float, exponent: float) -> float:
    """base ** exponent as a real number: +-inf when it overflows, ValueError when complex."""
    try:
        out = base**exponent
    except OverflowError:
        return -math.inf if base < 0 and exponent % 2 == 1 else math.inf
    if isinstance(out, complex):
        raise ValueError(f"{base} ** {exponent} is not a real number")
    return out


class Value:
    """A scalar node: ``data``, ``grad`` and the children it was computed from."""

    __slots__ = ("_local", "_op", "_prev", "data", "grad", "label")

    def __init__(
        self,
        data: Number,
        _children: Iterable[Value] = (),
        _op: str = "",
        _local: tuple[float, ...] = (),
        label: str = "",
    ) -> None:
        self.data = data
        self.grad = 0.0
        self._prev = tuple(_children)  # the nodes this one was computed from
        self._op = _op  # the op that produced this node, for graph drawing
        self._local = _local  # d(self)/d(child) for each child, in the order of _prev
        self.label = label  # an optional name, shown by the graph view

    # ---- arithmetic -------------------------------------------------------------------------

    def __add__(self, other: ValueLike) -> Value:
        """self + other."""
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), "+", (1.0, 1.0))

    def __mul__(self, other: ValueLike) -> Value:
        """self * other."""
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), "*", (other.data, self.data))

    def __truediv__(self, other: ValueLike) -> Value:
        """self / other."""
        other = other if isinstance(other, Value) else Value(other)
        if other.data == 0:
            raise ZeroDivisionError(f"division by a Value that is zero ({self!r} / {other!r})")
        inv = 1.0 / other.data
        out = self.data * inv
        return Value(out, (self, other), "/", (inv, -out * inv))

    def __pow__(self, other: ValueLike) -> Value:
        """self ** other for a number exponent, or a Value exponent with a positive base."""
        x = self.data
        if isinstance(other, Value):
            if x <= 0:
                raise ValueError(f"Value ** Value needs a positive base, got {x}")
            out = _power(x, other.data)
            return Value(out, (self, other), "**", (other.data * out / x, out * math.log(x)))
        if not isinstance(other, Real):
            return NotImplemented
        if x == 0 and other < 0:
            raise ZeroDivisionError(f"0 ** {other} is undefined (division by zero)")
        if x == 0 and 0 < other < 1:
            raise ValueError(f"0 ** {other} has an infinite derivative at 0")
        out = _power(x, other)
        local = other * _power(x, other - 1) if other != 0 else 0.0
        return Value(out, (self,), f"**{other:g}", (local,))

    def __rpow__(self, other: Number) -> Value:
        """other ** self, for a positive number other."""
        return Value(other) ** self

    def __neg__(self) -> Value:
        """-self."""
        return Value(-self.data, (self,), "neg", (-1.0,))

    def __sub__(self, other: ValueLike) -> Value:
        """self - other."""
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data - other.data, (self, other), "-", (1.0, -1.0))

    def __radd__(self, other: Number) -> Value:
        """other + self."""
        return self + other

    def __rmul__(self, other: Number) -> Value:
        """other * self."""
        return self * other

    def __rsub__(self, other: Number) -> Value:
        """other - self."""
        return Value(other) - self

    def __rtruediv__(self, other: Number) -> Value:
        """other / self."""
        return Value(other) / self

    # ---- nonlinearities ---------------------------------------------------------------------

    def relu(self) -> Value:
        """max(0, x); its derivative at exactly 0 is taken as 0, as in micrograd."""
        x = self.data
        return Value(x if x > 0 else 0.0, (self,), "ReLU", (1.0,) if x > 0 else (0.0,))

    def leaky_relu(self, slope: float = 0.01) -> Value:
        """x for x > 0, else slope * x; the derivative at 0 is slope."""
        x = self.data
        return Value(x if x > 0 else slope * x, (self,), "LeakyReLU", (1.0 if x > 0 else slope,))

    def tanh(self) -> Value:
        """Hyperbolic tangent."""
        t = math.tanh(self.data)
        return Value(t, (self,), "tanh", (1.0 - t * t,))

    def sigmoid(self) -> Value:
        """1 / (1 + exp(-x)), computed without overflow for any x."""
        s = _sigmoid(self.data)
        return Value(s, (self,), "sigmoid", (s * (1.0 - s),))

    def softplus(self) -> Value:
        """log(1 + exp(x)), computed without overflow; its derivative is sigmoid(x)."""
        x = self.data
        out = max(x, 0.0) + math.log1p(math.exp(-abs(x)))
        return Value(out, (self,), "softplus", (_sigmoid(x),))

    def exp(self) -> Value:
        """e ** x; inf (with an infinite local derivative) once e ** x overflows a float."""
        try:
            e = math.exp(self.data)
        except OverflowError:
            e = math.inf
        return Value(e, (self,), "exp", (e,))

    def log(self) -> Value:
        """Natural logarithm, for positive x only."""
        x = self.data
        if x <= 0:
            raise ValueError(f"log is defined for positive numbers only, got {x}")
        return Value(math.log(x), (self,), "log", (1.0 / x,))

    def abs(self) -> Value:
        """|x|; its derivative at exactly 0 is taken as 0."""
        x = self.data
        return Value(abs(x), (self,), "abs", (1.0 if x > 0 else -1.0 if x < 0 else 0.0,))

    # ---- n-ary ops: one node for a whole sum, so a neuron is one node, not 2n ---------------

    @staticmethod
    def sum(values: Iterable[ValueLike]) -> Value:
        """The sum of many values as a single node."""
        children = [v if isinstance(v, Value) else Value(v) for v in values]
        return Value(math.fsum([c.data for c in children]), children, "sum",
                     (1.0,) * len(children))

    @staticmethod
    def weighted_sum(weights: Sequence[Value], inputs: Sequence[ValueLike],
                     bias: Value | None = None) -> Value:
        """sum(w * x) + bias as a single node: a neuron's pre-activation."""
        return Value.weighted_sums([weights], inputs, [bias])[0]

    @staticmethod
    def weighted_sums(weight_rows: Sequence[Sequence[Value]], inputs: Sequence[ValueLike],
                      biases: Sequence[Value | None]) -> list[Value]:
        """One weighted_sum node per row of weights, all reading the same inputs: a layer."""
        # numbers (numpy scalars too) become float Values, once for the whole layer
        xs = [x if isinstance(x, Value) else Value(float(x)) for x in inputs]
        xd = [x.data for x in xs]
        sums = []
        for weights, bias in zip(weight_rows, biases, strict=True):
            if len(weights) != len(xs):
                raise ValueError(f"{len(weights)} weights for {len(xs)} inputs")
            wd = [w.data for w in weights]
            out = sum(map(mul, wd, xd))
            if bias is None:
                sums.append(Value(out, (*weights, *xs), "wsum", (*xd, *wd)))
            else:
                sums.append(Value(out + bias.data, (*weights, *xs, bias), "wsum", (*xd, *wd, 1.0)))
        return sums

    # ---- backpropagation --------------------------------------------------------------------

    def backward(self) -> None:
        """Fill .grad of every node below this one with d(self)/d(node).

        Iterative, so graphs of any depth work. Leaves (parameters and inputs) accumulate, as in
        micrograd and PyTorch: call ``zero_grad()`` between steps. Interior nodes are reset
        first, so calling backward() twice adds exactly the same gradient into the leaves again.
        Nothing flows back through a node whose local derivatives are all 0 (a ReLU that is
        off, a satisfied hinge), so what lies only below it is not visited: its .grad stays as
        it was (0 in a fresh graph). Likewise a node whose gradient is exactly 0 passes nothing
        down; either way its children would only get ``+= 0`` (and never ``0 * inf = nan``).
        Local derivatives are taken when an op runs: change ``.data`` after building a graph
        and backward() still differentiates at the old values.
        """
        order = self.topological_order(prune_dead=True)
        for node in order:
            if node._prev:
                node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            g = node.grad
            if g == 0.0:
                continue
            # zip without strict=: _prev and _local have one entry per child by construction,
            # and the keyword would cost more than the loop body on small nodes
            for child, local in zip(node._prev, node._local):  # noqa: B905
                child.grad += local * g

    def topological_order(self, prune_dead: bool = False) -> list[Value]:
        """Every node reachable from this one, children before parents (iterative DFS).

        With prune_dead, the children of a node whose local derivatives are all 0 are only
        reached through other parents: what backward() needs, no more.
        """
        order: list[Value] = []
        visited: set[Value] = set()  # Value hashes by identity, like micrograd's
        stack: list[Value | None] = [self]
        while stack:
            node = stack.pop()
            if node is None:  # a marker: every child of the node below it is now in order
                order.append(stack.pop())
            elif node not in visited:
                visited.add(node)
                stack += (node, None)
                if prune_dead and not any(node._local):
                    continue
                for child in node._prev:
                    if child not in visited:
                        if child._prev:
                            stack.append(child)
                        else:  # a leaf is in order as soon as it is seen
                            visited.add(child)
                            order.append(child)
        return order

    def __repr__(self) -> str:
        return f"Value(data={self.data}, grad={self.grad})"


ValueLike = Value | int | float


def _sigmoid(x: float) -> float:
    """1 / (1 + exp(-x)) without overflow: exp is only ever taken of a non-positive number."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)
