"""What a workspace holds, as the app's own objects (workspace.py reads and writes them)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from playground.core.dataset import Dataset, DatasetSnapshot, PresetSettings
from playground.core.hidden_space import HiddenChoice
from playground.core.session import TrainingSession
from playground.core.session_state import SessionState
from playground.core.spec import NetworkSpec, TrainingConfig


@dataclass(frozen=True)
class DatasetContent:
    """A dataset as a workspace holds it (Dataset.replace_all takes these fields)."""

    points: np.ndarray  # (N, 2) float64; a function's samples (x, y)
    labels: np.ndarray  # (N,) int64 classes (zeros for the value types)
    is_test: np.ndarray  # (N,) bool
    test_fraction: float
    seed: int
    preset: PresetSettings | None = None
    source: str | None = None
    kind: str = "binary"  # the problem type (problems.KINDS)
    n_classes: int = 2  # 2 for binary, 3 to 8 for classes, 0 for the value types
    values: np.ndarray | None = None  # (N,) float64 regression values (None: zeros)

    @classmethod
    def of(cls, dataset: Dataset) -> DatasetContent:
        """What dataset holds now (its arrays are read-only: shared, not copied)."""
        return cls(dataset.points, dataset.labels, dataset.is_test, dataset.test_fraction,
                   dataset.seed, dataset.preset, dataset.source, dataset.kind,
                   dataset.n_classes, dataset.values)

    def snapshot(self) -> DatasetSnapshot:
        """The data for a TrainingSession."""
        return DatasetSnapshot(self.points, self.labels, self.is_test, 0, self.kind,
                               self.n_classes, self.values)

    def fill(self, dataset: Dataset) -> None:
        """Make dataset hold this content (one undo step); ValueError if it does not fit."""
        dataset.replace_all(self.points, self.labels, self.is_test, self.test_fraction,
                            self.seed, self.preset, self.source, kind=self.kind,
                            n_classes=self.n_classes, values=self.values)

    def dataset(self) -> Dataset:
        """A new Dataset holding this content (no undo history)."""
        dataset = Dataset(test_fraction=self.test_fraction, seed=self.seed)
        self.fill(dataset)
        dataset.clear_history()
        return dataset


@dataclass(frozen=True)
class ViewSettings:
    """How the window shows the work (workspace_format.ViewDoc)."""

    log_scale: bool = False  # the loss chart's y axis
    discretize: bool = False  # the heatmap by predicted class (a regression: bands)
    show_test: bool = True  # the test points drawn
    show_parts: bool = False  # a function's last hidden neurons' parts of the curve
    point_losses: bool = False  # the points sized by their loss
    hidden_space: bool = False  # the hidden-layer space beside the plot
    hidden_choice: HiddenChoice | None = None  # its layer and axes (None: the first layer's)


@dataclass(frozen=True)
class AutosaveInfo:
    """What an autosave belongs to."""

    file: str | None  # the workspace file, None for an untitled one
    saved_at: str  # ISO 8601 with the UTC offset


@dataclass(frozen=True)
class Workspace:
    """Everything a workspace file holds, as the app's own objects."""

    dataset: DatasetContent
    spec: NetworkSpec
    config: TrainingConfig
    speed: str = "1/frame"  # a name from pace.SPEED_NAMES
    view: ViewSettings = field(default_factory=ViewSettings)
    session: SessionState | None = None  # None: fresh weights from the seed
    autosave: AutosaveInfo | None = None
    # (hidden layer, neuron) pairs held at zero (the session's, when there is one)
    switched_off: frozenset[tuple[int, int]] = frozenset()

    @classmethod
    def of_session(cls, dataset: Dataset, state: SessionState, speed: str,
                   view: ViewSettings = ViewSettings()) -> Workspace:
        """The workspace of a session's state: its data (with the dataset's preset, split
        settings and file name), shape, settings and training."""
        data = state.data
        content = DatasetContent(data.points, data.labels, data.is_test, dataset.test_fraction,
                                 dataset.seed, dataset.preset, dataset.source, data.kind,
                                 data.n_classes, data.values)
        return cls(content, state.spec, state.config, speed, view, state,
                   switched_off=state.switched_off)

    def training_session(self) -> TrainingSession:
        """The session to train on: as saved, or fresh from the seed (with the switched-off
        neurons); ValueError if the parts do not fit together."""
        if self.session is not None:
            return TrainingSession.from_state(replace(self.session,
                                                      switched_off=self.switched_off))
        session = TrainingSession(self.dataset.snapshot(), self.spec, self.config)
        for layer, neuron in sorted(self.switched_off):
            session.set_switched_off(layer, neuron, True)
        return session
