"""How the graph looks: a box's text, the pens and the fills by the size of the gradient.

Pens and brushes are made once (PySide lets go of the interpreter lock to make a Qt value,
and the training thread then takes it); a box picks its fill by index.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QBrush, QColor, QPen

from playground.core.graph_display import NEURON, DisplayGraph
from playground.core.graph_model import ComputationGraph
from playground.ui import theme

GRAD_LEVELS = 6  # fill strengths per sign of the gradient
GRAD_DECADES = 4.0  # the faintest fill is 10**-4 of the largest |grad|
FILL_STRENGTH = 0.55  # the strongest fill: the class colour this much towards white
NUMBER_TEMPLATE = "-00.0000"  # the widest number a box is sized for (wider ones overflow it)
HOVER, STEP, CHILD, MATCH = "hover", "step", "child", "match"  # highlight roles


def number_text(value: float) -> str:
    """A number as draw_dot shows it (%.4f), in scientific notation when it is large; -0 as 0
    (a switched-off neuron's negative output times 0)."""
    if value != value or abs(value) == float("inf"):
        return f"{value}"
    value += 0.0  # -0.0 + 0.0 is 0.0
    return f"{value:.4f}" if abs(value) < 1e4 else f"{value:.3e}"


def value_text(graph: ComputationGraph, display: DisplayGraph, d: int, data: str, grad: str,
               flagged: bool) -> str:
    """A drawn box's line: label | data | grad, as draw_dot's record; ✗ where the check fails."""
    label = graph.labels[display.values[d]]
    if display.kinds[d] == NEURON:
        label = f"neuron {display.groups[d]}: {label}"
    mark = "  ✗" if flagged else ""
    return (f"{label} │ data {data} │ grad {grad}{mark}" if label else
            f"data {data} │ grad {grad}{mark}")


def fill_levels(grad: np.ndarray) -> np.ndarray:
    """(N,) brush index per grad: white for 0, stronger for larger |grad|, -1 not finite."""
    magnitude = np.abs(grad)
    finite = np.isfinite(grad)
    largest = magnitude[finite].max(initial=0.0)
    levels = np.zeros(len(grad), dtype=np.int64)
    if largest > 0:
        with np.errstate(divide="ignore"):
            t = 1.0 + np.log10(np.where(finite, magnitude, 0.0) / largest) / GRAD_DECADES
        levels = np.clip(np.ceil(t * GRAD_LEVELS), 0, GRAD_LEVELS).astype(np.int64)
    levels = GRAD_LEVELS + levels * np.sign(grad).astype(np.int64)
    return np.where(finite, levels, -1)


class GraphPaints:
    """Every pen and brush the drawing uses."""

    def __init__(self) -> None:
        self.edge_pen = QPen(QColor("#9aa0a6"), 1.1)
        self.highlight_pen = QPen(QColor("#d81b60"), 2.4)
        self.pens = {None: QPen(QColor("#555555"), 1.0), HOVER: QPen(QColor("#d81b60"), 2.4),
                     STEP: QPen(QColor("#c62828"), 4.0), CHILD: QPen(QColor("#2e7d32"), 3.0),
                     MATCH: QPen(QColor("#f9a825"), 4.0)}
        self.loss_pen = QPen(QColor("#555555"), 2.2)
        # widths in pixels, whatever the zoom: a zoomed-out graph keeps its lines
        for pen in (self.edge_pen, self.highlight_pen, self.loss_pen, *self.pens.values()):
            pen.setCosmetic(True)
        # index GRAD_LEVELS + level * sign of the grad: level 0 white, blue up, orange down
        self.brushes: list[QBrush] = []
        for signed in range(-GRAD_LEVELS, GRAD_LEVELS + 1):
            color = QColor(theme.BLUE if signed > 0 else theme.ORANGE)
            strength = FILL_STRENGTH * abs(signed) / GRAD_LEVELS
            self.brushes.append(QBrush(QColor(*(round(255 + (c - 255) * strength)
                                                for c in (color.red(), color.green(),
                                                          color.blue())))))
        self.not_finite_brush = QBrush(QColor("#ef9a9a"))
        self.op_brush = QBrush(QColor("#ffffff"))
        self.text_brush = QBrush(QColor("#202124"))
        self.unknown_brush = QBrush(QColor("#9e9e9e"))
