"""Importing a CSV file through the window in tests: the file is read on a thread, so a test
waits for the import to end."""

from __future__ import annotations

IMPORT_TIMEOUT_MS = 30_000


def import_csv(qtbot, window, path) -> bool:
    """Start importing path and wait until it ends; True if its points replaced the dataset."""
    with qtbot.waitSignal(window.csv_import.finished, timeout=IMPORT_TIMEOUT_MS) as blocker:
        assert window.open_dataset(str(path))
    return blocker.args[0]
