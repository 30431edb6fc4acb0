"""The graph out of the window: SVG (QtSvg), PNG and Graphviz DOT, each written atomically
(core.atomic, as every file the app writes)."""

from __future__ import annotations

import os

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter

from playground.core.atomic import write_atomic
from playground.core.graph_dot import to_dot
from playground.core.graph_model import ComputationGraph
from playground.ui.export_images import image_bytes, svg_bytes
from playground.ui.graph_view import GraphView
from playground.ui.painting import painting

PNG_SCALE = 2.0  # pixels per scene unit: sharp when zoomed into
MAX_PNG_SIDE = 16_000  # pixels; a larger graph is scaled down to fit
EXPORT_FILTERS = {"svg": "SVG pictures (*.svg)", "png": "PNG pictures (*.png)",
                  "dot": "Graphviz DOT (*.dot *.gv)"}


def _render(view: GraphView, painter: QPainter, target: QRectF) -> None:
    """Paint the whole scene with painter into target, every text shown."""
    scene = view.scene()
    source = scene.itemsBoundingRect().adjusted(-20, -20, 20, 20)
    detailed = view.texts_visible
    view.set_detail(True, everything=True)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        scene.render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)
    finally:
        view.set_detail(detailed)


def export_svg(view: GraphView, path: str | os.PathLike[str]) -> None:
    """The graph as an SVG file."""
    source = view.scene().itemsBoundingRect().adjusted(-20, -20, 20, 20)
    size = QSize(round(source.width()), round(source.height()))
    write_atomic(path, svg_bytes(size, "computation graph", lambda painter: _render(
        view, painter, QRectF(0, 0, source.width(), source.height()))))


def export_png(view: GraphView, path: str | os.PathLike[str]) -> None:
    """The graph as a PNG picture on white."""
    source = view.scene().itemsBoundingRect().adjusted(-20, -20, 20, 20)
    scale = min(PNG_SCALE, MAX_PNG_SIDE / max(source.width(), source.height(), 1.0))
    image = QImage(max(1, round(source.width() * scale)), max(1, round(source.height() * scale)),
                   QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    with painting(image) as painter:
        _render(view, painter, QRectF(0, 0, image.width(), image.height()))
    write_atomic(path, image_bytes(image))


def export_graph(view: GraphView, graph: ComputationGraph, grad: np.ndarray, kind: str,
                 path: str | os.PathLike[str]) -> None:
    """The drawing as "svg" or "png", or the graph with these grads as "dot" text."""
    if kind == "dot":
        write_atomic(path, to_dot(graph, grad))
    elif kind == "svg":
        export_svg(view, path)
    elif kind == "png":
        export_png(view, path)
    else:
        raise ValueError(f"unknown export {kind!r}; choose svg, png or dot")
