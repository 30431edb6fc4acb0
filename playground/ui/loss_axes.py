"""The loss plot's axes without Qt: the plausible range of a history, tick places and texts."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

MAX_TICKS = 8  # labelled ticks on any axis, whatever its range
# A training curve starts at its first loss and goes down. An entry more than this many times
# above both the first loss and the lower quartile of the recent ones is a divergence: the y
# axis leaves it out and the plot draws it clipped, with a marker. (A loss that stays high for
# a quarter of the recent points is no longer a spike, and the axis grows to show it.)
PLAUSIBLE_FACTOR = 10.0
RECENT_POINTS = 100  # the points of each curve's end that say what "recent" is
PLAIN_RANGE = (1e-4, 1e5)  # tick values read as plain numbers between these, else as 2e5


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 1.5, 2, 3, 4, 5, 6, 8 times a power of ten that is >= value > 0."""
    power = 10.0 ** np.floor(np.log10(value))
    steps = (1, 1.5, 2, 3, 4, 5, 6, 8, 10)
    return float(next(m * power for m in steps if m * power >= value * (1 - 1e-12)))


def _nice_step(span: float, most: int) -> float:
    """The smallest 1, 2 or 5 times 10^k that cuts span into at most `most` intervals."""
    step = 10.0 ** np.floor(np.log10(span / most))
    return float(next(m * step for m in (1, 2, 5, 10) if span / (m * step) <= most))


def axis_ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Round values from low to high, at most `most` of them, spaced 1, 2 or 5 times 10^k."""
    span = high - low
    if not span > 0:
        return [low]
    step = _nice_step(span, max(most - 1, 1))
    first = np.ceil(low / step - 1e-9) * step
    count = int(np.floor((high - first) / step + 1e-9)) + 1
    digits = max(0, 1 - int(np.floor(np.log10(step))))  # 3 * 0.2 reads 0.6, not 0.6000000000000001
    return [round(float(first + i * step), digits) for i in range(count)]


def decade_ticks(low: float, high: float, most: int = MAX_TICKS) -> list[float]:
    """Whole decades (exponents) from low to high: every one, or every k when there are many."""
    low, high = float(np.ceil(low - 1e-9)), float(np.floor(high + 1e-9))
    if high < low:
        return [low]
    every = 1.0 if high - low + 1 <= most else _nice_step(high - low, most - 1)
    first = np.ceil(low / every - 1e-9) * every
    return [float(v) for v in np.arange(first, high + 0.5, every)]


def tick_label(value: float, log_scale: bool) -> str:
    """A tick's text: 10^value as 1e-3 on the log scale, else the shortest exact form."""
    if log_scale:
        return f"1e{round(value)}"
    if value == 0:
        return "0"  # also for -0.0
    if PLAIN_RANGE[0] <= abs(value) < PLAIN_RANGE[1]:
        return f"{value:g}"
    mantissa, exponent = f"{value:.3e}".split("e")  # ticks are few steps of 1, 2 or 5
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


def lower_quartile(values: np.ndarray) -> float:
    """np.quantile(values, 0.25) for values (N,), N > 0, from a partial sort: np.quantile
    spends 0.7 ms in Python at each redraw, which the training thread waits out."""
    position = 0.25 * (len(values) - 1)
    below = int(position)
    above = min(below + 1, len(values) - 1)
    ordered = np.partition(values, (below, above))
    return float(ordered[below] + (position - below) * (ordered[above] - ordered[below]))


def plausible_ceiling(first: np.ndarray, curves: Sequence[np.ndarray]) -> float:
    """The loss above which an entry counts as diverged (nan when no loss is finite).

    first (series,): each curve's first loss; curves: each curve's drawn losses, oldest first.
    A curve shorter than RECENT_POINTS counts as having stayed at its first loss before it
    began, so a divergence in the first epochs is not what "recent" means.
    """
    recent = [np.concatenate([np.full(max(RECENT_POINTS - len(losses), 0), start),
                              losses[-RECENT_POINTS:]])
              for start, losses in zip(first, curves, strict=True)]  # (RECENT_POINTS,) each
    recent_losses = np.concatenate(recent) if recent else np.empty(0)
    recent_losses = recent_losses[np.isfinite(recent_losses)]
    references = list(first[np.isfinite(first)])
    if len(recent_losses):
        references.append(lower_quartile(recent_losses))
    return PLAUSIBLE_FACTOR * max(references) if references else float("nan")
