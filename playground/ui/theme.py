"""Colours shared by the widgets: TensorFlow Playground's orange and blue (colour-blind safe)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

ORANGE = "#f59322"  # class 0, network output -1
BLUE = "#0877bd"  # class 1, network output +1
NEUTRAL = "#e8eaeb"  # network output 0
CLASS_COLORS = (ORANGE, BLUE)
CLASS_NAMES = ("orange", "blue")
# the loss curves and the shape-change marks: Okabe and Ito's colour-blind-safe palette, none
# of them the classes' orange or blue
TRAIN_LOSS_COLOR = "#009e73"  # bluish green
TEST_LOSS_COLOR = "#000000"  # black
MARKER_COLOR = "#cc79a7"  # reddish purple
BANNER_STYLE = ("QFrame#banner { background: #fff3cd; border: 1px solid #e0c060; "
                "border-radius: 3px; } QLabel { color: #664d03; }")
# the heatmap is a washed-out version of the class colours, so the points on top stay readable
HEATMAP_STRENGTH = 0.55


def _wash(color: str, strength: float) -> tuple[int, int, int]:
    """color blended towards white: strength 1 keeps it, 0 gives white."""
    c = QColor(color)
    return tuple(round(255 + (v - 255) * strength) for v in (c.red(), c.green(), c.blue()))


def heatmap_colormap() -> pg.ColorMap:
    """Diverging map over [-1, 1]: orange, near-white, blue."""
    colors = [_wash(ORANGE, HEATMAP_STRENGTH), _wash(NEUTRAL, 1.0), _wash(BLUE, HEATMAP_STRENGTH)]
    return pg.ColorMap(pos=np.array([0.0, 0.5, 1.0]), color=colors)


def heatmap_colors(discrete: bool) -> list[int]:
    """A QImage colour table: 256 0xffRRGGBB over [-1, 1]; two flat colours when discrete."""
    rgb = heatmap_colormap().getLookupTable(0.0, 1.0, 256, alpha=False).astype(np.uint32)
    lut = 0xFF000000 | (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]  # (256,)
    if discrete:
        lut[:128] = lut[0]
        lut[128:] = lut[-1]
    return lut.tolist()
