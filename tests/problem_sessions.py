"""A small trained session of each problem type, for the workspace and export tests."""

from __future__ import annotations

from playground.core.dataset import Dataset
from playground.core.session import TrainingSession
from playground.core.spec import NetworkSpec, TrainingConfig

KINDS = ("binary", "classes", "regression", "function")
# per type: a preset, features beyond the plain inputs, and a loss other than the default
PROBLEMS = {
    "binary": dict(preset="moons", features=("x1", "x2", "x1*x2"), loss="hinge"),
    "classes": dict(preset="yinyang", features=("x1", "x2", "sin(x1)"), loss="cross_entropy"),
    "regression": dict(preset="plane", features=("x1", "x2", "x1^2"), loss="huber"),
    "function": dict(preset="sin", features=("x", "x^2", "sin(x)"), loss="mae"),
}


def problem_dataset(kind: str, n_points: int = 150, test_fraction: float = 0.3) -> Dataset:
    dataset = Dataset(test_fraction=test_fraction)
    dataset.load_preset(PROBLEMS[kind]["preset"], n_points, 0.1, 4, kind=kind, n_classes=3)
    return dataset


def problem_session(kind: str, optimizer: str = "adam", steps: int = 77,
                    switched_off: tuple[tuple[int, int], ...] = (),
                    hidden: tuple[int, ...] = (5, 3),
                    activations: tuple[str, ...] = ("tanh", "relu"),
                    features: tuple[str, ...] | None = None) -> tuple[Dataset, TrainingSession]:
    """A dataset of the type and a session trained steps steps on it (mid-epoch: the order and
    the cursor matter), with these neurons switched off after the first steps."""
    dataset = problem_dataset(kind)
    spec = NetworkSpec(features or PROBLEMS[kind]["features"], hidden, activations)
    config = TrainingConfig(learning_rate=0.02, batch_size=8, optimizer=optimizer,
                            loss=PROBLEMS[kind]["loss"], regularization="l2", reg_rate=0.001,
                            seed=3)
    session = TrainingSession(dataset.snapshot(), spec, config)
    for step in range(steps):
        if step == steps // 3:
            for layer, neuron in switched_off:
                session.set_switched_off(layer, neuron, True)
        session.step()
    return dataset, session
