"""The graph out of the window: SVG (QtSvg), PNG and Graphviz DOT, each written atomically."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgGenerator

from playground.core.graph_dot import to_dot
from playground.core.graph_model import ComputationGraph
from playground.ui.graph_view import GraphView

PNG_SCALE = 2.0  # pixels per scene unit: sharp when zoomed into
MAX_PNG_SIDE = 16_000  # pixels; a larger graph is scaled down to fit
EXPORT_FILTERS = {"svg": "SVG pictures (*.svg)", "png": "PNG pictures (*.png)",
                  "dot": "Graphviz DOT (*.dot *.gv)"}


def _atomically(path: str | os.PathLike[str], write: Callable[[str], bool]) -> None:
    """Write to a temporary file beside path, then rename: a failure leaves no half file."""
    target = Path(path)
    temporary = target.with_name(f".{target.name}.part")
    try:
        if not write(str(temporary)):
            raise OSError(f"could not write {target}")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _render(view: GraphView, device, target: QRectF) -> None:
    """Paint the whole scene into device, every text shown."""
    scene = view.scene()
    source = scene.itemsBoundingRect().adjusted(-20, -20, 20, 20)
    detailed = view.texts_visible
    view.set_detail(True, everything=True)
    painter = QPainter(device)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        scene.render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)
    finally:
        painter.end()
        view.set_detail(detailed)


def export_svg(view: GraphView, path: str | os.PathLike[str]) -> None:
    """The graph as an SVG file."""
    source = view.scene().itemsBoundingRect().adjusted(-20, -20, 20, 20)

    def write(name: str) -> bool:
        generator = QSvgGenerator()
        generator.setFileName(name)
        generator.setSize(QSize(round(source.width()), round(source.height())))
        generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
        generator.setTitle("computation graph")
        _render(view, generator, QRectF(0, 0, source.width(), source.height()))
        return Path(name).stat().st_size > 0

    _atomically(path, write)


def export_png(view: GraphView, path: str | os.PathLike[str]) -> None:
    """The graph as a PNG picture on white."""
    source = view.scene().itemsBoundingRect().adjusted(-20, -20, 20, 20)
    scale = min(PNG_SCALE, MAX_PNG_SIDE / max(source.width(), source.height(), 1.0))
    image = QImage(max(1, round(source.width() * scale)), max(1, round(source.height() * scale)),
                   QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    _render(view, image, QRectF(0, 0, image.width(), image.height()))
    _atomically(path, lambda name: image.save(name, "PNG"))


def export_text(text: str, path: str | os.PathLike[str]) -> None:
    """Text (the DOT export) to a file."""
    def write(name: str) -> bool:
        with open(name, "w", encoding="utf-8") as f:
            f.write(text)
        return True

    _atomically(path, write)


def export_graph(view: GraphView, graph: ComputationGraph, grad: np.ndarray, kind: str,
                 path: str | os.PathLike[str]) -> None:
    """The drawing as "svg" or "png", or the graph with these grads as "dot" text."""
    if kind == "dot":
        export_text(to_dot(graph, grad), path)
    elif kind == "svg":
        export_svg(view, path)
    elif kind == "png":
        export_png(view, path)
    else:
        raise ValueError(f"unknown export {kind!r}; choose svg, png or dot")
