"""What the app remembers between runs (QSettings): recent files, the last folder, the window's
geometry and its splitters' sizes.

A value that cannot be used (a wrong type, a corrupt geometry, an unreadable settings file) is
ignored and named in `ignored`, which the window shows once it is up: settings never stop the
app from starting. QSettings writes its file itself, through a temporary and a rename.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

APP_NAME = "micrograd-playground"  # the settings file's and the data folder's name
MAX_RECENT = 10


def data_folder() -> Path:
    """The user's data folder for the app (autosaves), created if missing.

    Qt's AppDataLocation for an application named APP_NAME with no organisation, whatever
    name the running QApplication has (the tests' has none).
    """
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    folder = Path(base) / APP_NAME
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class AppSettings:
    """Typed access to the app's QSettings; what could not be read is listed in ignored."""

    def __init__(self) -> None:
        self._settings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                                   APP_NAME, APP_NAME)
        self.ignored: list[str] = []
        status = self._settings.status()
        if status != QSettings.Status.NoError:
            self.ignored.append(f"the settings file {self._settings.fileName()} could not be "
                                f"read ({status.name}); the defaults are used")

    @property
    def file_name(self) -> str:
        """Where the settings are kept."""
        return self._settings.fileName()

    # ---- recent files ---------------------------------------------------------------------

    def recent_files(self) -> list[str]:
        """The recent workspace files, newest first (entries that are no path are dropped)."""
        value = self._settings.value("recent_files", [])
        if isinstance(value, str):  # QSettings gives a one-entry list back as a string
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.ignored.append(f"the recent files list ({value!r:.60}) is not a list of file "
                                "names; it starts empty")
            self._settings.remove("recent_files")
            return []
        return [v for v in value if v][:MAX_RECENT]

    def add_recent(self, path: str) -> list[str]:
        """Put path first in the recent files; the new list."""
        path = os.path.abspath(path)
        recent = [path, *(p for p in self.recent_files() if p != path)][:MAX_RECENT]
        self._settings.setValue("recent_files", recent)
        return recent

    def remove_recent(self, path: str) -> list[str]:
        """Drop path from the recent files; the new list."""
        recent = [p for p in self.recent_files() if p != path]
        self._settings.setValue("recent_files", recent)
        return recent

    # ---- the last folder and the window's geometry ----------------------------------------

    def last_folder(self) -> str:
        """The folder of the last file opened or saved, if it still exists; else home."""
        value = self._settings.value("last_folder", "")
        if not isinstance(value, str):
            self.ignored.append(f"the last folder ({value!r:.60}) is not a folder name")
            value = ""
        return value if value and os.path.isdir(value) else str(Path.home())

    def set_last_folder(self, path: str) -> None:
        """Remember the folder of path."""
        self._settings.setValue("last_folder", os.path.dirname(os.path.abspath(path)))

    def geometry(self) -> QByteArray | None:
        """The window's saved geometry (QWidget.saveGeometry), or None."""
        return self._bytes("window/geometry", "the saved window size and position")

    def set_geometry(self, geometry: QByteArray) -> None:
        """Remember the window's geometry."""
        self._settings.setValue("window/geometry", geometry)

    def splitter_state(self, name: str) -> QByteArray | None:
        """A splitter's saved sizes (QSplitter.saveState), or None."""
        return self._bytes(f"window/splitters/{name}", f"the saved sizes of the {name} splitter")

    def set_splitter_state(self, name: str, state: QByteArray) -> None:
        """Remember a splitter's sizes."""
        self._settings.setValue(f"window/splitters/{name}", state)

    def _bytes(self, key: str, what: str) -> QByteArray | None:
        """The QByteArray under key, or None (a value of another type is named in ignored)."""
        value = self._settings.value(key)
        if value is None or isinstance(value, QByteArray):
            return value
        self.ignored.append(f"{what} are not readable")
        return None

    def sync(self) -> None:
        """Write the settings file now."""
        self._settings.sync()
