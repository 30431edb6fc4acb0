"""Autosave and recovery: unsaved work is written to the data folder every 30 s and on exit.

Each running window owns one autosave file, `autosave-<pid>.json`, and holds a QLockFile
beside it while it runs. A file whose lock can be taken at start belongs to a window that did
not close normally (killed, crashed): the next start offers to restore it. The window only
asks the training thread for the session's state (a few ms); encoding and the atomic write run
on a plain writer thread, joined before the window goes.
"""

from __future__ import annotations

import datetime
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QTimer

from playground.core.atomic import write_atomic
from playground.core.workspace import Workspace, WorkspaceError, encode, load
from playground.ui.settings import data_folder

AUTOSAVE_INTERVAL_MS = 30_000
PREFIX = "autosave-"
# a lock older than this counts as stale even if its owner runs (QLockFile needs a time; a dead
# owner frees its lock at once): the longest a QLockFile takes, 24 days
LOCK_STALE_MS = 2**31 - 1


@dataclass
class Orphan:
    """An autosave left by a window that did not close normally."""

    path: Path
    lock: QLockFile  # held while it is offered, so two starts do not both take it
    workspace: Workspace | None  # None if it could not be read
    problem: str = ""  # why not

    def saved_at(self) -> str:
        """When it was written, as a person reads it."""
        info = self.workspace.autosave if self.workspace is not None else None
        stamp = info.saved_at if info is not None else None
        try:
            when = datetime.datetime.fromisoformat(stamp) if stamp else None
        except ValueError:
            when = None
        if when is None:
            when = datetime.datetime.fromtimestamp(self.path.stat().st_mtime).astimezone()
        return when.astimezone().strftime("%H:%M on %d %B %Y")

    def forget(self) -> None:
        """Delete the autosave and its lock."""
        self.path.unlink(missing_ok=True)
        self.lock.unlock()

    def set_aside(self) -> Path:
        """Keep an unreadable autosave under another name, out of the way; its new path."""
        corrupt = self.path.with_suffix(".json.unreadable")
        os.replace(self.path, corrupt)
        self.lock.unlock()
        return corrupt


def find_orphans(folder: Path | None = None) -> list[Orphan]:
    """Autosaves of windows that are gone, newest first (each with its lock taken)."""
    folder = folder or data_folder()
    orphans = []
    for path in sorted(folder.glob(f"{PREFIX}*.json"), key=lambda p: p.stat().st_mtime,
                       reverse=True):
        lock = QLockFile(str(path.with_suffix(".lock")))
        lock.setStaleLockTime(LOCK_STALE_MS)
        if not lock.tryLock(0):
            continue  # its window is still running
        try:
            orphans.append(Orphan(path, lock, load(path)))
        except WorkspaceError as error:
            orphans.append(Orphan(path, lock, None, str(error)))
    return orphans


class Autosaver(QObject):
    """Writes the window's workspace to its autosave file while there are unsaved changes."""

    def __init__(self, parent: QObject, folder: Path | None = None,
                 interval_ms: int = AUTOSAVE_INTERVAL_MS) -> None:
        super().__init__(parent)
        self.folder = folder or data_folder()
        self.path = self.folder / f"{PREFIX}{os.getpid()}.json"
        self._lock = QLockFile(str(self.path.with_suffix(".lock")))
        self._lock.setStaleLockTime(LOCK_STALE_MS)
        self._lock.tryLock(0)
        self._writer: threading.Thread | None = None
        self.last_error: str | None = None  # of the last write, shown by the window
        self.writes = 0  # autosaves written
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.start()

    @property
    def busy(self) -> bool:
        """True while a write is under way."""
        return self._writer is not None and self._writer.is_alive()

    def write(self, workspace: Workspace, wait: bool = False) -> None:
        """Encode and write the workspace on the writer thread (at once with wait=True).

        A write still under way is waited for first: the newest workspace always lands last.
        """
        self.wait()
        self._writer = threading.Thread(target=self._write, args=(workspace,),
                                        name="autosave", daemon=True)
        self._writer.start()
        if wait:
            self.wait()

    def wait(self) -> None:
        """Return once no write is under way."""
        if self._writer is not None:
            self._writer.join()
            self._writer = None

    def discard(self) -> None:
        """Remove the autosave (saved, or the changes discarded)."""
        self.wait()
        self.path.unlink(missing_ok=True)

    def close(self) -> None:
        """Stop, finish writing, and let go of the lock (the autosave stays if it was kept)."""
        self.timer.stop()
        self.wait()
        self._lock.unlock()

    def _write(self, workspace: Workspace) -> None:  # on the writer thread
        try:
            write_atomic(self.path, encode(workspace))
            self.last_error = None
            self.writes += 1
        except (OSError, ValueError) as error:
            self.last_error = f"{self.path}: {error}"
            print(f"autosave failed: {self.last_error}", file=sys.stderr)


def saved_at_now() -> str:
    """The time now, ISO 8601 with the UTC offset (for AutosaveInfo)."""
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")
