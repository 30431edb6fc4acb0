"""Input features computed from a point (x1, x2), TensorFlow Playground's seven toggles."""

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
}

FEATURE_LABELS: dict[str, str] = {
    "x1": "x₁",
    "x2": "x₂",
    "x1^2": "x₁²",
    "x2^2": "x₂²",
    "x1*x2": "x₁x₂",
    "sin(x1)": "sin(x₁)",
    "sin(x2)": "sin(x₂)",
}


def check_features(names: Sequence[str]) -> None:
    """Raise ValueError unless names is a non-empty list of distinct known features."""
    if len(names) == 0:
        raise ValueError("choose at least one input feature")
    unknown = [n for n in names if n not in FEATURES]
    if unknown:
        raise ValueError(f"unknown feature {unknown[0]!r}; choose from {', '.join(FEATURES)}")
    if len(set(names)) != len(names):
        raise ValueError(f"features must not repeat: {', '.join(names)}")


def feature_matrix(points: np.ndarray, names: Sequence[str],
                   dtype: type = np.float64) -> np.ndarray:
    """The network input (N, F): one column per named feature, in the given order."""
    check_features(names)
    points = np.asarray(points, dtype=np.float64).reshape(-1, 2)  # (N, 2)
    out = np.empty((len(points), len(names)), dtype=dtype)  # (N, F)
    for j, name in enumerate(names):
        out[:, j] = FEATURES[name](points)
    return out
