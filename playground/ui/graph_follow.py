"""Following training: hand the inspector the newest drawn weights, at a rate it can afford."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from playground.core.sample_graph import NetworkState

if TYPE_CHECKING:
    from playground.ui.main_window import MainWindow

FOLLOW_INTERVAL_S = 0.1  # while training, new weights are taken at most this often
# ... and less often for a big graph: taking them may hold the interpreter lock (which the
# training thread needs) for at most this fraction of the time
FOLLOW_BUDGET = 0.06


class NetworkFollower(QObject):
    """Calls take(state) with the main window's newest NetworkState, throttled while it trains.

    A frame skipped by the throttle is caught up once the interval is over, so the weights
    training paused at are never missed.
    """

    tick = Signal()  # a frame came while frozen or throttled out: the live line may change

    def __init__(self, window: MainWindow, take: Callable[[NetworkState | None], None]) -> None:
        super().__init__(window)
        self.window = window
        self._take = take
        self.enabled = True  # False: frozen, nothing is taken
        self.active = True  # False while the inspector is hidden or shows the scratchpad
        self._offered: NetworkState | None = None
        self._taken_at = 0.0
        self._interval = FOLLOW_INTERVAL_S
        self._catch_up = QTimer(self)
        self._catch_up.setSingleShot(True)
        self._catch_up.timeout.connect(self._on_catch_up)
        window.frameDrawn.connect(self._on_frame)

    def take_now(self) -> None:
        """Take the newest weights at once (if they are new)."""
        state = self.window.drawn_network()
        if state is self._offered:
            return
        self._offered = state
        start = time.monotonic()
        self._take(state)
        self._taken_at = time.monotonic()
        self._interval = max(FOLLOW_INTERVAL_S, (self._taken_at - start) / FOLLOW_BUDGET)

    @Slot()
    def _on_frame(self) -> None:
        if not self.active:
            return
        wait = self._taken_at + self._interval - time.monotonic()
        if self.window.running and wait > 0:
            if not self._catch_up.isActive():
                self._catch_up.start(max(1, round(wait * 1000)))
            return
        self._catch_up.stop()
        if self.enabled:
            self.take_now()
        else:
            self._taken_at = time.monotonic()
            self.tick.emit()

    @Slot()
    def _on_catch_up(self) -> None:
        self._taken_at = 0.0
        self._on_frame()
