"""One way to paint: a QPainter that is ended whatever the drawing code raises."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtGui import QPaintDevice, QPainter


@contextmanager
def painting(device: QPaintDevice) -> Iterator[QPainter]:
    """A painter on device, ended on the way out even if the drawing raises.

    A painter left active when paint code raises kills the process: once the exception's
    traceback lets go of the device, Qt prints "Cannot destroy paint device that is being
    painted" and crashes.
    """
    painter = QPainter(device)
    try:
        yield painter
    finally:
        painter.end()
