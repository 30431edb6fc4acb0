"""While the window runs, an exception in any slot or paint handler shows in its banner.

Qt calls Python slots and paint handlers from C++; an exception there reaches sys.excepthook,
which by default only prints it to a terminal the user may not have. The hook installed here
prints it as before and also tells the window, which says so and carries on.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QObject, Signal

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


class ExceptionReporter(QObject):
    """Installed as sys.excepthook: hands each exception on, then emits it as a message."""

    raised = Signal(str)  # "ValueError: ..."; queued to the GUI thread when raised in another

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._previous: ExceptHook | None = None

    def install(self) -> None:
        """Become sys.excepthook, remembering the hook there now."""
        if self._previous is None:
            self._previous = sys.excepthook
            sys.excepthook = self.report

    def uninstall(self) -> None:
        """Put the remembered hook back, unless another one has replaced ours since."""
        if self._previous is not None and sys.excepthook == self.report:
            sys.excepthook = self._previous
        self._previous = None

    def report(self, kind: type[BaseException], value: BaseException,
               traceback: TracebackType | None) -> None:
        """The previous hook first (Python's own prints the traceback to stderr), then raised."""
        (self._previous or sys.__excepthook__)(kind, value, traceback)
        if not issubclass(kind, KeyboardInterrupt):
            self.raised.emit(f"{kind.__name__}: {value}")
