"""EventEmitter: a tiny Qt-free callback list, so core objects can announce changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Callback = Callable[..., Any]


class EventEmitter:
    """Callbacks called in connection order with the arguments given to emit()."""

    def __init__(self) -> None:
        self._callbacks: list[Callback] = []

    def connect(self, fn: Callback) -> None:
        """Call fn on every emit (once, however often it is connected)."""
        if fn not in self._callbacks:
            self._callbacks.append(fn)

    def disconnect(self, fn: Callback) -> None:
        """Stop calling fn; ValueError if it was not connected."""
        self._callbacks.remove(fn)

    def emit(self, *args: Any) -> None:
        """Call every connected callback with args."""
        # iterate over a copy so a callback may disconnect itself
        for fn in list(self._callbacks):
            fn(*args)

    def __repr__(self) -> str:
        return f"EventEmitter({len(self._callbacks)} callbacks)"
