"""The application's icon, read from the package's resources (resources/ in the repository)."""

from __future__ import annotations

import importlib.resources

from PySide6.QtGui import QGuiApplication, QIcon, QPixmap

ICON_NAME = "micrograd-playground"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def icon_files() -> list[bytes]:
    """The icon's PNGs, smallest first, as bytes (none if the resources are not installed)."""
    try:
        folder = importlib.resources.files("playground.resources") / "icons"
    except ModuleNotFoundError:
        return []
    files = [folder / f"{ICON_NAME}-{size}.png" for size in ICON_SIZES]
    return [f.read_bytes() for f in files if f.is_file()]


def app_icon() -> QIcon:
    """The icon for the window, its dialogs and the desktop's task bar (empty if missing)."""
    icon = QIcon()
    for data in icon_files():
        pixmap = QPixmap()
        if pixmap.loadFromData(data, "PNG"):
            icon.addPixmap(pixmap)
    return icon


def identify_app(app: QGuiApplication) -> None:
    """Name the app as its desktop entry does, so the desktop matches its windows and icon."""
    app.setApplicationName(ICON_NAME)
    app.setApplicationDisplayName("micrograd playground")
    app.setDesktopFileName(ICON_NAME)
    app.setWindowIcon(app_icon())
