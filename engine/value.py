"""Value: a scalar with reverse-mode autograd, micrograd's API without its closures.

Every op has one shape: wrap the operand, compute the output and the local derivative of the
output with respect to each child, return ``Value(out, children, op, local_grads)``.
``backward()`` then only multiplies and adds; no node holds a closure, so building a graph
makes no reference cycles and Python's cyclic garbage collector has nothing to chase.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Union

Number = Union[int, float]
ValueLike = Union["Value", int, float]


class Value:
    """A scalar node: ``data``, ``grad`` and the children it was computed from."""

    __slots__ = ("_local", "_op", "_prev", "data", "grad", "label")

    def __init__(
        self,
        data: Number,
        _children: tuple[Value, ...] = (),
        _op: str = "",
        _local: tuple[float, ...] = (),
        label: str = "",
    ) -> None:
        self.data = data
        self.grad = 0.0
        self._prev = tuple(_children)  # the nodes this one was computed from
        self._op = _op  # the op that produced this node, for graph drawing
        self._local = _local  # d(self)/d(child) for each child, in the order of _prev
        self.label = label

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
        """self ** other; a Value exponent needs a positive base."""
        if isinstance(other, Value):
            if self.data <= 0:
                raise ValueError(f"Value ** Value needs a positive base, got {self.data}")
            out = self.data**other.data
            return Value(out, (self, other), "**", (other.data * out / self.data,
                                                     out * math.log(self.data)))
        if not isinstance(other, (int, float)):
            return NotImplemented
        if self.data == 0 and other < 1:
            raise ZeroDivisionError(f"0 ** {other} has no derivative at 0")
        out = self.data**other
        if isinstance(out, complex):
            raise ValueError(f"{self.data} ** {other} is not a real number")
        return Value(out, (self,), f"**{other:g}", (other * self.data ** (other - 1),))

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
        return Value(x if x > 0 else 0.0, (self,), "ReLU", (1.0 if x > 0 else 0.0,))

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
        x = self.data
        if x >= 0:
            s = 1.0 / (1.0 + math.exp(-x))
        else:
            e = math.exp(x)
            s = e / (1.0 + e)
        return Value(s, (self,), "sigmoid", (s * (1.0 - s),))

    def softplus(self) -> Value:
        """log(1 + exp(x)), computed without overflow; its derivative is sigmoid(x)."""
        x = self.data
        out = max(x, 0.0) + math.log1p(math.exp(-abs(x)))
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        return Value(out, (self,), "softplus", (s,))

    def exp(self) -> Value:
        """e ** x; inf (with an infinite gradient) once e ** x overflows a float."""
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
        children = tuple(v if isinstance(v, Value) else Value(v) for v in values)
        return Value(math.fsum(c.data for c in children), children, "sum", (1.0,) * len(children))

    @staticmethod
    def weighted_sum(weights: Sequence[Value], inputs: Sequence[ValueLike],
                     bias: Value | None = None) -> Value:
        """sum(w * x) + bias as a single node: a neuron's pre-activation."""
        xs = tuple(x if isinstance(x, Value) else Value(x) for x in inputs)
        if len(xs) != len(weights):
            raise ValueError(f"{len(weights)} weights for {len(xs)} inputs")
        wd = [w.data for w in weights]
        xd = [x.data for x in xs]
        out = sum(w * x for w, x in zip(wd, xd))
        children: tuple[Value, ...] = (*weights, *xs)
        local = (*xd, *wd)
        if bias is not None:
            out += bias.data
            children += (bias,)
            local += (1.0,)
        return Value(out, children, "wsum", local)

    # ---- backpropagation --------------------------------------------------------------------

    def backward(self) -> None:
        """Fill .grad of every node below this one with d(self)/d(node).

        Iterative, so graphs of any depth work. Leaves (parameters and inputs) accumulate, as in
        micrograd and PyTorch: call ``zero_grad()`` between steps. Interior nodes are reset
        first, so calling backward() twice adds exactly the same gradient into the leaves again.
        """
        order = self.topological_order()
        for node in order:
            if node._prev:
                node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            g = node.grad
            for child, local in zip(node._prev, node._local):
                child.grad += local * g

    def topological_order(self) -> list[Value]:
        """Every node reachable from this one, children before parents (iterative DFS)."""
        order: list[Value] = []
        seen: set[int] = set()
        stack: list[tuple[Value, bool]] = [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((c, False) for c in node._prev if id(c) not in seen)
        return order

    def __repr__(self) -> str:
        return f"Value(data={self.data}, grad={self.grad})"
