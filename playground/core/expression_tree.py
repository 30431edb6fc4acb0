"""The tree a typed expression becomes: numbers, names, operators and named functions.

Each node evaluates on NumPy arrays (nan or inf where undefined, never an exception) and
builds itself as an ``engine.Value`` graph. Made only by playground.core.expression's parser.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from engine.value import Value

ArrayLike = np.ndarray | float


@dataclass(frozen=True)
class Function:
    """A named function: its form on arrays and its form as a Value graph node."""

    array: Callable[[np.ndarray], np.ndarray]
    value: Callable[[Value], Value]


def _value_op(name: str, fn: Callable[[float], float],
              slope: Callable[[float], float]) -> Callable[[Value], Value]:
    """A Value op built the engine's way: output, children, op name, local derivative."""
    return lambda v: Value(fn(v.data), (v,), name, (slope(v.data),))


def _array_sigmoid(z: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-z)) without overflow."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


FUNCTIONS: dict[str, Function] = {
    "sin": Function(np.sin, _value_op("sin", math.sin, math.cos)),
    "cos": Function(np.cos, _value_op("cos", math.cos, lambda x: -math.sin(x))),
    "tan": Function(np.tan, _value_op("tan", math.tan, lambda x: 1.0 / math.cos(x) ** 2)),
    "exp": Function(np.exp, Value.exp),
    "log": Function(np.log, Value.log),
    "sqrt": Function(np.sqrt, lambda v: v**0.5),
    "abs": Function(np.abs, Value.abs),
    "tanh": Function(np.tanh, Value.tanh),
    "relu": Function(lambda z: np.maximum(z, 0.0), Value.relu),
    "sigmoid": Function(_array_sigmoid, Value.sigmoid),
}
FUNCTIONS_OF_X = ("sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh")  # issue 10's list
SCRATCHPAD_FUNCTIONS = (*FUNCTIONS_OF_X, "relu", "sigmoid")
CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}

@dataclass(frozen=True)
class Number:
    """A number as typed (or a named constant such as pi)."""

    value: float
    text: str

    def evaluate(self, env: Mapping[str, ArrayLike]) -> ArrayLike:
        return self.value

    def to_value(self, env: Mapping[str, Value]) -> Value:
        return Value(self.value, label=self.text)


@dataclass(frozen=True)
class Name:
    """A variable: x, or a scratchpad's name."""

    name: str

    def evaluate(self, env: Mapping[str, ArrayLike]) -> ArrayLike:
        return env[self.name]

    def to_value(self, env: Mapping[str, Value]) -> Value:
        return env[self.name]


@dataclass(frozen=True)
class Negate:
    """-operand."""

    operand: Node

    def evaluate(self, env: Mapping[str, ArrayLike]) -> ArrayLike:
        return -self.operand.evaluate(env)

    def to_value(self, env: Mapping[str, Value]) -> Value:
        return -self.operand.to_value(env)


@dataclass(frozen=True)
class BinaryOp:
    """left op right for op in + - * / **; a constant exponent is kept as a number."""

    op: str
    left: Node
    right: Node

    def evaluate(self, env: Mapping[str, ArrayLike]) -> ArrayLike:
        return _ON_ARRAYS[self.op](self.left.evaluate(env), self.right.evaluate(env))

    def to_value(self, env: Mapping[str, Value]) -> Value:
        a = self.left.to_value(env)
        if self.op == "**" and isinstance(self.right, Number):
            return a ** self.right.value  # micrograd's Value ** number, one node
        return _ON_VALUES[self.op](a, self.right.to_value(env))


# / on arrays gives inf or nan where a float divides by 0, not ZeroDivisionError
_ON_ARRAYS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": np.divide,
              "**": np.power}
_ON_VALUES = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
              "**": operator.pow}


@dataclass(frozen=True)
class Call:
    """function(argument) for a named function of FUNCTIONS."""

    function: str
    argument: Node

    def evaluate(self, env: Mapping[str, ArrayLike]) -> ArrayLike:
        return FUNCTIONS[self.function].array(np.asarray(self.argument.evaluate(env), float))

    def to_value(self, env: Mapping[str, Value]) -> Value:
        return FUNCTIONS[self.function].value(self.argument.to_value(env))


Node = Number | Name | Negate | BinaryOp | Call


@dataclass(frozen=True)
class Expression:
    """A parsed expression: its text, its tree and the names it reads."""

    text: str
    root: Node
    names: frozenset[str]

    def evaluate(self, env: Mapping[str, ArrayLike]) -> np.ndarray:
        """The value for arrays (or numbers) of every name; nan or inf where undefined."""
        with np.errstate(all="ignore"):
            return np.asarray(self.root.evaluate(env), dtype=np.float64)

    def to_value(self, env: Mapping[str, Value]) -> Value:
        """The expression as a Value graph over the Values of its names (numbers become leaves).

        Raises ValueError or ZeroDivisionError where Value does (log of a negative number, a
        division by zero).
        """
        return self.root.to_value(env)

    def evaluate_on(self, x: np.ndarray) -> Evaluation:
        """y for every x (a function of x), and where y is not a finite number."""
        x = np.asarray(x, dtype=np.float64)
        y = np.broadcast_to(self.evaluate({"x": x}), x.shape)
        finite = np.isfinite(y)
        message = ""
        if not finite.all():
            bad = x[~finite]
            more = f" and at {len(bad) - 1} more of {x.size} points" if len(bad) > 1 else ""
            message = f"{self.text} is not a finite number at x = {bad.flat[0]:.4g}{more}"
        return Evaluation(y, finite, message)


@dataclass(frozen=True)
class Evaluation:
    """A function of x evaluated on an array of x."""

    values: np.ndarray  # y, like x
    finite: np.ndarray  # bool, like x
    message: str  # where y is not finite, "" when it is finite everywhere
