"""Envelope: the lowest and highest value per bucket of a growing series, for drawing it.

A loss curve gains an entry per epoch, hundreds a second, and the plot shows all of them. Drawn
as is, every redraw would walk the whole history; an envelope keeps at most ``max_buckets``
buckets of ``bucket_size`` entries each, takes new entries a few at a time, and doubles the bucket
size (merging neighbours) when it fills. A spike survives, since each bucket keeps its extremes.
Entries that are not finite (an empty split's nan, an overflowing loss) are left out of their
bucket; a bucket of nothing else is NaN, a gap in the curve.
"""

from __future__ import annotations

import numpy as np

# each bucket is drawn as two points; NumPy lets go of the interpreter lock in calls on more than
# 500 elements, and in the GUI thread each such call waits to get it back from the training thread
MAX_BUCKETS = 200


class Envelope:
    """Per-bucket min and max of several series sharing one x axis (x: bucket's first x)."""

    def __init__(self, n_series: int, max_buckets: int = MAX_BUCKETS) -> None:
        if max_buckets < 2 or max_buckets % 2:
            raise ValueError(f"max_buckets must be even and >= 2, got {max_buckets}")
        self.n_series = n_series
        self.max_buckets = max_buckets
        self.clear()

    def clear(self) -> None:
        """Forget every entry."""
        self.size = 0  # entries taken since the last clear
        self.bucket_size = 1
        self._x = np.empty(0)  # (buckets,) first x of each complete bucket
        self._lo = np.empty((self.n_series, 0))  # (series, buckets)
        self._hi = np.empty((self.n_series, 0))
        self._open = 0  # entries in the open (incomplete) bucket after the complete ones
        self._open_x = np.nan
        self._open_lo = np.full(self.n_series, np.nan)  # (series,)
        self._open_hi = np.full(self.n_series, np.nan)

    def extend(self, x: np.ndarray, ys: np.ndarray) -> None:
        """Append entries: x (m,) and ys (series, m), in order."""
        x = np.asarray(x, dtype=np.float64)
        ys = np.asarray(ys, dtype=np.float64).reshape(self.n_series, len(x))
        ys = np.where(np.isfinite(ys), ys, np.nan)
        self.size += len(x)
        while len(x):
            if self._open == 0 and len(x) >= self.bucket_size:
                x, ys = self._take_whole_buckets(x, ys)
            else:
                x, ys = self._fill_open_bucket(x, ys)

    def points(self, series: int) -> tuple[np.ndarray, np.ndarray]:
        """The series to draw: (x, y), two points (min then max) per bucket, one per entry
        while buckets hold one entry each."""
        lo, hi, x = self._lo[series], self._hi[series], self._x
        if self._open:
            lo, hi = np.append(lo, self._open_lo[series]), np.append(hi, self._open_hi[series])
            x = np.append(x, self._open_x)
        if self.bucket_size == 1:
            return x, lo
        return np.repeat(x, 2), np.column_stack([lo, hi]).ravel()  # (2 * buckets,) each

    def last_x(self) -> float:
        """The x of the newest bucket (nan if empty)."""
        if self._open:
            return float(self._open_x)
        return float(self._x[-1]) if len(self._x) else float("nan")

    def extremes(self) -> tuple[float, float]:
        """The lowest and highest value of every series (nan, nan if there is none)."""
        low, high = _fmin(self._lo.ravel(), axis=0), _fmax(self._hi.ravel(), axis=0)
        if self._open:
            low = np.fmin(low, _fmin(self._open_lo, axis=0))
            high = np.fmax(high, _fmax(self._open_hi, axis=0))
        return float(low), float(high)

    # ---- internals --------------------------------------------------------------------------

    def _take_whole_buckets(self, x: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Close as many whole buckets as x holds; the rest is returned."""
        k = self.bucket_size
        n = len(x) // k
        block = ys[:, :n * k].reshape(self.n_series, n, k)  # (series, buckets, k)
        self._append(x[:n * k:k], _fmin(block, axis=2), _fmax(block, axis=2))
        return x[n * k:], ys[:, n * k:]

    def _fill_open_bucket(self, x: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Put entries into the open bucket until it is full; the rest is returned."""
        take = min(self.bucket_size - self._open, len(x))
        if self._open == 0:
            self._open_x = x[0]
            self._open_lo = _fmin(ys[:, :take], axis=1)
            self._open_hi = _fmax(ys[:, :take], axis=1)
        else:
            self._open_lo = np.fmin(self._open_lo, _fmin(ys[:, :take], axis=1))
            self._open_hi = np.fmax(self._open_hi, _fmax(ys[:, :take], axis=1))
        self._open += take
        if self._open == self.bucket_size:
            self._open = 0
            self._append(np.array([self._open_x]), self._open_lo[:, None], self._open_hi[:, None])
        return x[take:], ys[:, take:]

    def _append(self, x: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> None:
        """Add complete buckets; merge neighbours while there are too many."""
        self._x = np.concatenate([self._x, x])
        self._lo = np.concatenate([self._lo, lo], axis=1)
        self._hi = np.concatenate([self._hi, hi], axis=1)
        while len(self._x) > self.max_buckets:
            self._merge_pairs()

    def _merge_pairs(self) -> None:
        """Double the bucket size: neighbours merge, an odd last bucket reopens."""
        n = len(self._x)
        if n % 2:  # the last complete bucket and any open entries after it: the new open one
            lo, hi = self._lo[:, -1], self._hi[:, -1]  # (series,) each
            if self._open:
                lo, hi = np.fmin(lo, self._open_lo), np.fmax(hi, self._open_hi)
            self._open += self.bucket_size  # still fewer than the doubled size
            self._open_x, self._open_lo, self._open_hi = self._x[-1], lo.copy(), hi.copy()
            n -= 1
        pairs = n // 2
        self._x = self._x[:n:2]
        self._lo = _fmin(self._lo[:, :n].reshape(self.n_series, pairs, 2), axis=2)
        self._hi = _fmax(self._hi[:, :n].reshape(self.n_series, pairs, 2), axis=2)
        self.bucket_size *= 2

    def __repr__(self) -> str:
        return (f"Envelope({self.size} entries in {len(self._x)} buckets of "
                f"{self.bucket_size}, {self.n_series} series)")


def _fmin(a: np.ndarray, axis: int) -> np.ndarray:
    """Minimum along axis ignoring NaN (NaN where all are NaN or there is none)."""
    return np.fmin.reduce(a, axis=axis, initial=np.nan)  # NaN is fmin's identity


def _fmax(a: np.ndarray, axis: int) -> np.ndarray:
    """Maximum along axis ignoring NaN (NaN where all are NaN or there is none)."""
    return np.fmax.reduce(a, axis=axis, initial=np.nan)
