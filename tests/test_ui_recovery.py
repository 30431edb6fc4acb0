"""Not losing work: autosave, recovery after a kill, and settings that cannot stop a start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
from dialogs import answer
from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMessageBox

from playground.core.workspace import load
from playground.ui.autosave import find_orphans
from playground.ui.settings import APP_NAME, data_folder

ROOT = Path(__file__).resolve().parent.parent
Button = QMessageBox.StandardButton


def test_unsaved_changes_are_autosaved_and_a_clean_close_removes_the_file(qtbot, make_window):
    window = make_window(preset="circle", n_points=50)
    files = window.files
    assert not files.autosave(wait=True)  # nothing unsaved: nothing written
    window.dataset.add_point(3.0, 3.0, 1)
    assert files.autosave(wait=True)
    autosave = files.autosaver.path
    assert autosave.parent == data_folder() and autosave.is_file()
    back = load(autosave)
    assert len(back.dataset.points) == 51 and back.autosave.file is None
    assert not files.autosave(wait=True)  # no change since
    window.close()  # the default answer discards the changes
    assert not autosave.exists()


def test_saving_removes_the_autosave(qtbot, make_window, tmp_path):
    window = make_window(preset="xor", n_points=40)
    window.dataset.add_point(1.0, 2.0, 0)
    window.files.autosave(wait=True)
    assert window.files.autosaver.path.exists()
    assert window.files.save_to(str(tmp_path / "w.json"))
    assert not window.files.autosaver.path.exists()


KILLED_WINDOW = textwrap.dedent("""
    import sys, time
    from PySide6.QtCore import QStandardPaths
    QStandardPaths.setTestModeEnabled(True)
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from playground.ui.main_window import MainWindow, Setup
    window = MainWindow(Setup(preset="spiral", n_points=60))
    window.show()
    window.dataset.add_point(4.5, -4.5, 0)
    window.designer.layer_count.setValue(1)
    window.loop.step_epoch()
    while window.loop.latest.epoch < 1:
        app.processEvents()
    assert window.files.autosave(wait=True)
    print(window.files.autosaver.path, flush=True)
    time.sleep(120)  # killed here
""")


def test_after_a_kill_the_next_start_offers_the_autosave_with_its_time(qtbot, make_window,
                                                                       monkeypatch):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen([sys.executable, "-c", KILLED_WINDOW], stdout=subprocess.PIPE,
                               cwd=ROOT, env=env)
    try:
        path = Path(process.stdout.readline().decode().strip())
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    assert path.is_file() and path.parent == data_folder()

    window = make_window(preset="circle", n_points=30)
    asked = answer(monkeypatch, Button.Open)
    window.files.offer_recovery()
    assert len(asked) == 1 and "did not close normally" in asked[0] and " at " in asked[0]
    qtbot.waitUntil(lambda: window.loop.latest.epoch == 1)
    assert len(window.dataset) == 61 and window.designer.spec().hidden == (4,)
    assert window.isWindowModified() and window.windowTitle().startswith("untitled")
    assert not path.exists()  # taken over by this window's own autosave
    assert window.files.autosaver.path.is_file()
    answer(monkeypatch, Button.Discard)


def test_sigterm_autosaves_and_closes_without_asking(tmp_path):
    """A logout or a `kill`: the unsaved work is autosaved, the app ends, the file waits."""
    home = tmp_path / "home"
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
           "XDG_CONFIG_HOME": str(home / "config"), "QT_QPA_PLATFORM": "offscreen"}
    script = textwrap.dedent("""
        import sys
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from playground.ui.file_menu import end_on_sigterm
        from playground.ui.main_window import MainWindow, Setup
        window = MainWindow(Setup(preset="xor", n_points=40))
        window.show()
        end_on_sigterm(window)
        window.dataset.add_point(2.0, 2.0, 1)
        QTimer.singleShot(0, lambda: print("ready", flush=True))
        app.exec()
        window.shutdown()
        print("ended", flush=True)
    """)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                               cwd=ROOT, env=env, text=True)
    try:
        assert process.stdout.readline() == "ready\n"
        process.send_signal(signal.SIGTERM)
        assert process.wait(60) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert process.stdout.read() == "ended\n"
    saved = list((home / "data" / APP_NAME).glob("autosave-*.json"))
    assert len(saved) == 1 and len(load(saved[0]).dataset.points) == 41


def test_a_corrupt_autosave_is_set_aside_with_a_message(qtbot, make_window):
    folder = data_folder()
    (folder / "autosave-999999.json").write_bytes(b"\x00\xffnot json")
    window = make_window(preset="xor", n_points=30)
    before = window.dataset.points.copy()
    window.files.offer_recovery()
    assert "Ignored an autosave that could not be read" in window.message.text()
    assert not (folder / "autosave-999999.json").exists()
    assert (folder / "autosave-999999.json.unreadable").exists()
    assert np.array_equal(window.dataset.points, before)
    assert find_orphans(folder) == []


def test_a_running_windows_autosave_is_not_offered(qtbot, make_window):
    first = make_window(preset="xor", n_points=30)
    first.dataset.add_point(1.0, 1.0, 1)
    assert first.files.autosave(wait=True)
    assert find_orphans() == []  # its lock is held


def write_settings(text: str) -> None:
    settings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, APP_NAME,
                         APP_NAME)
    path = Path(settings.fileName())
    del settings
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def remembering_window(qtbot, **setup):
    """A shown window that restores and saves its layout, as a person's does."""
    from playground.ui.main_window import MainWindow, Setup

    window = MainWindow(Setup(**setup), remember_layout=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_corrupt_settings_never_stop_the_start_and_are_named(qtbot):
    # values Qt reads back as the wrong types, and a geometry that is no geometry
    write_settings("[General]\nrecent_files=@Point(1 2)\nlast_folder=@Size(3 4)\n"
                   "[window]\ngeometry=@ByteArray(not a geometry)\n")
    window = remembering_window(qtbot, preset="xor", n_points=30)
    text = window.message.text()
    assert window.message.isVisible() and "Ignored settings" in text
    assert "window size and position" in text and "recent files" in text
    assert "last folder" in text
    assert window.files.settings.recent_files() == []
    window.files.recent.fill()  # the menu still opens
    assert any(a.text() == "(none yet)" for a in window.files.recent.menu.actions())


def test_corrupt_splitter_sizes_are_named_and_the_default_sizes_used(qtbot):
    first = remembering_window(qtbot, preset="xor", n_points=30)
    first.close()  # a readable geometry and splitter sizes
    settings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, APP_NAME,
                         APP_NAME)
    settings.setValue("window/splitters/panels", "not sizes")  # the wrong type
    settings.setValue("window/splitters/main-area", QByteArray(b"\x00\xff broken"))
    settings.sync()
    del settings
    window = remembering_window(qtbot, preset="xor", n_points=30)
    text = window.message.text()
    assert "sizes of the panels splitter" in text and "main-area splitter" in text
    assert all(size > 0 for size in window.panels.panels.sizes())


def test_an_unreadable_settings_file_is_ignored(qtbot, make_window):
    write_settings("\x00\x01 this is not an ini file [[[\n=\n")
    window = make_window(preset="xor", n_points=30)  # starts; defaults used
    assert window.files.settings.recent_files() == []


def test_the_window_size_and_last_folder_are_remembered(qtbot, tmp_path):
    window = remembering_window(qtbot, preset="xor", n_points=30)
    window.move(40, 30)
    assert window.files.save_to(str(tmp_path / "w.json"))
    window.close()
    saved = window.files.settings.geometry()
    assert saved == window.saveGeometry()
    again = remembering_window(qtbot, preset="xor", n_points=30)
    started_with = again.saveGeometry()
    again.restoreGeometry(saved)  # changes nothing: the start restored it already
    assert again.saveGeometry() == started_with
    # (the offscreen screen is smaller than the window: Qt fits a restored one into it, so
    # the size itself differs from the first window's)
    assert again.files.settings.last_folder() == str(tmp_path)
