"""The monkey's file actions: save, open (by Ctrl+O and Open Recent), New, the examples, and the
dataset's CSV export and import, each answering the unsaved-changes question at random.

Every action is checked as it happens: a save writes what the window showed, an open shows
what the file holds, and a Cancel (or a cancelled file dialog) changes nothing. Disagreements
go to `mismatches`, with the action that made them, so a test reports them with the replay.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
from dialogs import FileChoices, answer
from imports import IMPORT_TIMEOUT_MS
from menus import file_menu_action
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from ui_monkey import CTRL, Monkey

from playground.core.dataset import Dataset
from playground.core.examples import EXAMPLES, example_path
from playground.core.setup import Setup
from playground.core.spec import NetworkSpec
from playground.core.workspace import Workspace, WorkspaceError, load

Button = QMessageBox.StandardButton
SHIFT = Qt.KeyboardModifier.ShiftModifier


@dataclass(frozen=True)
class Shown:
    """The work as a file or the window holds it: the problem, the points, the network."""

    kind: str
    n_classes: int
    n_points: int
    points: bytes  # the arrays' bytes: equal only if equal exactly
    labels: bytes
    values: bytes
    is_test: bytes
    spec: NetworkSpec | None  # None: a CSV, which holds no network

    @classmethod
    def of_arrays(cls, kind: str, n_classes: int, points, labels, values, is_test,
                  spec: NetworkSpec | None) -> Shown:
        values = values if values is not None else np.zeros(len(points))  # a file's None
        return cls(kind, n_classes, len(points), *(
            np.ascontiguousarray(a, dtype=dtype).tobytes() for a, dtype in (
                (points, np.float64), (labels, np.int64), (values, np.float64),
                (is_test, bool))), spec)

    @classmethod
    def of(cls, dataset: Dataset, spec: NetworkSpec | None) -> Shown:
        return cls.of_arrays(dataset.kind, dataset.n_classes, dataset.points, dataset.labels,
                             dataset.values, dataset.is_test, spec)

    @classmethod
    def of_window(cls, window, with_spec: bool = True) -> Shown:
        return cls.of(window.dataset, window.designer.spec() if with_spec else None)

    @classmethod
    def of_workspace(cls, workspace: Workspace) -> Shown:
        data = workspace.dataset
        return cls.of_arrays(data.kind, data.n_classes, data.points, data.labels, data.values,
                             data.is_test, workspace.spec)

    def differences(self, other: Shown) -> list[str]:
        """The fields in which other differs."""
        return [f.name for f in fields(self) if getattr(self, f.name) != getattr(other, f.name)]

    def __str__(self) -> str:
        spec = self.spec
        network = (f", network {spec.features} {spec.hidden} {spec.activations}"
                   if spec is not None else "")
        return f"{self.kind} ({self.n_classes} classes), {self.n_points} points{network}"


def _written(path: str) -> tuple[int, int] | None:
    """Which file path is and when it was written (an atomic write makes a new one), None if
    there is none."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def imported(path: str, window) -> Shown:
    """What the CSV file at path opens as in the window: read by a dataset of the window's kind,
    class count, split fraction and seed, as the import does (Dataset.load_csv)."""
    current = window.dataset
    dataset = Dataset(test_fraction=current.test_fraction, seed=current.seed, kind=current.kind,
                      n_classes=current.n_classes)
    dataset.load_csv(path)
    return Shown.of(dataset, None)


def window_disagreements(window) -> list[str]:
    """Where the window's panels disagree with its dataset and designer."""
    dataset, spec = window.dataset, window.designer.spec()
    problem = window.problems.problem
    checked = [kind for kind, action in window.problems.actions.items() if action.isChecked()]
    found = []
    if window.data_controls.problem.currentData() != dataset.kind:
        found.append(f"the data panel says {window.data_controls.problem.currentData()}")
    if (problem.kind, problem.n_classes) != (dataset.kind, dataset.n_classes):
        found.append(f"the window shows a {problem.kind} problem of {problem.n_classes}")
    if checked != [dataset.kind]:
        found.append(f"the Problem menu checks {checked}")
    if window.network_view.spec != spec:
        found.append(f"the network view draws {window.network_view.spec}")
    if not set(spec.features) <= set(problem.features):
        found.append(f"the network reads {spec.features}, not the problem's")
    return [f"{f} (data: {dataset.kind}, designer: {spec})" for f in found]


class WorkspaceMonkey(Monkey):
    """A Monkey that also saves, opens, starts anew and opens examples, into folder."""

    def __init__(self, qtbot, window, seed: int, monkeypatch, folder: Path) -> None:
        super().__init__(qtbot, window, seed)
        self.monkeypatch = monkeypatch
        self.folder = folder
        self.dialogs = FileChoices(monkeypatch)
        self.asked: list[str] = []  # the unsaved-changes questions since the last answer
        self.saved: dict[str, Shown] = {}  # workspace file -> what the window held at its save
        self.exported: dict[str, Shown] = {}  # CSV file -> the data it was exported with
        self.opened = 0  # workspaces, examples and new ones the window showed
        self._files_made = 0
        self.actions += [(2, self.save_workspace), (2, self.open_workspace),
                         (1, self.new_workspace), (1, self.open_example),
                         (1, self.export_dataset), (1, self.import_dataset)]
        setup = Setup()
        self._new = Shown.of(setup.dataset(), setup.spec)

    def finish(self) -> None:
        """Answer Discard from now on, so the window closes after the test."""
        answer(self.monkeypatch, Button.Discard)

    # ---- checks ---------------------------------------------------------------------------

    def _expect(self, what: str, seen: object, wanted: object) -> None:
        if seen != wanted:
            differ = (f" (its {', '.join(seen.differences(wanted))} differ)"
                      if isinstance(seen, Shown) and isinstance(wanted, Shown) else "")
            self._mismatch(f"{what} is {seen}, not {wanted}{differ}")

    def _check_window(self) -> None:
        for problem in window_disagreements(self.window):
            self._mismatch(problem)

    def _mismatch(self, text: str) -> None:
        message = self.window.message
        said = f"; the window says {message.text()!r}" if message.isVisible() else ""
        focus = QApplication.focusWidget()
        self.mismatches.append(f"after log line {len(self.log)} ({self.log[-1]}): {text}{said}"
                               f" (focus on {type(focus).__name__})")

    def _check_saved(self, path: str, shown: Shown) -> None:
        """path holds what the window showed; remembered for a later open."""
        try:
            held = Shown.of_workspace(load(path))
        except (OSError, WorkspaceError) as error:
            self._expect(f"{path}", f"unreadable ({error})", shown)
            return
        self._expect(f"the saved {Path(path).name}", held, shown)
        self.saved[path] = shown

    def _state(self) -> tuple:
        files = self.window.files
        return files.path, self.window.isWindowModified()

    # ---- choosing files and answers -------------------------------------------------------

    def _new_path(self, suffix: str) -> str:
        self._files_made += 1
        return str(self.folder / f"work-{self._files_made}{suffix}")

    def _choose_save_path(self) -> str:
        """What the Save As dialog answers: a new file, a saved one again, or a cancel."""
        draw = self.rng.random()
        if draw < 0.15:
            path = ""
        elif draw < 0.35 and self.saved:
            path = self.rng.choice(sorted(self.saved))
        else:  # now and then without the suffix, which Save As adds
            path = self._new_path(".json" if draw < 0.9 else "")
        self.dialogs.save_path = path
        return path + ".json" if path and not path.endswith(".json") else path

    def _answer(self) -> Button:
        button = self.rng.choice((Button.Save, Button.Discard, Button.Cancel))
        self.asked = answer(self.monkeypatch, button)
        return button

    def _press(self, key: str, modifiers) -> None:
        QTest.keyClick(self.window.windowHandle(), getattr(Qt.Key, f"Key_{key}"), modifiers)

    # ---- saving ---------------------------------------------------------------------------

    def save_workspace(self) -> None:
        """Ctrl+S (which asks where the first time) or Ctrl+Shift+S."""
        save_as = self.rng.random() < 0.5
        before_path, modified = self._state()
        chosen = self._choose_save_path()
        target = chosen if save_as or before_path is None else before_path
        self.log.append(f"{'save as' if save_as else 'save'} -> {target or 'cancelled'}")
        shown = Shown.of_window(self.window)
        written = _written(target)
        self._press("S", CTRL | SHIFT if save_as else CTRL)
        if target:
            self._expect(f"{Path(target).name} written", _written(target) != written, True)
            self._check_saved(target, shown)
            # training on since the save is a change again (once the progress poll sees it)
            marked = self.window.isWindowModified() and self.window.loop.running
            self._expect("the window's file", self._state(), (target, marked))
        else:  # nothing saved: the mark as it was (or set by training meanwhile)
            marked = modified or (self.window.isWindowModified() and self.window.loop.running)
            self._expect("the window's file and mark", self._state(), (before_path, marked))

    # ---- replacing the work ---------------------------------------------------------------

    def _replace(self, name: str, press, expected: Callable[[], Shown], path: str | None
                 ) -> None:
        """Do what replaces the work, answering the unsaved-changes question at random, and
        check the outcome: the new work shown (expected(), asked for once the work was saved:
        it may have been saved to the file opened), or (cancelled) nothing changed."""
        before_path, modified = self._state()
        before = Shown.of_window(self.window)
        button = self._answer()
        save_to = before_path or self._choose_save_path()
        self.log.append(f"{name}, {'asked' if modified else 'not asked'}: {button.name}"
                        f"{f', saves to {save_to or None}' if button == Button.Save else ''}")
        training = self.window.loop.running
        press()
        asked = bool(self.asked)
        # while training, the progress poll may mark the work as changed in the key's events
        if asked != modified and not (asked and training):
            self._mismatch(f"{'a' if asked else 'no'} question asked, the window "
                           f"{'' if modified else 'un'}changed")
        saved_first = asked and button == Button.Save and bool(save_to)
        if saved_first:
            self._check_saved(save_to, before)
        if not asked or button == Button.Discard or saved_first:
            self.opened += 1
            self._expect("the window", Shown.of_window(self.window), expected())
            self._expect("the window's file and mark", self._state(), (path, False))
            self.reached[f"{name}: shown"] += 1
        else:
            self._expect("the window (cancelled)", Shown.of_window(self.window), before)
            self._expect("the window's file and mark (cancelled)", self._state(),
                         (before_path, True))
        self._check_window()

    def open_workspace(self) -> bool | None:
        """Ctrl+O, or an entry of Open Recent, on a file saved before."""
        if not self.saved:
            return False
        path = self.rng.choice(sorted(self.saved))

        def expected() -> Shown:  # read after the open: the work may be saved to path first
            return self.saved[path]

        recent = self.window.files.recent
        recent.fill()  # as the menu does when it opens
        entries = [a for a in recent.menu.actions() if a.toolTip() == path and a.isEnabled()]
        if entries and self.rng.random() < 0.5:
            self._replace(f"open recent {Path(path).name}", entries[0].trigger, expected, path)
            return None
        self.dialogs.open_path = path
        self._replace(f"open {Path(path).name}", lambda: self._press("O", CTRL), expected, path)

    def new_workspace(self) -> None:
        self._replace("new", lambda: self._press("N", CTRL), lambda: self._new, None)

    def open_example(self) -> None:
        example = self.rng.choice(EXAMPLES)
        action = next(a for a in self.window.files.examples_menu.actions()
                      if a.text() == example.title)
        expected = Shown.of_workspace(load(example_path(example)))
        self._replace(f"example {example.file}", action.trigger, lambda: expected, None)

    # ---- the dataset as CSV ---------------------------------------------------------------

    def export_dataset(self) -> None:
        """File > Export dataset… to a new CSV file."""
        path = self._new_path(".csv")
        self.dialogs.save_path = path
        self.log.append(f"export dataset -> {Path(path).name}")
        shown = Shown.of_window(self.window, with_spec=False)
        file_menu_action(self.window, "Export dataset…").trigger()
        self._expect(f"{Path(path).name} written", Path(path).is_file(), True)
        self.exported[path] = shown

    def import_dataset(self) -> bool | None:
        """File > Import dataset… of a CSV exported before (an undoable edit, never asked),
        waited for."""
        if not self.exported:
            return False
        path = self.rng.choice(sorted(self.exported))
        self.dialogs.open_path = path
        self.log.append(f"import dataset {Path(path).name}")
        expected = imported(path, self.window)
        # the file holds what was exported; the problem type is the window's to choose
        self._expect(f"{Path(path).name} read back", [
            name for name in self.exported[path].differences(expected)
            if name not in ("kind", "n_classes")], [])
        # read on a thread: the points replace the dataset once every row is read
        with self.qtbot.waitSignal(self.window.csv_import.finished, timeout=IMPORT_TIMEOUT_MS):
            file_menu_action(self.window, "Import dataset…").trigger()
        self._expect("the imported data", Shown.of_window(self.window, with_spec=False),
                     expected)
        self._check_window()
