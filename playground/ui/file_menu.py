"""The File menu: workspaces (new, open, save, recent), import and export, and unsaved changes.

It keeps the window's title (the file's name and a [*] while there are unsaved changes), asks
before unsaved work would be lost, autosaves it, and offers an orphaned autosave back at start.
"""

from __future__ import annotations

import os
import signal
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from playground.core.examples import Example, example_path
from playground.core.setup import Setup
from playground.core.workspace import (
    SUFFIX,
    AutosaveInfo,
    DatasetContent,
    Workspace,
    WorkspaceError,
    load,
    save,
)
from playground.ui.autosave import Autosaver, find_orphans, saved_at_now
from playground.ui.export_menu import ExportMenu
from playground.ui.file_dialogs import add_action, ask_save_path
from playground.ui.file_submenus import RecentMenu, fill_examples
from playground.ui.settings import AppSettings
from playground.ui.workspace_io import show_workspace, window_workspace

if TYPE_CHECKING:
    from playground.ui.main_window import MainWindow

APP_TITLE = "micrograd playground"
WORKSPACE_FILTER = "micrograd playground workspaces (*.json)"
OPEN_FILTER = ("Workspaces and datasets (*.json *.csv);;Workspaces (*.json);;Datasets (*.csv);;"
               "All files (*)")
PROGRESS_POLL_MS = 500  # how often training's progress is looked at for the [*] mark
Button = QMessageBox.StandardButton


class FileMenu(QObject):
    """Builds the File menu on the window and owns its file, settings and autosave."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.settings: AppSettings = window.settings
        self.autosaver = Autosaver(self)
        self.path: str | None = None  # the workspace file; None until saved or opened
        # what an unsaved workspace is called in the title, and the file Save As suggests
        self._untitled = ("untitled", "untitled.json")
        self._changes = 0  # counts changes, so an autosave happens only after one
        self._autosaved = 0  # _changes at the last autosave
        self._applying = False  # a workspace is being shown: its changes are no edits
        self._keep_autosave = True  # False once the user discarded the changes at close
        self._ending = False  # the system ends the app (end_session): close without asking
        self._awaited = None  # a session posted to the loop that it has not taken yet
        self._importing: str | None = None  # the CSV file open_path is importing
        window.csv_import.finished.connect(self._imported)
        self._progress = self._training_progress()
        self._build_menu()
        self.autosaver.timer.timeout.connect(self.autosave)
        self._poll = QTimer(self)
        self._poll.setInterval(PROGRESS_POLL_MS)
        self._poll.timeout.connect(self._look_at_progress)
        self._poll.start()
        self.settings.recent_files()  # corrupt values are reported at start
        self.settings.last_folder()
        self._show_title()

    # ---- the menu -------------------------------------------------------------------------

    def _build_menu(self) -> None:
        w = self.window
        menu = w.menuBar().addMenu("&File")
        self._action(menu, "&New", self.new_workspace, QKeySequence.StandardKey.New,
                     "A new workspace with the default data and network")
        self._action(menu, "&Open…", self.ask_open, QKeySequence.StandardKey.Open,
                     "Open a workspace (.json) or a dataset (.csv)")
        self.recent = RecentMenu(menu.addMenu("Open &Recent"), self.settings, self.open_path,
                                 self.report_ignored)
        self.examples_menu = menu.addMenu("Exa&mples")
        fill_examples(self.examples_menu, self.open_example)
        self._action(menu, "&Save", self.save, QKeySequence.StandardKey.Save,
                     "Save the data, network, weights, settings and loss history")
        self._action(menu, "Save &As…", self.save_as, QKeySequence("Ctrl+Shift+S"))
        menu.addSeparator()
        self._action(menu, "&Import dataset…", w._ask_open_dataset, tip="Replace the points "
                     "with a CSV file's (x,y,label / x,y,value / x,y, and a split column); "
                     "undoable")
        self._action(menu, "&Export dataset…", w._ask_save_dataset,
                     tip="Write the points as CSV, with a header saying the problem type")
        self.exports = ExportMenu(w, self.settings, menu.addMenu("E&xport"))
        menu.addSeparator()
        self._action(menu, "&Quit", w.close, QKeySequence.StandardKey.Quit)

    def _action(self, menu: QMenu, text: str, slot, key=None, tip: str = "") -> QAction:
        return add_action(menu, text, slot, key, tip)


    # ---- unsaved changes and the title ----------------------------------------------------

    @property
    def modified(self) -> bool:
        """True while the window holds changes not saved to its file."""
        return self.window.isWindowModified()

    def watch_changes(self) -> None:
        """Count every edit, setting and view change as unsaved (once the window has all its
        menus)."""
        w = self.window
        w.dataset.changed.connect(self._on_changed)
        controls = w.data_controls
        for changed in (w.designer.specChanged, w.training.configChanged,
                        w.training.speedChanged, w.log_scale.toggled,
                        controls.showTestToggled, controls.discretizeToggled,
                        controls.partsToggled, w.point_loss_box.toggled,
                        w.hidden_space_action.toggled, w.inside.hidden_view.choiceChanged,
                        w.network_view.reshapeRequested):
            changed.connect(self._on_changed)
        w.inside.history.network_changed.connect(self._on_changed)  # typed weights, switches
        # training is a change once it has trained (_look_at_progress): a "running" heard
        # after an open may be the old session's, and a play that trains nothing changes nothing

    def _on_changed(self, *_: object) -> None:
        if not self._applying:
            self._changes += 1
            self.window.setWindowModified(True)

    def _training_progress(self) -> tuple[int, int]:
        """The step and epoch of the session the window shows: an opened one's own until the
        loop has taken it (the loop's latest is still the old session's)."""
        awaited = self._awaited
        if awaited is not None and self.window.loop.session is not awaited:
            return awaited.latest.step, awaited.latest.epoch
        self._awaited = None
        latest = self.window.loop.latest
        return latest.step, latest.epoch

    @Slot()
    def _look_at_progress(self) -> None:
        """Training (or a reset) changed the weights since the file was saved or opened."""
        progress = self._training_progress()
        if progress != self._progress:
            self._progress = progress
            self._on_changed()

    def _set_saved(self, path: str | None) -> None:
        """The window now shows what path holds (None: nothing saved yet)."""
        self.path = path
        self.window.setWindowModified(False)
        self._progress = self._training_progress()
        if path is not None:
            self.settings.add_recent(path)
            self.settings.set_last_folder(path)
        self.autosaver.discard()
        self._autosaved = self._changes
        self._show_title()

    def _show_title(self) -> None:
        name = os.path.basename(self.path) if self.path else self._untitled[0]
        self.window.setWindowTitle(f"{name}[*] — {APP_TITLE}")

    def may_discard(self) -> bool:
        """True if the window's work may be replaced: saved, or the user says so (or saves).

        A CSV import still being read is part of that work: its end waits while the question
        is up (and lands after Cancel), and it is stopped when the answer is True.
        """
        imports = self.window.csv_import
        with imports.held():
            discard = True
            if self.modified:
                name = (os.path.basename(self.path) if self.path
                        else f"{self._untitled[0]} (unsaved)")
                answer = QMessageBox.question(
                    self.window, "Unsaved changes", f"Save the changes to {name} first?",
                    Button.Save | Button.Discard | Button.Cancel, Button.Save)
                discard = self.save() if answer == Button.Save else answer == Button.Discard
            if discard:
                imports.stop()
        return discard

    def may_close(self) -> bool:
        """Ask about unsaved changes before the window closes; False to stay open."""
        if self._ending:
            return True  # end_session autosaved them: nobody is there to answer
        if not self.may_discard():
            return False
        self._keep_autosave = False  # saved or discarded: nothing to recover
        return True

    def discard(self) -> None:
        """Forget the unsaved work: the window closes without asking and without keeping an
        autosave of it (a screenshot's or a benchmark's run, whose training is no one's work)."""
        self._keep_autosave = False
        self.window.setWindowModified(False)

    # ---- opening and saving ---------------------------------------------------------------

    @Slot()
    def new_workspace(self) -> bool:
        """The default data and network, untitled (after asking about unsaved changes)."""
        if not self.may_discard():
            return False
        setup = Setup()
        self._show(Workspace(DatasetContent.of(setup.dataset()), setup.spec, setup.config,
                             setup.speed))
        self._untitled = ("untitled", "untitled.json")
        self._set_saved(None)
        return True

    def open_example(self, example: Example) -> bool:
        """Open a shipped example as a new untitled workspace: Save asks where, and the
        example stays as it is."""
        if not self.may_discard():
            return False
        try:
            self._show(load(example_path(example)))
        except (WorkspaceError, ValueError) as error:  # an installation that lost its files
            self.window.show_message(f"Could not open the example {example.title}: {error}")
            return False
        self._untitled = (f"{example.title} (example)", example.file)
        self._set_saved(None)
        return True

    @Slot()
    def ask_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open", self.settings.last_folder(),
                                              OPEN_FILTER)
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """Open a workspace, or start importing a CSV's points (its folder is remembered once
        they are in); a bad file only shows a message. True if opened, or the import started."""
        if path.lower().endswith(".csv"):
            started = self.window.open_dataset(path)
            if started:
                self._importing = path
            return started
        if not self.may_discard():
            return False
        try:
            workspace = load(path)
        except WorkspaceError as error:
            self.window.show_message(f"Could not open the workspace: {error}")
            if not os.path.isfile(path):
                self.settings.remove_recent(path)
            return False
        return self.show_opened(workspace, path)

    @Slot(bool)
    def _imported(self, ok: bool) -> None:
        """An import ended: open_path's file, if it was brought in, names the last folder."""
        if ok and self._importing is not None:
            self.settings.set_last_folder(self._importing)
        self._importing = None

    def show_opened(self, workspace: Workspace, path: str) -> bool:
        """Show a workspace read from path (by open_path, or by the command line)."""
        try:
            self._show(workspace)
        except ValueError as error:
            self.window.show_message(f"Could not open the workspace {path}: {error}")
            return False
        self._set_saved(os.fspath(path))
        return True

    def _show(self, workspace: Workspace) -> None:
        self.window.csv_import.stop()  # the workspace's points, not a file's still being read
        self._applying = True
        try:
            self._awaited = show_workspace(self.window, workspace)
        finally:
            self._applying = False

    @Slot()
    def save(self) -> bool:
        """Save to the workspace's file (asks for one if it has none); True once saved."""
        return self.save_as() if self.path is None else self.save_to(self.path)

    @Slot()
    def save_as(self) -> bool:
        """Ask where, then save there."""
        path = ask_save_path(self.window, self.settings, "Save workspace",
                             self.path or self._untitled[1], WORKSPACE_FILTER, SUFFIX)
        return bool(path) and self.save_to(path)

    def save_to(self, path: str) -> bool:
        """Write the workspace to path (atomically); a failure shows a message."""
        try:
            save(path, window_workspace(self.window))
        except (OSError, TimeoutError, ValueError) as error:
            self.window.show_message(f"Could not save the workspace: {error}")
            return False
        self._set_saved(path)
        return True

    # ---- autosave and recovery ------------------------------------------------------------

    @Slot()
    def autosave(self, wait: bool = False) -> bool:
        """Write unsaved changes to the autosave file (on the writer thread); True if written."""
        if not self.modified or self._changes == self._autosaved:
            return False
        try:
            workspace = window_workspace(self.window, AutosaveInfo(self.path, saved_at_now()))
        except TimeoutError as error:
            self.window.show_message(f"Could not autosave: {error}")
            return False
        self.autosaver.write(workspace, wait=wait)
        self._autosaved = self._changes
        return True

    def offer_recovery(self) -> None:
        """Offer the newest autosave of a window that did not close normally."""
        orphans = find_orphans(self.autosaver.folder)
        offered = False
        for orphan in orphans:
            if orphan.workspace is None:
                kept = orphan.set_aside()
                self.window.show_message(f"Ignored an autosave that could not be read "
                                         f"({orphan.problem}); it is kept as {kept}")
            elif not offered:
                offered = True
                self._offer(orphan)
            else:
                orphan.lock.unlock()  # offered at a later start

    def _offer(self, orphan) -> None:
        info = orphan.workspace.autosave
        name = os.path.basename(info.file) if info is not None and info.file else "untitled"
        answer = QMessageBox.question(
            self.window, "Restore unsaved work?",
            f"micrograd playground did not close normally. Work on {name} was autosaved at "
            f"{orphan.saved_at()}.\n\nOpen restores it, Discard deletes it, Ignore keeps it "
            "for the next start.", Button.Open | Button.Discard | Button.Ignore, Button.Open)
        if answer == Button.Open:
            try:
                self._show(orphan.workspace)
            except ValueError as error:
                self.window.show_message(f"Could not restore the autosave: {error}")
                orphan.lock.unlock()
                return
            self.path = info.file if info is not None else None
            self._show_title()
            self._on_changed()  # restored work is unsaved work
            self.autosave(wait=True)  # under this window's name before the old one goes
            orphan.forget()
        elif answer == Button.Discard:
            orphan.forget()
        else:
            orphan.lock.unlock()

    @Slot()
    def end_session(self) -> None:
        """The system ends the app (SIGTERM, a logout): autosave, then close without asking;
        the next start offers the work back."""
        self._ending = True
        self.autosave(wait=True)
        self.window.close()

    # ---- settings -------------------------------------------------------------------------

    def report_ignored(self) -> None:
        """Say which settings could not be used (once)."""
        if self.settings.ignored:
            self.window.show_message("Ignored settings that could not be used: "
                                     f"{'; '.join(self.settings.ignored)} "
                                     f"({self.settings.file_name})")
            self.settings.ignored.clear()

    def finish(self) -> None:
        """Before the window goes: autosave what is unsaved (unless discarded), write the
        settings, stop the timers and the writer. Once; later calls do nothing."""
        if not self._poll.isActive():
            return
        self._poll.stop()
        if self.modified and self._keep_autosave and self.window.worker_thread.is_running():
            self.autosave(wait=True)
        elif not self.modified or not self._keep_autosave:
            self.autosaver.discard()
        self.settings.sync()
        self.autosaver.close()


def end_on_sigterm(window: MainWindow) -> None:
    """On SIGTERM (a logout, a `kill`), autosave and close instead of dying with the changes.

    Python runs the handler between two bytecodes of the main thread: the window's redraw
    timer runs Python every 25 ms, so it runs within a frame.
    """
    signal.signal(signal.SIGTERM,
                  lambda signum, frame: QTimer.singleShot(0, window.files.end_session))
