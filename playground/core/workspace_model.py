"""What a workspace holds, as the app's own objects (workspace.py reads and writes them)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from playground.core.dataset import Dataset, DatasetSnapshot, PresetSettings
from playground.core.session import TrainingSession
from playground.core.session_state import SessionState
from playground.core.spec import NetworkSpec, TrainingConfig


@dataclass(frozen=True)
class DatasetContent:
    """A dataset as a workspace holds it (Dataset.replace_all takes these fields)."""

    points: np.ndarray  # (N, 2) float64
    labels: np.ndarray  # (N,) int64 in {0, 1}
    is_test: np.ndarray  # (N,) bool
    test_fraction: float
    seed: int
    preset: PresetSettings | None = None
    source: str | None = None

    @classmethod
    def of(cls, dataset: Dataset) -> DatasetContent:
        """What dataset holds now (its arrays are read-only: shared, not copied)."""
        return cls(dataset.points, dataset.labels, dataset.is_test, dataset.test_fraction,
                   dataset.seed, dataset.preset, dataset.source)

    def snapshot(self) -> DatasetSnapshot:
        """The data for a TrainingSession."""
        return DatasetSnapshot(self.points, self.labels, self.is_test)

    def dataset(self) -> Dataset:
        """A new Dataset holding this content (no undo history)."""
        dataset = Dataset(test_fraction=self.test_fraction, seed=self.seed)
        dataset.replace_all(self.points, self.labels, self.is_test, self.test_fraction,
                            self.seed, self.preset, self.source)
        dataset.clear_history()
        return dataset


@dataclass(frozen=True)
class ViewSettings:
    """How the window shows the work (workspace_format.ViewDoc)."""

    log_scale: bool = False
    discretize: bool = False
    show_test: bool = True


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

    @classmethod
    def of_session(cls, dataset: Dataset, state: SessionState, speed: str,
                   view: ViewSettings = ViewSettings()) -> Workspace:
        """The workspace of a session's state: its data (with the dataset's preset, split
        settings and file name), shape, settings and training."""
        data = state.data
        content = DatasetContent(data.points, data.labels, data.is_test, dataset.test_fraction,
                                 dataset.seed, dataset.preset, dataset.source)
        return cls(content, state.spec, state.config, speed, view, state)

    def training_session(self) -> TrainingSession:
        """The session to train on: as saved, or fresh from the seed."""
        if self.session is None:
            return TrainingSession(self.dataset.snapshot(), self.spec, self.config)
        return TrainingSession.from_state(self.session)
