"""Two-class presets: TensorFlow Playground's shapes, micrograd's two moons, and a few more.

Every generator draws from one seeded ``np.random.Generator``, so a (name, n_points, noise,
seed) tuple always gives the same points. Coordinates lie in about [-6, 6] like TensorFlow
Playground; ``noise`` runs from 0 to 0.5 (its 0-50% slider).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from playground.core.limits import ACCEPTED

Points = np.ndarray  # (N, 2) float64
Labels = np.ndarray  # (N,) int64 in {0, 1}
Generator = Callable[[int, float, np.random.Generator], tuple[Points, Labels]]

RADIUS = 5.0  # TensorFlow Playground's radius of the circle and half-width of the square data


def _stack(x: np.ndarray, y: np.ndarray, positive: np.ndarray) -> tuple[Points, Labels]:
    """Pack coordinates and a boolean class mask into (points, labels)."""
    return np.column_stack([x, y]).astype(np.float64), positive.astype(np.int64)


def _polar(r: np.ndarray, angle: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x = r sin(angle), y = r cos(angle), TensorFlow Playground's orientation."""
    return r * np.sin(angle), r * np.cos(angle)


def circle(n: int, noise: float, rng: np.random.Generator) -> tuple[Points, Labels]:
    """A disc of class 1 inside a ring of class 0; noise flips labels near the gap."""
    n_inside = n // 2
    r = np.concatenate([rng.uniform(0, RADIUS * 0.5, n_inside),
                        rng.uniform(RADIUS * 0.7, RADIUS, n - n_inside)])  # (n,)
    x, y = _polar(r, rng.uniform(0, 2 * np.pi, n))
    # as in TensorFlow Playground, the label is read at a jittered position, the point is not moved
    jitter = rng.uniform(-RADIUS, RADIUS, (n, 2)) * noise  # (n, 2)
    inside = np.hypot(x + jitter[:, 0], y + jitter[:, 1]) < RADIUS * 0.5
    return _stack(x, y, inside)


def xor(n: int, noise: float, rng: np.random.Generator) -> tuple[Points, Labels]:
    """Four quadrants: class 1 where x and y have the same sign."""
    xy = rng.uniform(-RADIUS, RADIUS, (n, 2))  # (n, 2)
    xy += np.where(xy > 0, 0.3, -0.3)  # a small gap along the axes
    jitter = rng.uniform(-RADIUS, RADIUS, (n, 2)) * noise  # (n, 2)
    noisy = xy + jitter
    return _stack(xy[:, 0], xy[:, 1], noisy[:, 0] * noisy[:, 1] >= 0)


def gauss(n: int, noise: float, rng: np.random.Generator) -> tuple[Points, Labels]:
    """Two Gaussian blobs at (2, 2) (class 1) and (-2, -2) (class 0); noise widens them."""
    variance = 0.5 + noise / 0.5 * 3.5  # TensorFlow Playground maps noise 0..0.5 to 0.5..4
    n_pos = n // 2
    centers = np.where(np.arange(n)[:, None] < n_pos, 2.0, -2.0)  # (n, 1)
    xy = centers + rng.normal(0.0, np.sqrt(variance), (n, 2))  # (n, 2)
    return _stack(xy[:, 0], xy[:, 1], np.arange(n) < n_pos)


def spiral(n: int, noise: float, rng: np.random.Generator) -> tuple[Points, Labels]:
    """Two interleaved spiral arms, half a turn apart."""
    n_pos = n // 2
    arm = np.concatenate([np.arange(n_pos) / max(n_pos, 1),
                          np.arange(n - n_pos) / max(n - n_pos, 1)])  # (n,) position along the arm
    positive = np.arange(n) < n_pos
    t = 1.75 * arm * 2 * np.pi + np.where(positive, 0.0, np.pi)
    x, y = _polar(arm * RADIUS, t)
    jitter = rng.uniform(-1, 1, (n, 2)) * noise  # (n, 2)
    return _stack(x + jitter[:, 0], y + jitter[:, 1], positive)


def make_moons(n: int, noise: float, rng: np.random.Generator) -> tuple[Points, Labels]:
    """sklearn's make_moons in its own units, shuffled: micrograd's demo data.

    The outer moon is class 0, the inner moon class 1, as in sklearn.
    """
    n_outer = n // 2
    outer = np.linspace(0, np.pi, n_outer)
    inner = np.linspace(0, np.pi, n - n_outer)
    points = np.concatenate([np.c_[np.cos(outer), np.sin(outer)],
                             np.c_[1 - np.cos(inner), 0.5 - np.sin(inner)]])  # (n, 2)
    labels = np.r_[np.zeros(n_outer, np.int64), np.ones(n - n_outer, np.int64)]  # (n,)
    points += rng.normal(scale=noise, size=points.shape)
    order = rng.permutation(n)
    return points[order], labels[order]


def moons(n: int, noise: float, rng: np.random.Generator) -> tuple[Points, Labels]:
    """make_moons scaled by 4 and centred: x in [-6, 6]."""
    points, labels = make_moons(n, noise, rng)
    return (points - [0.5, 0.25]) * 4.0, labels


def rings(n: int, noise: float, rng: np.random.Generator) -> tuple[Points, Labels]:
    """Four concentric rings 1.5 apart alternating class 1, 0, 1, 0 from the centre out."""
    ring = rng.integers(0, 4, n)  # (n,) which ring
    r = 0.75 + 1.5 * ring + rng.uniform(-0.5, 0.5, n) + rng.normal(0.0, 1.5 * noise, n)
    x, y = _polar(np.abs(r), rng.uniform(0, 2 * np.pi, n))
    return _stack(x, y, ring % 2 == 0)


def checkerboard(n: int, noise: float, rng: np.random.Generator) -> tuple[Points, Labels]:
    """A 4x4 board of 2.5-wide squares; noise flips labels near the edges as in xor."""
    xy = rng.uniform(-RADIUS, RADIUS, (n, 2))  # (n, 2)
    noisy = xy + rng.uniform(-RADIUS, RADIUS, (n, 2)) * noise * 0.5
    cell = np.floor(noisy / 2.5).astype(np.int64)  # (n, 2)
    return _stack(xy[:, 0], xy[:, 1], (cell[:, 0] + cell[:, 1]) % 2 == 0)


GENERATORS: dict[str, Generator] = {
    "circle": circle,
    "xor": xor,
    "gauss": gauss,
    "spiral": spiral,
    "moons": moons,
    "rings": rings,
    "checkerboard": checkerboard,
}
PRESETS: tuple[str, ...] = tuple(GENERATORS)


def check_size(n_points: float, noise: float) -> None:
    """Raise ValueError unless n_points is a whole number >= 0 and noise within 0-0.5."""
    if int(n_points) != n_points or n_points < ACCEPTED.points[0]:
        raise ValueError(f"n_points must be a whole number >= {ACCEPTED.points[0]}, "
                         f"got {n_points!r}")
    low, high = ACCEPTED.noise
    if not low <= noise <= high:
        raise ValueError(f"noise must be between {low:g} and {high:g}, got {noise!r}")


def generate(name: str, n_points: int = 200, noise: float = 0.0,
             seed: int = 0) -> tuple[Points, Labels]:
    """Points (N, 2) float64 and labels (N,) int in {0, 1} of a preset, the same for a seed."""
    if name not in GENERATORS:
        raise ValueError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
    check_size(n_points, noise)
    return GENERATORS[name](int(n_points), float(noise), np.random.default_rng(seed))
