"""Input features: TensorFlow Playground's seven of a point (x1, x2), five of a function's x.

A function of one variable keeps its samples as points (x, y) too: its features read x only
(column 0), since y is the target.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

FeatureFn = Callable[[np.ndarray], np.ndarray]  # points (N, 2) -> values (N,)

FEATURES: dict[str, FeatureFn] = {
    "x1": lambda p: p[:, 0],
    "x2": lambda p: p[:, 1],
    "x1^2": lambda p: p[:, 0] ** 2,
    "x2^2": lambda p: p[:, 1] ** 2,
    "x1*x2": lambda p: p[:, 0] * p[:, 1],
    "sin(x1)": lambda p: np.sin(p[:, 0]),
    "sin(x2)": lambda p: np.sin(p[:, 1]),
    "x": lambda p: p[:, 0],
    "x^2": lambda p: p[:, 0] ** 2,
    "x^3": lambda p: p[:, 0] ** 3,
    "sin(x)": lambda p: np.sin(p[:, 0]),
    "cos(x)": lambda p: np.cos(p[:, 0]),
}

FEATURE_LABELS: dict[str, str] = {
    "x1": "x₁",
    "x2": "x₂",
    "x1^2": "x₁²",
    "x2^2": "x₂²",
    "x1*x2": "x₁x₂",
    "sin(x1)": "sin(x₁)",
    "sin(x2)": "sin(x₂)",
    "x": "x",
    "x^2": "x²",
    "x^3": "x³",
    "sin(x)": "sin(x)",
    "cos(x)": "cos(x)",
}

PLANE_FEATURES: tuple[str, ...] = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
FUNCTION_FEATURES: tuple[str, ...] = ("x", "x^2", "x^3", "sin(x)", "cos(x)")
DEFAULT_PLANE_FEATURES: tuple[str, ...] = ("x1", "x2")
DEFAULT_FUNCTION_FEATURES: tuple[str, ...] = ("x",)
# what a feature of one space means in the other, for switching between the plane and a function
_TO_FUNCTION = {"x1": "x", "x1^2": "x^2", "sin(x1)": "sin(x)"}
_TO_PLANE = {v: k for k, v in _TO_FUNCTION.items()}


def check_features(names: Sequence[str], allowed: Sequence[str] | None = None) -> None:
    """Raise ValueError unless names is a non-empty list of distinct features from allowed
    (default: every known feature)."""
    allowed = FEATURES if allowed is None else allowed
    if len(names) == 0:
        raise ValueError("choose at least one input feature")
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise ValueError(f"unknown feature {unknown[0]!r}; choose from {', '.join(allowed)}")
    if len(set(names)) != len(names):
        raise ValueError(f"features must not repeat: {', '.join(names)}")


def map_features(names: Sequence[str], to_function: bool) -> tuple[str, ...]:
    """The features that mean the same in the other space (x1 -> x, x1^2 -> x^2, sin(x1) ->
    sin(x), and back); the space's defaults if none does."""
    table = _TO_FUNCTION if to_function else _TO_PLANE
    own = FUNCTION_FEATURES if to_function else PLANE_FEATURES
    mapped = tuple(dict.fromkeys(table.get(n, n) for n in names if table.get(n, n) in own))
    return mapped or (DEFAULT_FUNCTION_FEATURES if to_function else DEFAULT_PLANE_FEATURES)


def feature_matrix(points: np.ndarray, names: Sequence[str],
                   dtype: type = np.float64) -> np.ndarray:
    """The network input (N, F): one column per named feature, in the given order."""
    check_features(names)
    points = np.asarray(points, dtype=np.float64).reshape(-1, 2)  # (N, 2)
    out = np.empty((len(points), len(names)), dtype=dtype)  # (N, F)
    for j, name in enumerate(names):
        out[:, j] = FEATURES[name](points)
    return out
