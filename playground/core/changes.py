"""PendingChanges: edits posted by the window, applied by the worker between two steps.

Only the latest value of each kind is kept, so a dragged slider posts many values and the
worker applies the last one once.
"""

from __future__ import annotations

import threading
from typing import Any

from playground.core.dataset import DatasetSnapshot
from playground.core.session import TrainingSession
from playground.core.spec import NetworkSpec, TrainingConfig

# the order the worker applies them in: data and shape first, so a reset sees them all
KINDS: tuple[str, ...] = ("data", "spec", "config", "reset")


class PendingChanges:
    """A thread-safe latest-value-per-kind mailbox between the GUI thread and the worker."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: dict[str, Any] = {}

    def post_data(self, snapshot: DatasetSnapshot) -> None:
        """Train on this data from the next step."""
        self._post("data", snapshot)

    def post_spec(self, spec: NetworkSpec) -> None:
        """Reshape the network (keeping unchanged weights) before the next step."""
        self._post("spec", spec)

    def post_config(self, config: TrainingConfig) -> None:
        """Use this learning rate, batch size, optimizer... from the next step."""
        self._post("config", config)

    def post_reset(self) -> None:
        """Start over with fresh weights before the next step."""
        self._post("reset", True)

    @property
    def empty(self) -> bool:
        """True when nothing is waiting (a cheap check for every step)."""
        return not self._pending

    def latest(self) -> dict[str, Any]:
        """A copy of what is pending, by kind ("reset" maps to True), without applying it."""
        with self._lock:
            return dict(self._pending)

    def apply_to(self, session: TrainingSession) -> tuple[str, ...]:
        """Apply and forget everything pending, in KINDS order; returns the kinds applied."""
        with self._lock:
            pending, self._pending = self._pending, {}
        if "data" in pending:
            session.set_data(pending["data"])
        if "spec" in pending:
            session.set_spec(pending["spec"])
        if "config" in pending:
            session.set_config(pending["config"])
        if "reset" in pending:
            session.reset()
        return tuple(kind for kind in KINDS if kind in pending)

    def _post(self, kind: str, value: Any) -> None:
        """Replace any pending value of this kind."""
        with self._lock:
            self._pending[kind] = value
