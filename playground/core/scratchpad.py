"""The scratchpad: named scalars and expressions over them, the lecture's first graphs.

Each line is ``name = expression`` (or ``name += expression``, and -= *= /=, as Python reads
it). A name set to a plain number is a leaf to nudge; a name set to an expression labels the
node that computes it; the last line is the output. Binding a name again makes a new node,
as Python's ``c = c + 1`` makes a new Value: the last binding keeps the plain name and the
earlier ones are numbered (``c#1``, ``c#2``...). Lines are parsed by the expression whitelist,
never run.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from engine.value import Value
from playground.core.expression import ExpressionError, parse
from playground.core.expression_tree import (
    SCRATCHPAD_FUNCTIONS,
    BinaryOp,
    Expression,
    Name,
    Number,
)
from playground.core.graph_model import ComputationGraph, Tag, label_constants

MAX_LINES = 200
MAX_NAME_LENGTH = 24
RELATIVE_H = 1e-5  # finite-difference step, relative to the leaf's size (at least 1)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_ASSIGN = re.compile(r"\s*([^=]*?)\s*([-+*/]?)=(?!=)(.*)\Z")

EXAMPLES: dict[str, str] = {
    "The lecture's first graph (L)": """\
# the lecture's first graph: L = (a*b + c) * f
a = 2
b = -3
c = 10
e = a*b
d = e + c
f = -2
L = d * f""",
    "The lecture's neuron": """\
# the lecture's neuron: two inputs, two weights, a bias, tanh
x1 = 2
x2 = 0
w1 = -3
w2 = 1
b = 6.8813735870195432
x1w1 = x1*w1
x2w2 = x2*w2
x1w1x2w2 = x1w1 + x2w2
n = x1w1x2w2 + b
o = tanh(n)""",
    "micrograd README's g": """\
# micrograd's README example: g = 24.7041, dg/da = 138.8338, dg/db = 645.5773
a = -4
b = 2
c = a + b
d = a * b + b**3
c += c + 1
c += 1 + c + (-a)
d += d * 2 + relu(b + a)
d += 3 * d + relu(b - a)
e = c - d
f = e**2
g = f / 2
g += 10 / f""",
    "Seed notebook: tanh made of exp": """\
# the neuron again, with tanh written out as the seed notebook defines it:
# tanh(n) = (exp(2n) - 1) / (exp(2n) + 1); the same gradients, through more nodes
x1 = 2
x2 = 0
w1 = -3
w2 = 1
b = 6.8813735870195432
n = x1*w1 + x2*w2 + b
t = exp(2*n)
o = (t - 1) / (t + 1)""",
}


@dataclass(frozen=True)
class Binding:
    """One line: the name it binds, the node's label, and the expression."""

    name: str
    label: str  # the name, or name#k when the name is bound again later
    expression: Expression
    line: int  # from 1
    source: str  # the line as typed

    @property
    def leaf(self) -> bool:
        """True when the line sets a plain number: a leaf of the graph."""
        return isinstance(self.expression.root, Number)


@dataclass(frozen=True)
class Nudge:
    """The lecture's numerical derivative: the output before and after leaf += h."""

    label: str
    h: float
    before: float
    after: float

    @property
    def slope(self) -> float:
        """(after - before) / h."""
        return (self.after - self.before) / self.h

    def describe(self, output: str) -> str:
        """Two lines: how the output moved, and the slope."""
        return (f"{output}: {self.before:.6f} → {self.after:.6f} when {self.label} += "
                f"{self.h:g}\n(after − before) / h = {self.slope:.6f}")


@dataclass(frozen=True)
class Scratchpad:
    """A parsed scratchpad: its bindings in order; the last is the output."""

    text: str
    bindings: tuple[Binding, ...]

    @property
    def output(self) -> Binding:
        """The last line."""
        return self.bindings[-1]

    @property
    def leaves(self) -> tuple[Binding, ...]:
        """The lines that set a number, in order."""
        return tuple(b for b in self.bindings if b.leaf)

    def graph(self) -> ComputationGraph:
        """The output's Value graph after backward(), nodes labelled by line; or raise."""
        env: dict[str, Value] = {}
        kinds: dict[Value, str] = {}
        for binding in self.bindings:
            try:
                value = binding.expression.to_value(env)
            except (ValueError, ZeroDivisionError, OverflowError) as error:
                at = binding.source.index("=") + 1
                raise ExpressionError(str(error), binding.source, at, binding.line) from None
            if not isinstance(binding.expression.root, Name):  # an alias keeps its node's label
                value.label = binding.label
                kinds[value] = "input" if binding.leaf else "op"
            env[binding.name] = value
        root = env[self.output.name]
        kinds[root] = "loss"
        label_constants(root)
        root.backward()

        def tag(value: Value) -> Tag:
            return kinds.get(value, "op" if value._prev else "constant"), ""

        return ComputationGraph.from_root(root, tag, title=f"scratchpad: {self.output.label}")

    def evaluate(self, leaf_values: Mapping[str, np.ndarray | float]) -> np.ndarray:
        """The output for arrays of leaf values, by label (leaves not given keep theirs)."""
        env: dict[str, np.ndarray | float] = {}
        for binding in self.bindings:
            if binding.leaf and binding.label in leaf_values:
                env[binding.name] = leaf_values[binding.label]
            else:
                env[binding.name] = binding.expression.evaluate(env)
        return np.asarray(env[self.output.name], dtype=np.float64)

    def nudge(self, label: str, h: float) -> Nudge:
        """The output before and after the leaf with this label moves by h."""
        leaf = next((b for b in self.leaves if b.label == label), None)
        if leaf is None:
            raise KeyError(f"{label!r} is not a leaf of the scratchpad")
        value = leaf.expression.root.value
        before = float(self.evaluate({}))
        return Nudge(label, h, before, float(self.evaluate({label: value + h})))

    def finite_differences(self) -> dict[str, float]:
        """d(output)/d(leaf) by central differences, every leaf at once (one array pass)."""
        leaves = self.leaves
        if not leaves:
            return {}
        base = np.array([b.expression.root.value for b in leaves])  # (K,)
        h = RELATIVE_H * np.maximum(1.0, np.abs(base))  # (K,)
        k = len(leaves)
        copies = np.repeat(base[None, :], 2 * k, axis=0)  # (2K, K): leaf i +h in row 2i, -h 2i+1
        copies[2 * np.arange(k), np.arange(k)] += h
        copies[2 * np.arange(k) + 1, np.arange(k)] -= h
        out = np.broadcast_to(self.evaluate({b.label: copies[:, i] for i, b in enumerate(leaves)}),
                              (2 * k,))
        slopes = (out[0::2] - out[1::2]) / (2 * h)  # (K,)
        return {b.label: float(s) for b, s in zip(leaves, slopes, strict=True)}


def parse_scratchpad(text: str) -> Scratchpad:
    """Parse the lines of a scratchpad, or raise ExpressionError naming the line."""
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        raise ExpressionError(f"at most {MAX_LINES} lines", lines[MAX_LINES], 0, MAX_LINES + 1)
    parsed: list[tuple[str, Expression, int, str]] = []
    defined: set[str] = set()
    for number, raw in enumerate(lines, start=1):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        name, expression = _parse_line(line, number, defined)
        defined.add(name)
        parsed.append((name, expression, number, line))
    if not parsed:
        raise ExpressionError("write a line such as a = 2, then one such as L = a * 3", "", 0, 1)
    counts = {name: sum(p[0] == name for p in parsed) for name in defined}
    seen: dict[str, int] = {}
    bindings = []
    for name, expression, number, line in parsed:
        seen[name] = seen.get(name, 0) + 1
        label = name if seen[name] == counts[name] else f"{name}#{seen[name]}"
        bindings.append(Binding(name, label, expression, number, line))
    return Scratchpad(text, tuple(bindings))


def _parse_line(line: str, number: int, defined: set[str]) -> tuple[str, Expression]:
    """(name, expression) of one line ``name = expr`` or ``name op= expr``."""
    match = _ASSIGN.match(line)
    if match is None:
        raise ExpressionError("write name = expression, such as e = a*b", line, len(line), number)
    name, op, rhs = match.groups()
    name_at = line.index(name) if name else 0
    if not _NAME.match(name):
        raise ExpressionError(f"{name or 'the left side'!r} is not a name: use letters, digits "
                              "and _, starting with a letter", line, name_at, number)
    if keyword.iskeyword(name) or name in SCRATCHPAD_FUNCTIONS:
        raise ExpressionError(f"{name} is a reserved word; choose another name", line, name_at,
                              number)
    if len(name) > MAX_NAME_LENGTH:
        raise ExpressionError(f"names have at most {MAX_NAME_LENGTH} characters", line, name_at,
                              number)
    if op and name not in defined:
        raise ExpressionError(f"{name} {op}= needs {name} defined on an earlier line", line,
                              name_at, number)
    rhs_at = match.start(3)
    try:
        expression = parse(rhs, names=frozenset(defined), functions=SCRATCHPAD_FUNCTIONS)
    except ExpressionError as error:  # point into the whole line, not only its right side
        raise ExpressionError(error.message, line, rhs_at + error.column - 1, number) from None
    if op:  # c += expr is c = c + (expr)
        expression = Expression(line[rhs_at:], BinaryOp(op, Name(name), expression.root),
                                expression.names | {name})
    return name, expression
