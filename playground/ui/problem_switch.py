"""The window in step with the data's problem type: the features and losses the panels offer,
the legend, the status bar's metrics, the confusion matrix and the Problem menu.

The type lives in the dataset (switching is an edit, and undo switches back); this follows it.
Switching keeps every other setting: the network's features are mapped (x1 -> x...) or
brought back as they were when the type was last used, and so is the loss, which changes only
when it does not fit the new type.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from playground.core.dataset import DatasetSnapshot
from playground.core.features import map_features
from playground.core.problems import KIND_NAMES, KINDS, Problem
from playground.core.spec import NetworkSpec, TrainingConfig

if TYPE_CHECKING:
    from playground.ui.main_window import MainWindow


class ProblemSwitch(QObject):
    """Follows the dataset's problem type for a MainWindow; posts a switch to its loop."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.problem: Problem | None = None  # the type the window shows
        self._features: dict[bool, tuple[str, ...]] = {}  # on the plane? -> features last used
        self._losses: dict[str, str] = {}  # type -> loss last used
        self.actions: dict[str, QAction] = {}

    def start(self, problem: Problem, spec: NetworkSpec, config: TrainingConfig) -> None:
        """Show the first problem with the settings the window starts with (features and a
        loss that do not fit it are mapped to the type's, as a switch would)."""
        window = self.window
        if not set(spec.features) <= set(problem.features):
            spec = replace(spec, features=map_features(spec.features, not problem.on_plane))
        if config.loss not in problem.losses:
            config = replace(config, loss=problem.default_loss)
        window.designer.offer_features(problem.features)
        window.designer.set_spec(spec)
        window.training.offer_losses(problem.losses)
        window.training.set_config(config)
        self._show(problem)

    def add_menu(self) -> None:
        """The Problem menu: one checkable entry per type (Ctrl+1 to Ctrl+4)."""
        menu = self.window.menuBar().addMenu("&Problem")
        group = QActionGroup(self)
        for number, kind in enumerate(KINDS, start=1):
            action = menu.addAction(KIND_NAMES[kind].capitalize())
            action.setCheckable(True)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.setData(kind)
            group.addAction(action)
            self.actions[kind] = action
        group.triggered.connect(self._on_menu)
        self._check_menu()

    def follow(self, snapshot: DatasetSnapshot) -> bool:
        """Post a switch to the loop if the data poses another problem; False if it does not
        (the window posts the data itself)."""
        problem = snapshot.problem()
        old = self.problem
        if (problem.kind, problem.output_size) == (old.kind, old.output_size):
            if problem != old:  # a regression's scale: the legend's numbers
                self._show(problem)
            return False
        spec, config = self._settings_for(problem)
        self.window.loop.post_problem(snapshot, spec, config)
        self.window.inside.set_spec(spec)  # the network view draws the new inputs and outputs
        self._show(problem)
        return True

    def _settings_for(self, problem: Problem) -> tuple[NetworkSpec, TrainingConfig]:
        """Offer the problem's features and losses in the panels, emitting nothing; the spec
        and config to train it with."""
        designer, training, old = self.window.designer, self.window.training, self.problem
        spec, config = designer.spec(), training.config()
        self._features[old.on_plane] = spec.features
        self._losses[old.kind] = config.loss
        features = spec.features
        if problem.on_plane != old.on_plane:
            features = self._features.get(problem.on_plane) or map_features(
                spec.features, to_function=not problem.on_plane)
        loss = config.loss if config.loss in problem.losses else self._losses.get(
            problem.kind, problem.default_loss)
        designer.offer_features(problem.features)
        designer.show_spec(replace(spec, features=features))
        training.offer_losses(problem.losses)
        training.set_config(replace(config, loss=loss), emit=False)
        return designer.spec(), training.config()

    def _show(self, problem: Problem) -> None:
        """The views that depend on the type."""
        window = self.window
        self.problem = problem
        window.output_legend.set_problem(problem)
        window.status.show_values(problem.n_classes == 0)
        several = problem.kind == "classes"
        if several:
            window.confusion.set_classes(problem.n_classes)
        window.confusion.setVisible(several)
        window.confusion_caption.setVisible(several)
        self._check_menu()

    def _check_menu(self) -> None:
        if self.problem is not None and self.actions:
            self.actions[self.problem.kind].setChecked(True)

    @Slot(QAction)
    def _on_menu(self, action: QAction) -> None:
        controls = self.window.data_controls
        controls.problem.setCurrentIndex(controls.problem.findData(action.data()))
        self._check_menu()  # a refused switch leaves the old type checked
