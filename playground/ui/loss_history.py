"""The loss plot's data: every (epoch, train loss, test loss) entry and the envelope drawn of it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from playground.core.envelope import Envelope


class LossHistory:
    """Every (epoch, train loss, test loss) entry, and their envelope, which is what is drawn."""

    def __init__(self) -> None:
        self._columns = np.empty((3, 1024))  # rows: epoch, train loss, test loss
        self.size = 0
        self._envelope = Envelope(2)  # series 0 training, 1 test, over the epoch

    def replace_from(self, start: int, epochs: Sequence[int], train: Sequence[float],
                     test: Sequence[float]) -> None:
        """Overwrite the entries from index start on with the given ones (start 0 restarts)."""
        end = start + len(epochs)
        if end > self._columns.shape[1]:
            grown = np.empty((3, max(end, 2 * self._columns.shape[1])))
            grown[:, :start] = self._columns[:, :start]
            self._columns = grown
        self._columns[:, start:end] = (epochs, train, test)
        if start < self._envelope.size:  # a restart (or entries taken back): draw anew
            self._envelope.clear()
        self.size = end

    def envelope(self) -> Envelope:
        """The envelope of every entry (it takes in new entries only when asked: at a redraw)."""
        start, end = self._envelope.size, self.size
        if end > start:
            self._envelope.extend(self._columns[0, start:end], self._columns[1:, start:end])
        return self._envelope

    def first_losses(self) -> np.ndarray:
        """The training and test loss of the first entry, (2,) (empty without entries)."""
        return self._columns[1:, 0].copy() if self.size else np.empty(0)

    def entry_near(self, epoch: float) -> tuple[int, float, float] | None:
        """The (epoch, train loss, test loss) entry nearest epoch (None without entries)."""
        if not self.size:
            return None
        epochs = self._columns[0, :self.size]  # (size,) increasing
        i = int(np.clip(np.searchsorted(epochs, epoch), 1, self.size - 1)) if self.size > 1 else 0
        if i and abs(epochs[i - 1] - epoch) <= abs(epochs[i] - epoch):
            i -= 1
        return int(epochs[i]), float(self._columns[1, i]), float(self._columns[2, i])
