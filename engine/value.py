"""Value: a scalar with reverse-mode autograd, micrograd's API.

Every built-in op has one shape: wrap the operand, compute the output and the local derivative
of the output with respect to each child, return ``Value(out, children, op, local_grads)``.
``backward()`` then only multiplies and adds, and a graph of built-in ops holds no closure, so
it makes no reference cycles and Python's cyclic garbage collector has nothing to chase.

The lecture's way works beside it: build ``out = Value(data, children, op)``, set
``out._backward`` to a closure that adds ``local * out.grad`` into each child's ``.grad``.
Activations (relu, tanh, gelu...) are methods made from the table in engine/activations.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from numbers import Real
from operator import mul

from engine.activations import ACTIVATIONS, IDENTITY, Activation

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
    """A scalar node: ``data``, ``grad`` and the children it was computed from.

    Besides its slots it takes any attribute (``p.m``, ``out._backward``), as micrograd's does;
    the dictionary that holds them is only made for a node that gets one.
    """

    __slots__ = ("__dict__", "_local", "_op", "_prev", "data", "grad", "label")

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
        if _local and len(_local) != len(self._prev):
            raise ValueError(f"{len(_local)} local derivatives for {len(self._prev)} children "
                             f"of a {_op!r} node: give one per child")

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

    # ---- nonlinearities: relu, tanh, gelu... are added below from engine/activations.py ------

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
            if bias is None:
                sums.append(Value(sum(map(mul, wd, xd)), (*weights, *xs), "wsum", (*xd, *wd)))
            else:  # b + w0 x0 + w1 x1 + ..., in micrograd's order, so its sums round the same
                sums.append(Value(sum(map(mul, wd, xd), bias.data), (*weights, *xs, bias), "wsum",
                                  (*xd, *wd, 1.0)))
        return sums

    # ---- backpropagation --------------------------------------------------------------------

    def backward(self) -> None:
        """Fill .grad of every node below this one with d(self)/d(node).

        Leaves (parameters and inputs) accumulate, as in micrograd and PyTorch: call
        ``zero_grad()`` between steps. Interior nodes start again from 0, so calling backward()
        twice adds exactly the same gradient into the leaves again. Local derivatives are taken
        when an op runs: change ``.data`` after building a graph and backward() still
        differentiates at the old values.
        """
        topo = self._backward_order()  # children before parents, iterative: any depth works
        self.grad = 1.0
        for node in reversed(topo):
            node._backward()

    def _backward(self) -> None:
        """Add this node's share into each child's grad: local derivative times self.grad.

        A lecture-style node replaces this with its own closure (``out._backward = ...``).
        """
        g = self.grad
        if g == 0.0:  # nothing to pass on (and 0 * inf would make nan)
            return
        # zip without strict=: _prev and _local have one entry per child, as __init__ checks,
        # and the keyword would cost more than the loop body on small nodes
        for child, local in zip(self._prev, self._local):  # noqa: B905
            child.grad += local * g

    def _backward_order(self) -> list[Value]:
        """The nodes backward() steps through, children before parents, their grads reset to 0.

        topological_order() with two shortcuts: leaves are left out (they have nothing to pass
        on), and so is what lies only below a node whose local derivatives are all 0 (a ReLU
        that is off, a satisfied hinge): it would only get ``+= 0``, so its .grad stays as it
        was (0 in a fresh graph). A node with children that has neither local derivatives nor
        its own _backward cannot pass a gradient on: a RuntimeError says so.
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
                node.grad = 0.0
                stack += (node, None)
                local = node._local
                if not local:
                    _check_has_backward(node)
                elif not any(local):
                    continue
                for child in node._prev:
                    if child._prev and child not in visited:
                        stack.append(child)
        return order

    def topological_order(self) -> list[Value]:
        """Every node reachable from this one, children before parents.

        micrograd's build_topo without the recursion (which dies past ~1000 levels): each node
        is followed by a marker on the stack, and reaches the order when the marker comes back up.
        """
        order: list[Value] = []
        visited: set[Value] = set()
        stack: list[Value | None] = [self]
        while stack:
            node = stack.pop()
            if node is None:  # a marker: every child of the node below it is now in order
                order.append(stack.pop())
            elif node not in visited:
                visited.add(node)
                stack += (node, None, *reversed(node._prev))  # first child first, as build_topo
        return order

    def __repr__(self) -> str:
        return f"Value(data={self.data}, grad={self.grad})"


ValueLike = Value | int | float


def _check_has_backward(node: Value) -> None:
    """Raise a RuntimeError unless a node without local derivatives has its own _backward."""
    if node._prev and type(node)._backward is Value._backward and "_backward" not in vars(node):
        raise RuntimeError(
            f"a {node._op or 'Value'!r} node has children but no local derivatives and no "
            f"_backward of its own, so no gradient can reach its children: build it as "
            f"Value(data, children, op, local_grads), or set out._backward to a function that "
            f"adds local * out.grad into each child's grad")


def _activation_method(act: Activation) -> Callable[..., Value]:
    """A Value method for an activation: one node, with f'(x) as its local derivative."""
    scalar, op, defaults = act.scalar, act.op, act.params

    def method(self: Value, *args: float, **kwargs: float) -> Value:
        params = act.bind(*args, **kwargs).params if args or kwargs else defaults
        out, local = scalar(self.data, **params)
        return Value(out, (self,), op, (local,))

    def method_without_params(self: Value) -> Value:
        out, local = scalar(self.data)
        return Value(out, (self,), op, (local,))

    chosen = method if defaults else method_without_params
    chosen.__name__, chosen.__qualname__, chosen.__doc__ = act.name, f"Value.{act.name}", act.doc
    return chosen


for _act in ACTIVATIONS.values():
    if _act is not IDENTITY:  # "linear" is no op: a linear neuron returns its weighted sum
        setattr(Value, _act.name, _activation_method(_act))
