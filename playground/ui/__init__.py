"""The playground's PySide6 + pyqtgraph widgets and its training worker thread."""
