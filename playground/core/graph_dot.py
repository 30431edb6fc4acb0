"""Graphviz DOT text of a ComputationGraph, in the form micrograd's ``draw_dot`` produces.

micrograd draws each value as a record ``{ label | data %.4f | grad %.4f }``, each op as a
plain node in front of the value it computes, left to right. Our edges are one per use (micrograd
keeps a set, so its ``a + a`` shows one edge): a value used twice is drawn with two arrows.
"""

from __future__ import annotations

import numpy as np

from playground.core.graph_model import ComputationGraph

_RECORD_SPECIALS = str.maketrans({c: f"\\{c}" for c in "{}|<>\\"})


def _record_text(text: str) -> str:
    """Text safe inside a record label (braces, bars and angle brackets escaped)."""
    return text.translate(_RECORD_SPECIALS)


def _quoted(text: str) -> str:
    """A DOT double-quoted string (inside one, only the quote is escaped)."""
    return '"' + text.replace('"', '\\"') + '"'


def to_dot(graph: ComputationGraph, grad: np.ndarray | None = None) -> str:
    """The graph as DOT text; grad replaces graph.grad (a stepper's grads mid-way)."""
    grads = graph.grad if grad is None else grad
    lines = ["digraph {", "  graph [rankdir=LR]"]
    for i in range(len(graph)):
        label = (f"{{ {_record_text(graph.labels[i])} | data {graph.data[i]:.4f} "
                 f"| grad {grads[i]:.4f} }}")
        lines.append(f"  n{i} [label={_quoted(label)} shape=record]")
        if not graph.is_leaf(i):
            lines.append(f"  n{i}op [label={_quoted(graph.ops[i])}]")
            lines.append(f"  n{i}op -> n{i}")
    lines += [f"  n{child} -> n{parent}op" for child, parent in graph.edges]
    lines.append("}")
    return "\n".join(lines) + "\n"
