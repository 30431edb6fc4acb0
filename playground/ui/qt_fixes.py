"""A guard against a PySide6 bug that would crash the app within a second of drawing.

PySide6-Essentials 6.12.0 hands back ``None`` (from every method returning void, e.g.
``QPainter.setPen``) and ``True`` (from ``Signal.emit``) without taking a reference. From
Python 3.12 on these objects are immortal and nothing happens; on Python 3.11 their reference
counts run down with every call, and after a few hundred calls (one frame of pyqtgraph) the
interpreter aborts with "none_dealloc: deallocating None". PySide6 6.11 does not have the bug.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal

PROBE_CALLS = 16
# far more references than the app can lose: a million calls a second for thirty years
SPARE_REFERENCES = 1 << 50


class _Probe(QObject):
    signal = Signal()


def leaked_singletons() -> list[object]:
    """The singletons (None, True) this PySide6 loses a reference to per call."""
    probe = _Probe()
    leaks = []
    for singleton, call in ((None, probe.deleteLater), (True, probe.signal.emit)):
        before = sys.getrefcount(singleton)
        for _ in range(PROBE_CALLS):
            call()
        if sys.getrefcount(singleton) <= before - PROBE_CALLS:
            leaks.append(singleton)
    return leaks


def guard_singleton_refcounts() -> list[object]:
    """On an affected Python, give each leaked singleton references enough never to run out."""
    if sys.version_info >= (3, 12):
        return []
    leaks = leaked_singletons()
    for singleton in leaks:
        # ob_refcnt is the first field of every object in CPython's (non-debug) layout
        ctypes.c_ssize_t.from_address(id(singleton)).value += SPARE_REFERENCES
    return leaks
