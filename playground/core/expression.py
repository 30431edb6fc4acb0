"""Typed expressions such as ``sin(3*x) + 0.3*x``, parsed into a small tree of our own.

Nothing typed is ever run by Python: ``ast.parse(mode="eval")`` only parses, and a whitelist
walk turns the few allowed node kinds (numbers, names, + - * / **, unary minus and plus,
calls of named functions) into our tree; anything else raises an ExpressionError that
points at the bad part. Constant parts are computed once while parsing, in floats, so
``9**9**9`` is refused before anything is evaluated. The tree (playground.core.expression_tree)
evaluates on NumPy arrays and builds an ``engine.Value`` graph.
"""

from __future__ import annotations

import ast
import math
import warnings
from collections.abc import Mapping

from playground.core.expression_tree import (
    CONSTANTS,
    FUNCTIONS_OF_X,
    BinaryOp,
    Call,
    Evaluation,
    Expression,
    Name,
    Negate,
    Node,
    Number,
)

MAX_LENGTH = 300  # characters; a typed function is a line, not a program
MAX_DEPTH = 32  # levels of nesting (parentheses, calls, operators)
CARET_CONTEXT = 30  # characters shown either side of the caret in a long text
MAX_EXPONENT = 1000.0  # |constant exponent| of a variable base; beyond it every float overflows


class ExpressionError(ValueError):
    """A refused expression: what is wrong, and where (column, from 1), with a caret line."""

    def __init__(self, message: str, text: str, offset: int, line: int | None = None) -> None:
        self.message = message
        self.text = text
        self.column = min(max(offset, 0), len(text)) + 1
        self.line = line
        where = f"line {line}, column {self.column}" if line else f"column {self.column}"
        super().__init__(f"{where}: {message}\n{self.caret}")

    @property
    def caret(self) -> str:
        """The text (around the bad part if it is long) and a caret under it, two lines."""
        start = max(0, min(self.column - 1 - CARET_CONTEXT, len(self.text) - 2 * CARET_CONTEXT))
        shown = "".join(ch if ch.isprintable() else "·"  # one column each, like the caret's
                        for ch in self.text[start:start + 2 * CARET_CONTEXT])
        before = "…" if start > 0 else ""
        after = "…" if start + len(shown) < len(self.text) else ""
        return f"  {before}{shown}{after}\n  {' ' * (len(before) + self.column - 1 - start)}^"


_OPERATORS: dict[type, str] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/",
                               ast.Pow: "**"}
_REFUSED_OPERATORS: dict[type, str] = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@",
                                       ast.LShift: "<<", ast.RShift: ">>", ast.BitOr: "|",
                                       ast.BitAnd: "&", ast.BitXor: "^"}
_REFUSED_NODES: dict[type, str] = {
    ast.Attribute: "attribute access (a dot) is not allowed",
    ast.Subscript: "subscripts ([...]) are not allowed",
    ast.Lambda: "lambda is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.Compare: "comparisons are not allowed",
    ast.BoolOp: "and / or are not allowed",
    ast.IfExp: "if / else is not allowed",
    ast.NamedExpr: ":= is not allowed",
    ast.JoinedStr: "strings are not allowed",
    ast.Tuple: "a comma makes a tuple: write one expression",
    ast.List: "lists are not allowed",
    ast.Set: "sets are not allowed",
    ast.Dict: "dictionaries are not allowed",
    ast.Starred: "* unpacking is not allowed",
    ast.Await: "await is not allowed",
    ast.Yield: "yield is not allowed",
    ast.YieldFrom: "yield is not allowed",
}



# ---- parsing ----------------------------------------------------------------------------------

def parse_function(text: str) -> Expression:
    """A function of x: names x, pi and e, the functions of FUNCTIONS_OF_X."""
    return parse(text, names=("x",), functions=FUNCTIONS_OF_X, constants=CONSTANTS)


def parse(text: str, names: tuple[str, ...] | frozenset[str], functions: tuple[str, ...],
          constants: Mapping[str, float] | None = None, line: int | None = None) -> Expression:
    """Parse text with these variable names, functions and named constants, or raise."""
    return _Parser(text, frozenset(names), functions, constants or {}, line).parse()


__all__ = ["Evaluation", "Expression", "ExpressionError", "parse", "parse_function"]


class _Parser:
    """One parse: the text, what it may use, and the walk that checks and converts it."""

    def __init__(self, text: str, names: frozenset[str], functions: tuple[str, ...],
                 constants: Mapping[str, float], line: int | None) -> None:
        self.text = text
        self.names = names
        self.functions = functions
        self.constants = constants
        self.line = line
        self.source = text.strip()  # ast refuses leading spaces ("unexpected indent")
        self.start = len(text) - len(text.lstrip())  # where the source starts in the text
        self.encoded = self.source.encode()
        self.used: set[str] = set()

    def fail(self, message: str, offset: int) -> ExpressionError:
        return ExpressionError(message, self.text, offset, self.line)

    def parse(self) -> Expression:
        text = self.text
        if len(text) > MAX_LENGTH:
            raise self.fail(f"too long: at most {MAX_LENGTH} characters, this has {len(text)}",
                            MAX_LENGTH)
        bad = next((i for i, ch in enumerate(text) if not ch.isprintable()), None)
        if bad is not None:
            raise self.fail("only printable characters on one line, please", bad)
        if not text.strip():
            raise self.fail("type an expression, such as sin(3*x) + 0.3*x", 0)
        try:
            with warnings.catch_warnings():  # "invalid decimal literal" and such: refused below
                warnings.simplefilter("ignore", SyntaxWarning)
                tree = ast.parse(self.source, mode="eval")
        except SyntaxError as error:
            offset = self.start + (error.offset or len(self.source) + 1) - 1
            raise self.fail(f"not a valid expression ({error.msg})", offset) from None
        except (ValueError, RecursionError, MemoryError):
            raise self.fail("not a valid expression", self.start) from None
        root, _ = self.walk(tree.body, 1)
        return Expression(text, root, frozenset(self.used))

    def column(self, byte_offset: int) -> int:
        """The column in the text of a byte offset in the source (ast counts UTF-8 bytes)."""
        return self.start + len(self.encoded[:byte_offset].decode(errors="ignore"))

    def offset(self, node: ast.AST) -> int:
        """A node's column in the text."""
        return self.column(getattr(node, "col_offset", 0))

    def walk(self, node: ast.AST, depth: int) -> tuple[Node, float | None]:
        """Our node for an ast node, and its value if it is constant (else None)."""
        if depth > MAX_DEPTH:
            raise self.fail(f"nested too deeply (at most {MAX_DEPTH} levels)", self.offset(node))
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.UnaryOp):
            return self.unary(node, depth)
        if isinstance(node, ast.BinOp):
            return self.binary(node, depth)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        reason = _REFUSED_NODES.get(type(node), "this is not allowed in an expression")
        raise self.fail(reason, self.offset(node))

    def number(self, node: ast.Constant) -> tuple[Node, float]:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            kind = ("strings are" if isinstance(value, (str, bytes)) else
                    "complex numbers are" if isinstance(value, complex) else
                    f"{value!r} is")
            raise self.fail(f"{kind} not allowed; use numbers", self.offset(node))
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise self.fail("number too large for a float", self.offset(node))
        text = ast.get_source_segment(self.source, node) or repr(number)
        return Number(number, text), number

    def name(self, node: ast.Name) -> tuple[Node, float | None]:
        name = node.id
        if name in self.constants:
            value = self.constants[name]
            return Number(value, name), value
        if name in self.names:
            self.used.add(name)
            return Name(name), None
        if name in self.functions:
            raise self.fail(f"{name} is a function: write {name}(...)", self.offset(node))
        allowed = ", ".join(sorted([*self.names, *self.constants])) or "none yet"
        raise self.fail(f"unknown name {name!r} (names you can use: {allowed})",
                        self.offset(node))

    def unary(self, node: ast.UnaryOp, depth: int) -> tuple[Node, float | None]:
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            symbol = "not" if isinstance(node.op, ast.Not) else "~"
            raise self.fail(f"the operator {symbol} is not allowed; use + - * / **",
                            self.offset(node))
        operand, value = self.walk(node.operand, depth + 1)
        if isinstance(node.op, ast.UAdd):
            return operand, value
        if isinstance(operand, Number):  # -3 is a number, as typed
            return Number(-operand.value, f"-{operand.text}"), -operand.value
        return Negate(operand), (None if value is None else -value)

    def binary(self, node: ast.BinOp, depth: int) -> tuple[Node, float | None]:
        op_type = type(node.op)
        op = _OPERATORS.get(op_type) or _REFUSED_OPERATORS.get(op_type, "?")
        at = self.operator_offset(node, op)
        if op_type not in _OPERATORS:
            raise self.fail(f"the operator {op} is not allowed; use + - * / **", at)
        left, a = self.walk(node.left, depth + 1)
        right, b = self.walk(node.right, depth + 1)
        if op == "**" and a is None and b is not None and abs(b) > MAX_EXPONENT:
            raise self.fail(f"exponent {b:.6g} is too large (at most {MAX_EXPONENT:g}): "
                            "every float would overflow", at)
        value = None
        if a is not None and b is not None:  # computed now, in floats: overflow is refused
            value = self.fold(BinaryOp(op, left, right), node, at)
        return BinaryOp(op, left, right), value

    def call(self, node: ast.Call, depth: int) -> tuple[Node, float | None]:
        func = node.func
        if isinstance(func, ast.Call):
            raise self.fail("calls on calls are not allowed", self.offset(node))
        if not isinstance(func, ast.Name):
            return self.walk(func, depth + 1)  # refused: an attribute, a subscript...
        name = func.id
        if name not in self.functions:
            raise self.fail(f"unknown function {name!r} (functions you can use: "
                            f"{', '.join(self.functions)})", self.offset(node))
        if node.keywords:
            raise self.fail("keyword arguments are not allowed", self.offset(node.keywords[0]))
        if len(node.args) != 1:
            raise self.fail(f"{name} takes one argument, got {len(node.args)}", self.offset(node))
        argument, value = self.walk(node.args[0], depth + 1)
        call = Call(name, argument)
        return call, (None if value is None else self.fold(call, node, self.offset(node)))

    def fold(self, node: Node, source: ast.AST, offset: int) -> float:
        """The value of a constant part, refused unless it is a finite number."""
        value = float(Expression("", node, frozenset()).evaluate({}))
        if not math.isfinite(value):
            part = ast.get_source_segment(self.source, source) or "this part"
            raise self.fail(f"{part} is not a finite number (too large for a float, or "
                            "undefined)", offset)
        return value

    def operator_offset(self, node: ast.BinOp, symbol: str) -> int:
        """Where a binary operator's symbol is: between its two operands."""
        left_end = node.left.end_col_offset or node.col_offset
        gap = self.encoded[left_end:node.right.col_offset].decode(errors="ignore")
        return self.column(left_end) + max(gap.find(symbol), 0)
