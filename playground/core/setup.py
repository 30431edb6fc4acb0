"""Setup: what a session starts with, from the command line, for the window or headless."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from playground.core.dataset import Dataset
from playground.core.pace import DEFAULT_SPEED
from playground.core.presets import DEFAULT_RANGE
from playground.core.problems import DEFAULT_CLASSES, KIND_NAMES
from playground.core.spec import NetworkSpec, TrainingConfig


@dataclass(frozen=True)
class Setup:
    """The data, the network, how it trains and how fast: every setting the window has."""

    preset: str = "circle"  # a name from presets.PRESETS_BY_KIND[problem], or "expression"
    n_points: int = 500  # TensorFlow Playground's default
    noise: float = 0.0  # 0 to 0.5
    data_seed: int = 0  # seeds the preset's points and the train/test split
    test_fraction: float = 0.5
    data_file: Path | None = None  # a CSV (csv_format.py) instead of the preset
    spec: NetworkSpec = field(default_factory=NetworkSpec)
    config: TrainingConfig = field(default_factory=TrainingConfig)
    speed: str = DEFAULT_SPEED.name  # a name from pace.SPEEDS
    problem: str = "binary"  # the problem type, a name from problems.KINDS
    n_classes: int = DEFAULT_CLASSES  # classes of the several-classes type
    expression: str = ""  # a function's typed formula, for the preset "expression"
    x_range: tuple[float, float] = DEFAULT_RANGE  # a function's x, low to high
    view: str = "data"  # the main area: "data" (the plot), "hidden" (and the hidden space beside)

    def dataset(self) -> Dataset:
        """The starting data; ValueError or OSError for a bad file, ValueError for a bad preset
        (an ExpressionError for a refused formula) or a file of another problem type."""
        dataset = Dataset(test_fraction=self.test_fraction, seed=self.data_seed,
                          kind=self.problem, n_classes=self.n_classes)
        if self.data_file is None:
            dataset.load_preset(self.preset, self.n_points, self.noise, self.data_seed,
                                kind=self.problem, n_classes=self.n_classes,
                                expression=self.expression, x_range=self.x_range)
            return dataset
        dataset.load_csv(self.data_file)
        if dataset.kind != self.problem:
            raise ValueError(f"{self.data_file} holds data of {KIND_NAMES[dataset.kind]}, not "
                             f"of {KIND_NAMES[self.problem]}")
        return dataset
