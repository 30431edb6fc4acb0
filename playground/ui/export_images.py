"""Pictures of the plot and the loss chart, as PNG and SVG, written atomically.

The plot is a pyqtgraph PlotWidget with the heatmap and the points in two QLabels laid over
it (decision_overlay.py). pyqtgraph's exporters render the scene only, so they would leave
both out: the widget renders itself instead, children included. In the SVG the plot's axes
and text are vectors, the heatmap and the points (pixmaps on screen) embedded images; the loss
chart's curves are vectors, its axes and legend a picture (loss_plot.py paints them once into
a pixmap, as on screen).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, QSize
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

from playground.core.atomic import write_atomic
from playground.ui.painting import painting

IMAGE_FORMATS = ("png", "svg")


def image_bytes(picture: QImage | QPixmap, fmt: str = "PNG") -> bytes:
    """A picture encoded in an image format Qt writes (PNG, JPG, BMP)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not picture.save(buffer, fmt):
        raise OSError(f"Qt could not encode the picture as {fmt}")
    buffer.close()
    return bytes(data.data())


def svg_bytes(size: QSize, title: str, paint: Callable[[QPainter], None]) -> bytes:
    """An SVG document of this size, drawn by paint(painter)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(size))
    generator.setViewBox(QRect(0, 0, size.width(), size.height()))
    generator.setTitle(title)
    generator.setDescription("made with micrograd playground")
    with painting(generator) as painter:
        paint(painter)
    buffer.close()
    return bytes(data.data())


def widget_svg_bytes(widget: QWidget, title: str) -> bytes:
    """The widget rendered into an SVG document of its size."""
    # QWidget's render, children included (a QGraphicsView's own renders its scene only)
    return svg_bytes(widget.size(), title, lambda painter: QWidget.render(widget, painter,
                                                                           QPoint()))


def save_picture(widget: QWidget, path: str | os.PathLike[str], title: str) -> None:
    """PNG or SVG by the path's suffix, written atomically; ValueError for another suffix."""
    suffix = os.path.splitext(os.fspath(path))[1].lower().lstrip(".")
    if suffix not in IMAGE_FORMATS:
        raise ValueError(f"pictures are saved as {' or '.join(IMAGE_FORMATS)}, not {suffix!r}")
    write_atomic(path, image_bytes(widget.grab()) if suffix == "png"
                 else widget_svg_bytes(widget, title))
