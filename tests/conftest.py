"""Shared fixtures: Qt runs offscreen, and no test may leave a QThread running."""

from __future__ import annotations

import gc
import os
import sys

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
pytest.register_assert_rewrite("axes_checks")  # its asserts explain themselves like a test's


def _running_qthreads() -> list:
    """Every QThread object Python can see whose thread is still running."""
    qt_core = sys.modules.get("PySide6.QtCore")
    if qt_core is None:  # Qt was never imported (engine and core tests): no QThread either
        return []
    QThread = qt_core.QThread
    main = QThread.currentThread()
    found = []
    for obj in gc.get_objects():
        try:
            # type(), not isinstance(): no __class__ lookup on lazy proxies (torch warns on it)
            if issubclass(type(obj), QThread) and obj is not main and obj.isRunning():
                found.append(obj)
        except RuntimeError:  # the C++ object is already gone
            continue
    return found


@pytest.fixture(autouse=True)
def no_qthread_left_running():
    """Fail the test if it leaves a QThread running (then stop it, to spare the next test)."""
    yield
    left = _running_qthreads()
    for thread in left:
        thread.quit()
        thread.wait(5000)
    if left:
        names = ", ".join(t.objectName() or type(t).__name__ for t in left)
        pytest.fail(f"the test left {len(left)} QThread(s) running: {names}")


@pytest.fixture
def make_window(qtbot):
    """Build a shown MainWindow from Setup keyword arguments; it is closed after the test."""
    from playground.ui.main_window import MainWindow, Setup

    def make(**setup):
        # the default layout, not what an earlier window (or the user's) left in the settings
        window = MainWindow(Setup(**setup), remember_layout=False)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


@pytest.fixture(autouse=True)
def private_settings(tmp_path_factory, monkeypatch):
    """Settings, recent files and autosaves go to a fresh home, never the user's real ones.

    A message box asking about unsaved changes is answered Discard unless a test patches it
    (windows closed at a test's end would otherwise wait for an answer).
    """
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    qt_core = sys.modules.get("PySide6.QtCore")
    if qt_core is not None:
        qt_core.QStandardPaths.setTestModeEnabled(True)
        settings = qt_core.QSettings
        for scope in (settings.Scope.UserScope, settings.Scope.SystemScope):
            settings.setPath(settings.Format.IniFormat, scope, str(home / "settings"))
    qt_widgets = sys.modules.get("PySide6.QtWidgets")
    if qt_widgets is not None:
        box = qt_widgets.QMessageBox
        monkeypatch.setattr(box, "question", staticmethod(
            lambda *args, **kwargs: box.StandardButton.Discard))
    yield
