"""Importing a dataset's CSV file without freezing the window: the file is read and checked on
a thread (playground.core.csv_read), a progress dialog with Cancel appears if that takes a
while, and the points replace the dataset's in the GUI thread, as one undoable edit.

Training and painting go on while the file is read. A bad row, a cancel or closing the window
leaves the dataset as it was: nothing is changed before every row has been read and checked.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog

from playground.core.csv_format import Rows
from playground.core.csv_read import ReadCancelled, read_csv

if TYPE_CHECKING:
    from playground.ui.main_window import MainWindow

SHOW_AFTER_MS = 300  # a quicker import shows no dialog at all


class CsvReadThread(QThread):
    """Reads and checks one CSV file; its signals come from the thread, so Qt queues them to
    the receiver's @Slot methods in the GUI thread."""

    progressed = Signal(int, int)  # lines read, lines in the file
    read = Signal(object)  # the checked Rows
    failed = Signal(str)  # why the file could not be read, naming the line and the column
    cancelled = Signal()  # stopped on request; nothing was read

    def __init__(self, path: str) -> None:
        super().__init__()
        self.setObjectName("csv import")
        self.path = path
        self._stop = threading.Event()

    def cancel(self) -> None:
        """Ask the reader to stop at its next block of lines (from any thread)."""
        self._stop.set()

    def run(self) -> None:
        """Read the file in this thread; end with exactly one of read, failed or cancelled."""
        try:
            rows = read_csv(self.path, self.progressed.emit, self._stop.is_set)
        except ReadCancelled:
            self.cancelled.emit()
        except (OSError, ValueError) as error:  # UnicodeDecodeError is a ValueError
            self.failed.emit(str(error))
        except Exception as error:  # said in the window: a thread never dies silently
            self.failed.emit(f"{type(error).__name__}: {error}")
        else:
            self.read.emit(rows)


class CsvImport(QObject):
    """Imports one CSV file at a time into the window's dataset."""

    finished = Signal(bool)  # an import ended: True if the file's points replaced the dataset

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._thread: CsvReadThread | None = None
        self._path = ""
        self._progress = (0, 0)  # lines read, lines in the file
        self.dialog: QProgressDialog | None = None  # while an import that takes a while runs
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.setInterval(SHOW_AFTER_MS)
        self._show_timer.timeout.connect(self._show_progress)
        self._holding = False  # a question about the window's work is up: results wait
        self._held: list[tuple[Callable[..., None], tuple[Any, ...]]] = []  # (slot, args)

    @contextmanager
    def held(self) -> Iterator[None]:
        """While in it, an import's end (its points, failure or cancel) waits; after it, the
        end is handled unless stop() dropped the import meanwhile. FileMenu.may_discard asks
        about the window's work inside it, so what it asks about stays as it is."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False
            held, self._held = self._held, []
            for slot, args in held:
                slot(*args)

    def start(self, path: str) -> bool:
        """Start reading path; False (and a message) if another import is still running."""
        if self._thread is not None:
            self.window.show_message(
                f"Still importing {os.path.basename(self._path)}: wait for it to finish or "
                f"cancel it before importing {os.path.basename(path)}.")
            return False
        self._path, self._progress = path, (0, 0)
        thread = CsvReadThread(path)
        thread.progressed.connect(self._on_progressed)
        thread.read.connect(self._on_read)
        thread.failed.connect(self._on_failed)
        thread.cancelled.connect(self._on_cancelled)
        self._thread = thread
        thread.start()
        self._show_timer.start()
        return True

    @Slot()
    def cancel(self) -> None:
        """Stop the running import; the dataset stays as it was."""
        if self._thread is not None:
            self._thread.cancel()

    def stop(self) -> None:
        """Cancel the running import and wait for its thread (its points would be replaced or
        the window is closing); a result still on its way, or held, is dropped."""
        thread = self._end()
        if thread is not None:
            thread.cancel()
            thread.wait()

    # ---- from the reading thread ----------------------------------------------------------

    @Slot(int, int)
    def _on_progressed(self, done: int, total: int) -> None:
        self._progress = (done, total)
        if self.dialog is not None:
            self._show_count()

    @Slot(object)
    def _on_read(self, rows: Rows) -> None:
        if self._hold(self._on_read, rows) or not self._ended():
            return
        window = self.window
        try:
            window.dataset.load_rows(rows, self._path)
        except ValueError as error:  # rows the current data cannot take
            window.show_message(f"Could not open the dataset: {error}")
            self.finished.emit(False)
            return
        window.message.hide()
        window.editor.fit_view()
        window.statusBar().showMessage(f"Imported {len(rows.lines):,} points from "
                                       f"{os.path.basename(self._path)}", 5000)
        self.finished.emit(True)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if not self._hold(self._on_failed, message) and self._ended():
            self.window.show_message(f"Could not open the dataset: {message}")
            self.finished.emit(False)

    @Slot()
    def _on_cancelled(self) -> None:
        if not self._hold(self._on_cancelled) and self._ended():
            self.window.statusBar().showMessage(
                f"Import of {os.path.basename(self._path)} cancelled: the points are as they "
                "were", 5000)
            self.finished.emit(False)

    def _hold(self, slot: Callable[..., None], *args: Any) -> bool:
        """True if the import's end must wait (held()): it is kept to be handled after."""
        if self._holding:
            self._held.append((slot, args))
        return self._holding

    def _ended(self) -> bool:
        """The thread sent its last signal: wait for it to leave run() (brief) and forget it;
        False if it was forgotten already (stop() dropped its result)."""
        thread = self._end()
        if thread is None:
            return False
        thread.wait()
        return True

    def _end(self) -> CsvReadThread | None:
        """Forget the running import and close its dialog; the thread, None if there was none."""
        thread, self._thread = self._thread, None
        self._show_timer.stop()
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.canceled.disconnect(self.cancel)
            dialog.hide()
            dialog.deleteLater()  # perhaps called from within its own setValue
        return thread

    # ---- the dialog -----------------------------------------------------------------------

    @Slot()
    def _show_progress(self) -> None:
        """The import takes a while: show how far it is, with Cancel (the window stays drawn
        and training, but takes no input until the import ends)."""
        if self._thread is None:
            return
        dialog = QProgressDialog(self.window)
        dialog.setWindowTitle("Import dataset")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.setCancelButtonText("Cancel")
        dialog.canceled.connect(self.cancel)
        self.dialog = dialog
        dialog.show()
        self._show_count()

    def _show_count(self) -> None:
        """The lines read so far, in the dialog's label and bar.

        A modal QProgressDialog's setValue handles pending events: the import may end in it.
        """
        done, total = self._progress
        name = os.path.basename(self._path)
        self.dialog.setLabelText(f"Reading {name}: {done:,} of {total:,} lines" if total
                                 else f"Reading {name}…")
        self.dialog.setMaximum(max(total, 1))
        self.dialog.setValue(done)
