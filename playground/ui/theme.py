"""Colours shared by the widgets: TensorFlow Playground's orange and blue (colour-blind safe),
Okabe and Ito's colour-blind-safe palette for more classes, and each problem type's colour
table for the heatmap's levels (their layout is playground/core/shading.py's)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

from playground.core.problems import Problem
from playground.core.shading import (
    BACKGROUND_LEVEL,
    CLASS_NEUTRAL_LEVEL,
    CURVE_LEVELS,
    FAINT_NEGATIVE_LEVEL,
    FAINT_POSITIVE_LEVEL,
    class_level_count,
)

ORANGE = "#f59322"  # class 0, network output -1
BLUE = "#0877bd"  # class 1, network output +1
NEUTRAL = "#e8eaeb"  # network output 0
# classes 0 and 1 keep TensorFlow Playground's orange and blue; the others are Okabe and Ito's
CLASS_COLORS = (ORANGE, BLUE, "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#e69f00", "#000000")
CLASS_NAMES = ("orange", "blue", "green", "purple", "red", "sky", "yellow", "black")
CURVE_COLOR = "#1b2631"  # a function's fitted curve
SAMPLE_COLOR = "#0877bd"  # ... and its samples
VALUE_OUTLINE = "#555555"  # a regression point's ring: its fill may be as pale as the heatmap
# the loss curves and the shape-change marks: Okabe and Ito's colour-blind-safe palette, none
# of them the classes' orange or blue
TRAIN_LOSS_COLOR = "#009e73"  # bluish green
TEST_LOSS_COLOR = "#000000"  # black
MARKER_COLOR = "#cc79a7"  # reddish purple
BANNER_STYLE = ("QFrame#banner { background: #fff3cd; border: 1px solid #e0c060; "
                "border-radius: 3px; } QLabel { color: #664d03; }")
# the heatmap is a washed-out version of the class colours, so the points on top stay readable
HEATMAP_STRENGTH = 0.55
UNSURE_STRENGTH = 0.08  # a class's heatmap colour where the network is undecided
PART_STRENGTH = 0.45  # a function's faint parts
VALUE_BANDS = 10  # a regression heatmap's flat bands with "discretize output"


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


def _argb(rgb: tuple[int, int, int]) -> int:
    return 0xFF000000 | (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]


def class_heatmap_colors(n_classes: int, discrete: bool) -> list[int]:
    """Colour table of k classes: each class's levels from pale (undecided) to its washed
    colour (sure); one flat colour per class when discrete."""
    per_class = class_level_count(n_classes)
    neutral = _argb(_wash(NEUTRAL, 1.0))
    lut = [neutral] * 256
    for c in range(n_classes):
        for i in range(per_class):
            strength = HEATMAP_STRENGTH if discrete else (
                UNSURE_STRENGTH + (HEATMAP_STRENGTH - UNSURE_STRENGTH) * i / (per_class - 1))
            lut[c * per_class + i] = _argb(_wash(CLASS_COLORS[c], strength))
    lut[CLASS_NEUTRAL_LEVEL] = neutral
    return lut


def value_heatmap_colors(discrete: bool) -> list[int]:
    """The diverging table of a regression (as two classes'); flat bands when discrete."""
    lut = heatmap_colors(False)
    if discrete:
        band = 256 / VALUE_BANDS
        lut = [lut[min(255, int((i // band + 0.5) * band))] for i in range(256)]
    return lut


def curve_colors(show_parts: bool) -> list[int]:
    """A function's picture: white, the parts faint by sign (hidden unless show_parts), the
    curve from white to CURVE_COLOR as it covers a pixel."""
    white = _argb((255, 255, 255))
    lut = [white] * 256
    lut[BACKGROUND_LEVEL] = white
    if show_parts:
        lut[FAINT_NEGATIVE_LEVEL] = _argb(_wash(ORANGE, PART_STRENGTH))
        lut[FAINT_POSITIVE_LEVEL] = _argb(_wash(BLUE, PART_STRENGTH))
    first, last = CURVE_LEVELS
    for level in range(first, last + 1):
        lut[level] = _argb(_wash(CURVE_COLOR, (level - first + 1) / (last - first + 1)))
    return lut


def problem_colors(problem: Problem, discrete: bool, show_parts: bool) -> list[int]:
    """The colour table of a problem's heatmap levels."""
    if problem.kind == "classes":
        return class_heatmap_colors(problem.n_classes, discrete)
    if problem.kind == "regression":
        return value_heatmap_colors(discrete)
    if problem.kind == "function":
        return curve_colors(show_parts)
    return heatmap_colors(discrete)


def value_color(fraction: float) -> str:
    """The unwashed diverging colour of a value at fraction 0 (-scale) to 1 (+scale)."""
    colors = [QColor(ORANGE), QColor(NEUTRAL), QColor(BLUE)]
    rgb = pg.ColorMap(pos=np.array([0.0, 0.5, 1.0]), color=[c.getRgb()[:3] for c in colors]
                      ).map(np.array([fraction]), mode="byte")[0]
    return f"#{int(rgb[0]):02x}{int(rgb[1]):02x}{int(rgb[2]):02x}"
