"""Tensor: reverse-mode autograd over NumPy arrays, the same design as Value, batched.

Every op has one shape: compute the output array, return ``_result(out, op, children, ctx)``.
A node keeps its op code and whatever its backward rule needs (``ctx``); the rules live in one
table, ``BACKWARD`` in engine/tensor_grads.py, keyed by op code, so no node holds a closure and a
graph makes no reference cycles. NumPy broadcasting applies in the forward pass; ``backward()``
sums each gradient back to its operand's shape. Hot paths do no validation: NumPy's own errors
and warnings apply.

Op codes. A "c" stands for a constant operand (a number or an ndarray: kept in ctx, no
gradient), on its side of the op:

    "+" "-" "*" "/" "**" "@"           two Tensors
    "*c" "/c" "**c" "@c"               Tensor op constant: x * 2, x / c, x ** 3, x @ W
    "c/" "c**" "c@"                    constant op Tensor: 1 / x, 2 ** x, W @ x
    "+" with one child                 x + c, c + x and x - c: the gradient passes unchanged
    "neg"                              -x and c - x
    "square"                           x * x and x ** 2
    "relu" "gelu"... (activations.py)  ctx: the Activation, with its parameters
    "exp" "log" "abs" "sum" "mean" "max" "logsumexp" "log_softmax" "reshape" "T" "index"
    "linear"                           x @ w + b, then an activation; ctx: (Activation, z or None)
    "network" "mean_loss" "sum_of_squares"   fused nodes, built by engine/fused.py

Rewrites. Per-node Python overhead is the cost that matters on small arrays, so a few patterns
become fewer nodes as they are built (the skipped nodes stay valid for any other use). Each
saves 2-8% of bench/bench_tensor.py's step written with plain ops, about 10% together:

    written                                becomes
    x * x, x ** 2                          one "square" node
    x @ w + b  (x 2-D, b 1-D)              one "linear" node, no "@" node
    (x @ w + b).relu(), or any activation  the activation folded into that "linear" node
    (x * x).sum(), (e ** 2).mean()         one "sum_of_squares" node straight to x or e
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from operator import attrgetter
from typing import Any, Union

import numpy as np

from engine.activations import ACTIVATIONS, IDENTITY, Activation
from engine.tensor_grads import BACKWARD

Operand = Union["Tensor", np.ndarray, float, int]
Axis = int | tuple[int, ...] | None


class _GradMode(threading.local):
    """Whether ops record a graph; per thread, so inference in one thread never stops training."""

    enabled = True


_grad_mode = _GradMode()
_sequence = itertools.count(1)  # creation order: a child is always created before its parents
_new = object.__new__
_sum, _max = np.add.reduce, np.maximum.reduce  # ndarray.sum/max add a Python-level wrapper


@contextmanager
def no_grad() -> Iterator[None]:
    """Inside this block ops record no graph: results are constants (inference)."""
    previous = _grad_mode.enabled
    _grad_mode.enabled = False
    try:
        yield
    finally:
        _grad_mode.enabled = previous


class Tensor:
    """An array node: ``data``, ``grad`` and the children it was computed from.

    ``data`` shares memory with an ndarray passed in (like ``torch.from_numpy``). Integer and
    bool data become float64; float32 stays float32.
    """

    __slots__ = ("_ctx", "_op", "_prev", "_seq", "data", "grad", "requires_grad")
    __array_ufunc__ = None  # `ndarray op Tensor` defers to the Tensor's reflected method

    def __init__(self, data: Any, requires_grad: bool = False, dtype: Any = None) -> None:
        array = np.asarray(data, dtype=dtype)
        if array.dtype.kind != "f":
            array = array.astype(np.float64)
        self.data = array
        self.requires_grad = requires_grad
        self.grad = np.zeros_like(array) if requires_grad else None  # leaves accumulate into it
        self._prev: tuple[Tensor, ...] = ()  # the tensors this one was computed from
        self._op = ""  # the op that produced this node, a key of BACKWARD
        self._ctx: Any = None  # what the op's backward rule needs beyond the children
        self._seq = 0  # creation order of graph nodes, a topological order for free

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape of the data."""
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        """dtype of the data."""
        return self.data.dtype

    @property
    def ndim(self) -> int:
        """Number of dimensions."""
        return self.data.ndim

    def item(self) -> float:
        """The value of a one-element tensor as a Python float."""
        return float(self.data)

    # ---- arithmetic (NumPy broadcasting; the other operand may be a Tensor, array or number)

    def __add__(self, other: Operand) -> Tensor:
        """self + other."""
        if isinstance(other, Tensor):
            if self._op == "@" and self._prev and self.data.ndim == 2 and other.data.ndim == 1:
                # x @ w + b is a layer: one node, as linear() makes (the @ node is skipped)
                return _result(self.data + other.data, "linear", (*self._prev, other), BARE_LAYER)
            return _result(self.data + other.data, "+", (self, other))
        return _result(self.data + other, "+", (self,))

    __radd__ = __add__

    def __sub__(self, other: Operand) -> Tensor:
        """self - other."""
        if isinstance(other, Tensor):
            return _result(self.data - other.data, "-", (self, other))
        return _result(self.data - other, "+", (self,))  # minus a constant passes g on as +

    def __rsub__(self, other: Operand) -> Tensor:
        """other - self."""
        return _result(other - self.data, "neg", (self,))  # constant minus x: d/dx is -1

    def __mul__(self, other: Operand) -> Tensor:
        """self * other."""
        if other is self:
            return self.square()
        if isinstance(other, Tensor):
            return _result(self.data * other.data, "*", (self, other))
        return _result(self.data * other, "*c", (self,), other)

    __rmul__ = __mul__

    def __truediv__(self, other: Operand) -> Tensor:
        """self / other."""
        if isinstance(other, Tensor):
            return _result(self.data / other.data, "/", (self, other))
        return _result(self.data / other, "/c", (self,), other)

    def __rtruediv__(self, other: Operand) -> Tensor:
        """other / self."""
        return _result(other / self.data, "c/", (self,))

    def __pow__(self, other: Operand) -> Tensor:
        """self ** other; a Tensor exponent needs a positive base."""
        if isinstance(other, (int, float)) and other == 2:
            return self.square()
        if isinstance(other, Tensor):
            return _result(self.data**other.data, "**", (self, other))
        return _result(self.data**other, "**c", (self,), other)

    def __rpow__(self, other: Operand) -> Tensor:
        """other ** self, for a positive base other."""
        return _result(other**self.data, "c**", (self,), other)

    def square(self) -> Tensor:
        """self * self as one node (so x * x and x ** 2 cost one product each way)."""
        x = self.data
        return _result(x * x, "square", (self,))

    def __neg__(self) -> Tensor:
        """-self."""
        return _result(-self.data, "neg", (self,))

    def __matmul__(self, other: Operand) -> Tensor:
        """self @ other (NumPy matmul rules)."""
        if isinstance(other, Tensor):
            return _result(self.data @ other.data, "@", (self, other))
        return _result(self.data @ other, "@c", (self,), other)

    def __rmatmul__(self, other: Operand) -> Tensor:
        """other @ self."""
        return _result(other @ self.data, "c@", (self,), other)

    # ---- elementwise nonlinearities: relu, tanh, gelu... are added below from the table in
    # engine/activations.py

    def _activate(self, act: Activation) -> Tensor:
        """The node for act(self); folded into self when self is a bare layer node (x @ w + b)."""
        out = act.forward(self.data, None)
        if self._ctx is BARE_LAYER:  # the layer's pre-activation is self's data, kept as is
            return _result(out, "linear", self._prev, (act, None if act.from_output else self.data))
        return _result(out, act.name, (self,), act)

    def exp(self) -> Tensor:
        """e ** x."""
        return _result(np.exp(self.data), "exp", (self,))

    def log(self) -> Tensor:
        """Natural logarithm (nan or -inf outside x > 0, with NumPy's warning)."""
        return _result(np.log(self.data), "log", (self,))

    def abs(self) -> Tensor:
        """|x|; its derivative at exactly 0 is taken as 0."""
        return _result(np.abs(self.data), "abs", (self,))

    # ---- reductions and reshaping ----------------------------------------------------------

    def sum(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Sum over axis (all axes when None: a NumPy scalar, ~10x quicker to compute with)."""
        out = _sum(self.data, axis=axis, keepdims=keepdims)
        if self._op == "square" and axis is None and not keepdims:
            # (x * x).sum(), an L2 term: one node straight to x, the square's backward skipped
            return _result(out, "sum_of_squares", self._prev, 1.0)
        return _result(out, "sum", (self,), (axis, keepdims))

    def mean(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Mean over axis (all axes when None), as sum * (1 / count) like Value's mean."""
        total = _sum(self.data, axis=axis, keepdims=keepdims)
        scale = total.size / self.data.size
        if self._op == "square" and axis is None and not keepdims:
            # ((s - y) ** 2).mean(), squared error: one node, as in sum() above
            return _result(total * scale, "sum_of_squares", self._prev, scale)
        return _result(total * scale, "mean", (self,), (axis, keepdims))

    def max(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Maximum over axis; ties share the gradient equally."""
        return _result(_max(self.data, axis=axis, keepdims=keepdims), "max", (self,),
                       (axis, keepdims))

    def logsumexp(self, axis: Axis = -1, keepdims: bool = False) -> Tensor:
        """log(sum(exp(x))) over axis, shifted by the maximum so exp never overflows."""
        x = self.data
        shift = _max(x, axis=axis, keepdims=True)
        kept = np.log(_sum(np.exp(x - shift), axis=axis, keepdims=True)) + shift
        return _result(kept if keepdims else kept.squeeze(axis), "logsumexp", (self,),
                       (axis, keepdims))

    def log_softmax(self, axis: int = -1) -> Tensor:
        """x - logsumexp(x) over axis: log-probabilities, stable for any scores."""
        x = self.data
        shifted = x - _max(x, axis=axis, keepdims=True)
        out = shifted - np.log(_sum(np.exp(shifted), axis=axis, keepdims=True))
        return _result(out, "log_softmax", (self,), axis)

    def reshape(self, *shape: Any) -> Tensor:
        """The same data in a new shape (one tuple or several ints, -1 allowed)."""
        return _result(self.data.reshape(*shape), "reshape", (self,))

    @property
    def T(self) -> Tensor:
        """Transpose (all axes reversed, as ndarray.T)."""
        return _result(self.data.T, "T", (self,))

    def __getitem__(self, index: Any) -> Tensor:
        """Rows (or any NumPy index); repeated rows get their gradients added."""
        return _result(self.data[index], "index", (self,), index)

    # ---- backpropagation -------------------------------------------------------------------

    def backward(self, grad: np.ndarray | None = None) -> None:
        """Fill .grad of every tensor below this one with d(self)/d(tensor).

        ``grad`` seeds the output gradient (ones by default). Iterative, so graphs of any depth
        work. Leaves accumulate in place into their existing ``.grad`` array (so it may be a
        view into a bigger buffer), as in Value and PyTorch: zero them between steps. Interior
        nodes are reset first, so a second backward() adds the same gradient into the leaves.
        """
        if not self.requires_grad:
            raise RuntimeError("backward() on a tensor that does not require grad: no leaf below "
                               "it has requires_grad=True, or it was computed under no_grad()")
        if grad is not None:
            seed = np.asarray(grad, self.data.dtype)
        else:  # d(self)/d(self): ones; a NumPy scalar for a scalar root, as reductions give
            seed = np.ones_like(self.data) if self.data.ndim else self.data.dtype.type(1)
        if not self._prev:  # a leaf: d(self)/d(self) is one
            self.grad = seed if self.grad is None else self.grad + seed
            return
        nodes = self._interior_nodes()
        self.grad = seed
        backward_rules = BACKWARD
        for node in nodes:
            grads = backward_rules[node._op](node, node.grad)
            for child, g in zip(node._prev, grads):  # noqa: B905 ("+" gives (g, g) to 1 or 2)
                if g is None or not child.requires_grad:
                    continue
                shape = child.data.shape
                if g.shape != shape:
                    g = _unbroadcast(g, shape)
                if child._prev:  # interior grads are only read, so sharing an array is safe
                    child.grad = g if child.grad is None else child.grad + g
                elif child.grad is None:
                    child.grad = np.array(g, dtype=child.data.dtype)  # its own, added to in place
                else:
                    child.grad += g

    def _interior_nodes(self) -> list[Tensor]:
        """Every non-leaf node below this one, parents before children, grads reset to None."""
        nodes = [self]
        seen = {self}  # by identity: Tensor defines no __eq__
        stack = [self]
        while stack:
            for child in stack.pop()._prev:
                if child._prev and child not in seen:
                    child.grad = None
                    seen.add(child)
                    stack.append(child)
                    nodes.append(child)
        nodes.sort(key=_by_creation, reverse=True)  # creation order is a topological order
        return nodes

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", threshold=20, precision=4)
        op = f", op={self._op!r}" if self._op else ""
        return f"Tensor({body}, dtype={self.data.dtype}, requires_grad={self.requires_grad}{op})"


_by_creation = attrgetter("_seq")
BARE_LAYER = (IDENTITY, None)  # the ctx of a "linear" node with no activation: (act, z kept)


def _result(data: np.ndarray, op: str, children: tuple[Tensor, ...], ctx: Any = None) -> Tensor:
    """A new node; part of the graph only when grad mode is on and some child requires grad."""
    out = _new(Tensor)
    out.data = data
    out.grad = None
    out._op = op
    if _grad_mode.enabled:
        for child in children:
            if child.requires_grad:
                out.requires_grad = True
                out._prev = children
                out._ctx = ctx
                out._seq = next(_sequence)
                return out
    out.requires_grad = False
    out._prev = ()
    out._ctx = None
    out._seq = 0
    return out


def _unbroadcast(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum g over the axes that broadcasting added or stretched, back to an operand's shape."""
    extra = g.ndim - len(shape)
    if extra:
        g = _sum(g, axis=0) if extra == 1 else _sum(g, axis=tuple(range(extra)))
    if g.shape != shape:
        g = _sum(g, axis=tuple(i for i, n in enumerate(shape) if n == 1), keepdims=True)
    return g


def _activation_method(act: Activation) -> Callable[..., Tensor]:
    """A Tensor method for an activation (parameters, if any, by position or name)."""

    def method(self: Tensor, *args: float, **kwargs: float) -> Tensor:
        return self._activate(act.bind(*args, **kwargs) if args or kwargs else act)

    method.__name__, method.__qualname__, method.__doc__ = act.name, f"Tensor.{act.name}", act.doc
    return method


for _act in ACTIVATIONS.values():
    if _act is not IDENTITY:  # "linear" is no op
        setattr(Tensor, _act.name, _activation_method(_act))
