"""Presets with k classes: Gaussian blobs, a k-arm spiral, yin-yang, rings and a checkerboard.

Each takes (n, noise, k, rng) and gives points in about [-6, 6] with labels 0 to k - 1, as
balanced as n allows. Yin-yang always has three classes (yin, yang and the two dots), as in the
dataset of micrograd's newer teaching demo (Kriener et al.'s yin-yang set).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from playground.core.presets.two_classes import RADIUS, Labels, Points, _polar

ClassGenerator = Callable[[int, float, int, np.random.Generator], tuple[Points, Labels]]
YINYANG_CLASSES = 3
BLOB_RING = 4.0  # the blobs' centres lie on a circle of this radius
YIN_DOT = 0.2  # a dot's radius, as a share of the big circle's (0.1 of 0.5 in the original)


def _balanced_labels(n: int, k: int) -> Labels:
    """0, 1, ..., k - 1, 0, 1... (n,): every class within one point of n / k."""
    return np.arange(n, dtype=np.int64) % k


def blobs(n: int, noise: float, k: int, rng: np.random.Generator) -> tuple[Points, Labels]:
    """k Gaussian blobs around a circle; noise widens them as the two-class gauss does."""
    labels = _balanced_labels(n, k)
    angle = 2 * np.pi * labels / k + np.pi / 4  # (n,) each class's centre, the first top right
    centres = np.column_stack(_polar(np.full(n, BLOB_RING), angle))  # (n, 2)
    variance = 0.3 + noise / 0.5 * 2.0
    return centres + rng.normal(0.0, np.sqrt(variance), (n, 2)), labels


def spiral(n: int, noise: float, k: int, rng: np.random.Generator) -> tuple[Points, Labels]:
    """k interleaved arms, a k-th of a turn apart, each a turn long from the centre out."""
    labels = _balanced_labels(n, k)
    arm = rng.uniform(0.0, 1.0, n)  # (n,) position along the arm, centre 0 to tip 1
    angle = 2 * np.pi * (arm + labels / k)
    x, y = _polar(arm * RADIUS, angle)
    jitter = rng.normal(0.0, 0.1 + noise, (n, 2))  # (n, 2)
    return np.column_stack([x, y]) + jitter, labels


def yinyang(n: int, noise: float, k: int, rng: np.random.Generator) -> tuple[Points, Labels]:
    """Yin (0), yang (1) and the two dots (2) of a yin-yang sign of radius RADIUS.

    Points fall uniformly in the big circle and are kept until each class has its share, so
    the small dots get as many points as the halves; noise reads a point's class at a moved
    position, as TensorFlow Playground's circle does.
    """
    labels = _balanced_labels(n, YINYANG_CLASSES)
    wanted = np.bincount(labels, minlength=YINYANG_CLASSES)  # (3,)
    chosen: list[list[np.ndarray]] = [[] for _ in range(YINYANG_CLASSES)]
    have = np.zeros(YINYANG_CLASSES, dtype=np.int64)
    while (have < wanted).any():
        candidates = rng.uniform(-RADIUS, RADIUS, (max(4 * n, 64), 2))  # (M, 2)
        candidates = candidates[np.hypot(*candidates.T) <= RADIUS]
        moved = candidates + rng.uniform(-1, 1, candidates.shape) * noise * RADIUS * 0.5
        classes = _yinyang_class(moved[:, 0], moved[:, 1])  # (M,)
        for c in range(YINYANG_CLASSES):
            take = candidates[classes == c][:wanted[c] - have[c]]
            chosen[c].append(take)
            have[c] += len(take)
    order = np.argsort(np.argsort(labels, kind="stable"), kind="stable")  # labels' positions
    points = np.concatenate([p for c in range(YINYANG_CLASSES) for p in chosen[c]])  # by class
    return points.reshape(-1, 2)[order], labels


def _yinyang_class(x: np.ndarray, y: np.ndarray) -> Labels:
    """Yin 0, yang 1, dot 2 at (x, y) in a sign of radius RADIUS (0 beyond it, unused)."""
    half = RADIUS / 2  # the small circles' radius and their centres' distance from the middle
    d_upper = np.hypot(x, y - half)  # (N,) from the centre of the upper half's small circle
    d_lower = np.hypot(x, y + half)
    dot = (d_upper <= YIN_DOT * RADIUS) | (d_lower <= YIN_DOT * RADIUS)
    # yang: the right half bulging into the left above, yielding to yin below
    yang = ((x > 0) & (d_lower > half)) | (d_upper <= half)
    return np.where(dot, 2, np.where(yang, 1, 0)).astype(np.int64)


def rings(n: int, noise: float, k: int, rng: np.random.Generator) -> tuple[Points, Labels]:
    """k concentric rings from the centre out, ring c of class c."""
    labels = _balanced_labels(n, k)
    width = RADIUS / k
    r = width * (labels + 0.5) + rng.uniform(-0.3, 0.3, n) * width
    r = r + rng.normal(0.0, width * noise, n)
    x, y = _polar(np.abs(r), rng.uniform(0, 2 * np.pi, n))
    return np.column_stack([x, y]), labels


def checkerboard(n: int, noise: float, k: int, rng: np.random.Generator) -> tuple[Points, Labels]:
    """A 4 x 4 board of 2.5-wide squares, square (i, j) of class (i + j) mod k."""
    xy = rng.uniform(-RADIUS, RADIUS, (n, 2))  # (n, 2)
    noisy = xy + rng.uniform(-RADIUS, RADIUS, (n, 2)) * noise * 0.5
    cell = np.floor(noisy / 2.5).astype(np.int64) + 2  # (n, 2), 0 to 3 inside the board
    return xy, (cell[:, 0] + cell[:, 1]) % k


CLASS_GENERATORS: dict[str, ClassGenerator] = {
    "blobs": blobs,
    "spiral": spiral,
    "yinyang": yinyang,
    "rings": rings,
    "checkerboard": checkerboard,
}
FIXED_CLASSES: dict[str, int] = {"yinyang": YINYANG_CLASSES}  # presets with their own count
