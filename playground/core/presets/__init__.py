"""Preset datasets of every problem type, by name: draw(kind, name, ...) gives the same data
for the same arguments.

    binary      circle xor gauss spiral moons rings checkerboard   (two_classes.py)
    classes     blobs spiral yinyang rings checkerboard, k classes  (several_classes.py)
    regression  plane multigauss                                    (values.py)
    function    sin abs square step, or a typed expression          (values.py)
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from playground.core.presets.several_classes import CLASS_GENERATORS, FIXED_CLASSES
from playground.core.presets.two_classes import PRESETS, check_size, generate, make_moons
from playground.core.presets.values import (
    DEFAULT_RANGE,
    EXPRESSION,
    FUNCTION_FORMULAS,
    FUNCTIONS,
    REGRESSION_GENERATORS,
    check_range,
    function_samples,
)
from playground.core.problems import DEFAULT_CLASSES, MAX_CLASSES, MIN_CLASSES, check_kind

PRESETS_BY_KIND: dict[str, tuple[str, ...]] = {
    "binary": PRESETS,
    "classes": tuple(CLASS_GENERATORS),
    "regression": tuple(REGRESSION_GENERATORS),
    "function": tuple(FUNCTIONS),
}
ALL_PRESETS: tuple[str, ...] = tuple(dict.fromkeys(n for names in PRESETS_BY_KIND.values()
                                                   for n in names))
DEFAULT_PRESETS: dict[str, str] = {"binary": "circle", "classes": "blobs",
                                   "regression": "plane", "function": "sin"}


class Drawn(NamedTuple):
    """A preset's data: every array has one row per point."""

    points: np.ndarray  # (N, 2) float64; a function's samples (x, y)
    labels: np.ndarray  # (N,) int64 classes (zeros for the value types)
    values: np.ndarray  # (N,) float64 regression values (zeros for the others)
    n_classes: int  # classes of the labels (2 for binary, 0 for the value types)


def kinds_with(name: str) -> tuple[str, ...]:
    """The problem types that have a preset of this name (spiral and others: several)."""
    return tuple(kind for kind, names in PRESETS_BY_KIND.items() if name in names)


def classes_of(name: str, n_classes: int) -> int:
    """The classes a several-classes preset draws: its own count (yin-yang's 3), or n_classes."""
    return FIXED_CLASSES.get(name, n_classes)


def draw(kind: str, name: str, n_points: int = 200, noise: float = 0.0, seed: int = 0,
         n_classes: int = DEFAULT_CLASSES, expression: str = "",
         x_range: tuple[float, float] = DEFAULT_RANGE) -> Drawn:
    """The data of a preset of a problem type; ValueError for arguments that do not fit.

    n_classes is read by the several-classes presets, expression and x_range by the function
    presets (the expression when name is "expression").
    """
    check_kind(kind)
    names = PRESETS_BY_KIND[kind] + ((EXPRESSION,) if kind == "function" else ())
    if name not in names:
        raise ValueError(f"unknown preset {name!r} for {kind}; choose one of {', '.join(names)}")
    check_size(n_points, noise)
    n = int(n_points)
    zeros, no_labels = np.zeros(n), np.zeros(n, dtype=np.int64)
    if kind == "binary":
        points, labels = generate(name, n, noise, seed)
        return Drawn(points, labels, zeros, 2)
    if kind == "classes":
        k = classes_of(name, n_classes)
        if not MIN_CLASSES <= k <= MAX_CLASSES:
            raise ValueError(f"several classes means {MIN_CLASSES} to {MAX_CLASSES}, got {k!r}")
        points, labels = CLASS_GENERATORS[name](n, float(noise), k, np.random.default_rng(seed))
        return Drawn(points, labels, zeros, k)
    if kind == "regression":
        points, values = REGRESSION_GENERATORS[name](n, float(noise), np.random.default_rng(seed))
        return Drawn(points, no_labels, values, 0)
    points = function_samples(name, expression, n, float(noise), seed, x_range)
    return Drawn(points, no_labels, zeros, 0)


__all__ = ["ALL_PRESETS", "DEFAULT_PRESETS", "DEFAULT_RANGE", "EXPRESSION", "FUNCTION_FORMULAS",
           "PRESETS", "PRESETS_BY_KIND", "Drawn", "check_range", "classes_of", "draw",
           "generate", "kinds_with", "make_moons"]
