"""Inbox: the messages another thread posts to the training loop, read between two steps."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from typing import Any, NamedTuple


class Message(NamedTuple):
    """A command ("play", "pause"...) or a change ("config", "data"...) and its argument."""

    kind: str
    value: Any = None


class Inbox:
    """Thread-safe messages in the order they were posted.

    A change posted with replace=True takes the place of a waiting message of its kind: a
    dragged slider posts fifty learning rates and the loop applies the last one, once. Commands
    are never merged, so play, step and pause keep their order among the changes.
    """

    def __init__(self) -> None:
        self._ready = threading.Condition()  # its lock guards _messages
        self._messages: list[Message] = []

    def post(self, kind: str, value: Any = None, replace: bool = False,
             merge: Callable[[Any, Any], Any] | None = None) -> None:
        """Add a message (or replace the waiting one of this kind) and wake the reader.

        merge(waiting value, value), given with replace, makes the value that replaces the
        waiting one: two reshapes in a row become one that says what both did.
        """
        with self._ready:
            waiting = [i for i, m in enumerate(self._messages) if m.kind == kind] if replace else []
            if waiting and merge is not None:
                value = merge(self._messages[waiting[0]].value, value)
            message = Message(kind, value)
            if waiting:
                self._messages[waiting[0]] = message
            else:
                self._messages.append(message)
            self._ready.notify()

    def discard(self, kinds: tuple[str, ...]) -> None:
        """Drop the waiting messages of these kinds (changes a newer message supersedes)."""
        with self._ready:
            self._messages = [m for m in self._messages if m.kind not in kinds]

    def take(self) -> list[Message]:
        """Every waiting message, oldest first; the inbox is then empty."""
        with self._ready:
            messages, self._messages = self._messages, []
        return messages

    def wait(self, timeout: float) -> None:
        """Return once a message waits, or after timeout seconds (math.inf: no limit)."""
        with self._ready:
            if not self._messages:
                self._ready.wait(None if math.isinf(timeout) else timeout)

    def __len__(self) -> int:
        """Messages waiting; read without the lock, as the loop's cheap look between steps."""
        return len(self._messages)

    def __repr__(self) -> str:
        return f"Inbox({[m.kind for m in self._messages]})"
