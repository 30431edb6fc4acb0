"""Presets with values: TensorFlow Playground's regression sets, and functions of one variable.

Regression presets take (n, noise, rng) and give points in [-6, 6] with a value in [-1, 1]
each, read at a position moved by the noise (as TensorFlow Playground does). A function's
samples are points (x, y): x uniform over the range, y = f(x) plus Gaussian noise of standard
deviation ``noise``; f is a preset (sin, abs, square, step) or a typed expression.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from playground.core.expression import parse_function

Points = np.ndarray  # (N, 2) float64
Values = np.ndarray  # (N,) float64
ValueGenerator = Callable[[int, float, np.random.Generator], tuple[Points, Values]]
PLANE_RADIUS = 6.0  # TensorFlow Playground's regression sets fill [-6, 6] squared
# TensorFlow Playground's multi-gaussian: centres and signs of six bumps
GAUSSIANS = ((-4.0, 2.5, 1.0), (0.0, 2.5, -1.0), (4.0, 2.5, 1.0),
             (-4.0, -2.5, -1.0), (0.0, -2.5, 1.0), (4.0, -2.5, -1.0))
DEFAULT_RANGE = (-math.pi, math.pi)  # of a function's x


def _uniform_with_moved(n: int, noise: float,
                        rng: np.random.Generator) -> tuple[Points, Points]:
    """Points uniform in the square, and the positions their values are read at."""
    points = rng.uniform(-PLANE_RADIUS, PLANE_RADIUS, (n, 2))  # (n, 2)
    moved = points + rng.uniform(-PLANE_RADIUS, PLANE_RADIUS, (n, 2)) * noise
    return points, moved


def plane(n: int, noise: float, rng: np.random.Generator) -> tuple[Points, Values]:
    """A tilted plane: value (x + y) / 10, from -1 at the bottom left to +1 at the top right
    (of [-5, 5] squared)."""
    points, moved = _uniform_with_moved(n, noise, rng)
    return points, np.clip((moved[:, 0] + moved[:, 1]) / 10.0, -1.0, 1.0)


def multigauss(n: int, noise: float, rng: np.random.Generator) -> tuple[Points, Values]:
    """Six bumps of value +1 or -1, falling to 0 at a distance of 2 from their centres; each
    point takes the strongest bump's value."""
    points, moved = _uniform_with_moved(n, noise, rng)
    best = np.zeros(n)
    for cx, cy, sign in GAUSSIANS:
        value = sign * np.clip(1.0 - np.hypot(moved[:, 0] - cx, moved[:, 1] - cy) / 2.0, 0, 1)
        best = np.where(np.abs(value) > np.abs(best), value, best)
    return points, best


REGRESSION_GENERATORS: dict[str, ValueGenerator] = {"plane": plane, "multigauss": multigauss}


def _step(x: np.ndarray) -> np.ndarray:
    """0 left of x = 0, 1 from there on."""
    return (x >= 0).astype(np.float64)


FUNCTIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sin": np.sin,
    "abs": np.abs,
    "square": np.square,
    "step": _step,
}
# the presets that are formulas the parser reads too (a step is not: it has no comparisons)
FUNCTION_FORMULAS: dict[str, str] = {"sin": "sin(x)", "abs": "abs(x)", "square": "x**2"}
EXPRESSION = "expression"  # the function preset whose formula is typed


def check_range(x_range: tuple[float, float]) -> tuple[float, float]:
    """(low, high) as floats; ValueError unless both are finite and low < high."""
    try:
        low, high = (float(v) for v in x_range)
    except (TypeError, ValueError):
        raise ValueError(f"the range must be two numbers, low and high, got {x_range!r}") \
            from None
    if not (math.isfinite(low) and math.isfinite(high)) or low >= high:
        raise ValueError(f"the range needs finite numbers with low < high, got {low:g}, {high:g}")
    return low, high


def function_samples(name: str, expression: str, n: int, noise: float, seed: int,
                     x_range: tuple[float, float]) -> Points:
    """Samples (n, 2) of y = f(x) + noise: f a preset of FUNCTIONS, or the typed expression
    when name is EXPRESSION.

    Raises ExpressionError (a ValueError pointing at the bad part) for an expression that is
    refused, and ValueError where f is not a finite number on the range.
    """
    low, high = check_range(x_range)
    rng = np.random.default_rng(seed)
    x = rng.uniform(low, high, n)  # (n,)
    if name == EXPRESSION:
        evaluation = parse_function(expression).evaluate_on(x)
        if evaluation.message:
            raise ValueError(f"{evaluation.message}: choose a range where it is defined")
        y = evaluation.values
    else:
        y = FUNCTIONS[name](x)
    return np.column_stack([x, y + rng.normal(0.0, 1.0, n) * noise])
