"""The decision heatmap and the data points, as plain Qt widgets over the plot's data area.

While training, the heatmap changes 40 times a second and nothing else on the plot does. Inside
pyqtgraph's scene every change made Qt call back into Python dozens of times (bounding boxes,
paint preparation), and each call had to win the interpreter lock back from the training thread.
Here the heatmap and the points are two QLabels over the scene, which let the mouse through to it:
Qt paints and scales them in C++ without the lock, so training runs on meanwhile. The points are
drawn into a picture of their own only when they or the view change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shiboken6
from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

from playground.core.bounds import Bounds
from playground.ui import theme
from playground.ui.painting import painting

POINT_RADIUS = 4.0
# radii of the points sized by their loss, smallest loss first (size steps 1 and up)
LOSS_RADII = (2.5, 3.5, 4.5, 6.0, 7.5, 9.5)
BACKGROUND = "#ffffff"
# Qt keeps widget geometry in ints and refuses sizes past 2^24: a heatmap placed farther out
# than this (a range far from the view's) is hidden until one for the view arrives
MAX_PIXEL = 1_000_000


def sprite_size(radius: float) -> int:
    """Pixels around a point's centre: room for its outline."""
    return round(2 * radius + 4)


RADII = (POINT_RADIUS, *LOSS_RADII)  # of size step 0 (the plain point), 1, 2...


def point_style(size_step: np.ndarray, color: np.ndarray, is_test: np.ndarray,
                n_colors: int) -> np.ndarray:
    """Each point's style index (K,): its size step, its colour index and whether it is a
    test point, as point_sprites orders its sprites."""
    return (size_step * n_colors + color) * 2 + is_test


def loss_steps(losses: np.ndarray) -> np.ndarray:
    """(N,) 1 + the size step of each point's loss (N,) relative to the largest (0: no loss)."""
    largest = np.max(losses, initial=0.0)
    relative = losses / largest if np.isfinite(largest) and largest > 0 else 0 * losses
    steps = np.rint(np.sqrt(np.clip(np.nan_to_num(relative), 0, 1)) * (len(LOSS_RADII) - 1))
    return 1 + steps.astype(np.intp)


@dataclass(frozen=True)
class SpriteAtlas:
    """Every point style's sprite side by side in one picture, to stamp them all in one call."""

    pixmap: QPixmap  # device pixels (its own ratio 1): sprite i at left[i], side[i] square
    sizes: np.ndarray  # (styles,) each sprite's side in the widget's pixels
    left: np.ndarray  # (styles,) where each sprite starts in the atlas, device pixels
    side: np.ndarray  # (styles,) each sprite's side in device pixels
    ratio: float  # device pixels per widget pixel


def point_sprites(ratio: float, colors: Sequence[str], outline: str) -> SpriteAtlas:
    """One antialiased circle per style index (point_style): training filled in an outline's
    ring, test hollow; size step 0 is the plain point, 1 and up the points sized by their loss.

    The points are stamped with these: drawing each circle anew would make a QPointF per point,
    and PySide lets go of the interpreter lock for each, which the training thread then takes.
    """
    styles = [(radius, QColor(name), training) for radius in RADII for name in colors
              for training in (True, False)]
    sizes = np.array([sprite_size(radius) for radius, _, _ in styles])  # (styles,)
    side = np.rint(sizes * ratio).astype(int)  # (styles,)
    left = np.concatenate([[0], np.cumsum(side)[:-1]])  # (styles,)
    atlas = QPixmap(int(side.sum()), int(side.max()))
    atlas.fill(Qt.GlobalColor.transparent)
    with painting(atlas) as painter:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for (radius, color, training), size, x in zip(styles, sizes, left, strict=True):
            if training:  # filled, in an outline's ring
                pen, fill = QPen(QColor(outline), 1.0), color
            else:  # hollow
                pen, fill = QPen(color, 2.0), QColor(255, 255, 255, 200)
            painter.setPen(pen)
            painter.setBrush(fill)
            painter.resetTransform()
            painter.translate(float(x), 0.0)
            painter.scale(ratio, ratio)
            painter.drawEllipse(QPointF(size / 2, size / 2), radius, radius)
    return SpriteAtlas(atlas, sizes, left, side, ratio)


def stamp(painter: QPainter, atlas: SpriteAtlas, left: np.ndarray, top: np.ndarray,
          styles: np.ndarray) -> None:
    """Stamp each style's sprite (K,) with its top left corner at whole pixels (K,), in one
    call: Qt reads the fragments straight from a NumPy array laid out as PixmapFragments."""
    if not len(styles):
        return
    sizes = atlas.sizes[styles]  # (K,)
    fragments = np.empty((len(styles), 10))  # (K, 10), QPainter.PixmapFragment's fields:
    fragments[:, 0] = left + sizes / 2  # x and y of the centre,
    fragments[:, 1] = top + sizes / 2
    fragments[:, 2] = atlas.left[styles]  # the source rectangle in the atlas,
    fragments[:, 3] = 0.0
    fragments[:, 4] = fragments[:, 5] = atlas.side[styles]
    fragments[:, 6] = fragments[:, 7] = 1 / atlas.ratio  # scale, rotation and opacity
    fragments[:, 8] = 0.0
    fragments[:, 9] = 1.0
    first = shiboken6.wrapInstance(fragments.ctypes.data, QPainter.PixmapFragment)
    painter.drawPixmapFragments(first, len(fragments), atlas.pixmap)


class DecisionOverlay(QWidget):
    """Heatmap of the network's output under the dataset's points, over the view's data range.

    The heatmap is shown smoothly scaled from one pixel per grid cell, as TensorFlow Playground
    shows its canvas.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)  # clicks edit below
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(BACKGROUND))
        self.setPalette(palette)
        self.setAutoFillBackground(True)  # where the heatmap does not reach
        # plain QLabels, no Python paintEvent: Qt paints (and scales) them without the
        # interpreter lock, while the training thread runs on
        self.heatmap_label = QLabel(self)
        self.heatmap_label.setScaledContents(True)
        self.points_label = QLabel(self)
        for label in (self.heatmap_label, self.points_label):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.levels: np.ndarray | None = None  # (rows, cols) uint8 levels shown, row 0 on top
        self.shown_points = np.empty((0, 2))  # (K, 2) data coordinates of the points drawn
        self._styles = np.empty(0, dtype=np.intp)  # (K,) style index of each
        self._view = Bounds(0.0, 1.0, 0.0, 1.0)  # the data range the widget spans
        self._heatmap_bounds: Bounds | None = None
        self._image: QImage | None = None  # the levels as an indexed image, reused (set_colors)
        self._image_colors: list[int] | None = None  # its colour table
        self._sprites: SpriteAtlas | None = None  # made for the screen's pixel ratio
        self._point_colors: tuple[str, ...] = theme.CLASS_COLORS[:2]  # colour of each index
        self._outline = "white"  # the ring of a training point

    # ---- what the editor calls -----------------------------------------------------------------

    def set_view(self, geometry: QRect, view: Bounds) -> None:
        """Cover geometry (parent's pixels), which shows the data range view."""
        self._view = view
        self.setGeometry(geometry)
        self._place_heatmap()
        self._draw_points()

    def set_points(self, points: np.ndarray, styles: np.ndarray,
                   colors: Sequence[str] | None = None, outline: str = "white") -> None:
        """Draw these points (K, 2) with style indices (K,) (point_style); colors (if given)
        are each colour index's, outline the ring of a training point."""
        if colors is not None and (tuple(colors), outline) != (self._point_colors, self._outline):
            self._point_colors, self._outline = tuple(colors), outline
            self._sprites = None  # made again below
        self.shown_points, self._styles = points, styles
        self._draw_points()

    def set_levels(self, levels: np.ndarray, bounds: Bounds, colors: list[int]) -> None:
        """Show levels (rows, cols) uint8, row 0 at the top (ymax), over bounds."""
        self.levels = np.ascontiguousarray(levels, dtype=np.uint8)
        if bounds != self._heatmap_bounds:
            self._heatmap_bounds = bounds
            self._place_heatmap()
        self.set_colors(colors)

    def set_colors(self, colors: list[int]) -> None:
        """Colour the levels with this table of 256 0xffRRGGBB colours."""
        if self.levels is None:
            return
        rows, cols = self.levels.shape
        image = self._image
        # one image, written over each frame: making a QImage lets go of the interpreter lock,
        # and the GUI thread then waits for the training thread to give it back (the README's
        # "Why the window is drawn the way it is"); so does converting a colour table
        if image is None or (image.height(), image.width()) != (rows, cols):
            image = self._image = QImage(cols, rows, QImage.Format.Format_Indexed8)
            self._image_colors = None
        if colors is not self._image_colors:
            image.setColorTable(colors)
            self._image_colors = colors
        pixels = np.frombuffer(image.bits(), np.uint8).reshape(rows, image.bytesPerLine())
        pixels[:, :cols] = self.levels
        self.heatmap_label.setPixmap(QPixmap.fromImage(image))  # a copy: the image is reused

    def colors_shown(self) -> np.ndarray:
        """The colour given to every heatmap cell, (rows, cols) uint32 0xffRRGGBB."""
        image = self.heatmap_label.pixmap().toImage().convertToFormat(QImage.Format.Format_RGB32)
        rows, cols = image.height(), image.width()
        return np.frombuffer(image.constBits(), np.uint32).reshape(rows, cols).copy()

    # ---- drawing -------------------------------------------------------------------------------

    def _to_pixels(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Data coordinates to this widget's pixels (y grows downwards)."""
        xmin, xmax, ymin, ymax = self._view
        return ((x - xmin) * (self.width() / (xmax - xmin)),
                (ymax - y) * (self.height() / (ymax - ymin)))

    def _place_heatmap(self) -> None:
        """Where the heatmap's bounds lie in this widget (they lag a change of view a frame)."""
        if self._heatmap_bounds is None:
            return
        xmin, xmax, ymin, ymax = self._heatmap_bounds
        corners = self._to_pixels(np.array([xmin, xmax]), np.array([ymax, ymin]))
        (left, right), (top, bottom) = corners
        placeable = bool(np.all(np.abs(corners) < MAX_PIXEL))  # also False for NaN
        self.heatmap_label.setVisible(placeable)
        if placeable:
            self.heatmap_label.setGeometry(QRectF(left, top, right - left, bottom - top).toRect())

    def _draw_points(self) -> None:
        """Stamp the points into a transparent picture the size of the widget."""
        ratio = self.devicePixelRatioF()
        if self._sprites is None or self._sprites.ratio != ratio:
            self._sprites = point_sprites(ratio, self._point_colors, self._outline)
        layer = QPixmap(max(1, round(self.width() * ratio)), max(1, round(self.height() * ratio)))
        layer.setDevicePixelRatio(ratio)
        layer.fill(Qt.GlobalColor.transparent)
        px, py = self._to_pixels(self.shown_points[:, 0], self.shown_points[:, 1])
        size = self._sprites.sizes[self._styles]  # (K,)
        left, top = px - size / 2, py - size / 2  # (K,) top left of each sprite
        # only sprites that reach into the picture: whole pixels far off it overflow an int
        seen = ((left > -size) & (left < self.width())
                & (top > -size) & (top < self.height()))  # (K,), False for NaN
        with painting(layer) as painter:  # whole pixels, so the sprites stay sharp
            stamp(painter, self._sprites, np.rint(left[seen]), np.rint(top[seen]),
                  self._styles[seen])
        self.points_label.setGeometry(0, 0, self.width(), self.height())
        self.points_label.setPixmap(layer)
