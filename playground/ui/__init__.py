"""The playground's PySide6 + pyqtgraph widgets and its training worker thread."""

from playground.ui.qt_fixes import guard_singleton_refcounts

guard_singleton_refcounts()  # before any widget draws or emits
