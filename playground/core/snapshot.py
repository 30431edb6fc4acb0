"""TrainingSnapshot: what the window draws, made by the training loop at the drawing rate."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.core.bounds import Bounds
from playground.core.inside import InsideView
from playground.core.problems import Problem
from playground.core.session import TrainingSession
from playground.core.training_record import StepResult


@dataclass(frozen=True)
class TrainingSnapshot:
    """The session's state between two steps, for the window (not made every step)."""

    result: StepResult  # the session's current metrics and counters
    levels: np.ndarray  # (res, res) uint8 colour levels of the problem's picture, row 0 at ymax
    bounds: Bounds  # the area the levels cover
    history_start: int  # index in the session's history of the first entry below (0: anew)
    epochs: tuple[int, ...]  # new history entries: epoch of each evaluation
    train_losses: tuple[float, ...]
    test_losses: tuple[float, ...]
    spec_change_epochs: tuple[int, ...]  # epochs at which the network's shape changed
    features: tuple[str, ...]  # the network's input features
    weights: list[tuple[np.ndarray, np.ndarray]]  # copies: per layer weight (in, out), bias
    problem: Problem  # the type the levels picture (its colour table: classes, value scale)
    # what the weights were trained with, taken with them: a view of the network (the graph
    # inspector) never pairs them with a newer activation or loss from the controls
    activations: tuple[str, ...]  # one per hidden layer
    loss: str
    switched_off: frozenset[tuple[int, int]] = frozenset()  # (hidden layer, neuron) held at 0
    inside: InsideView | None = None  # what the network view, hidden space and health show


def take_snapshot(session: TrainingSession, bounds: Bounds, resolution: int,
                  history_start: int, inside: InsideView | None = None) -> TrainingSnapshot:
    """The session now, with its decision grid over bounds and its history from history_start."""
    history = session.history
    return TrainingSnapshot(
        result=session.latest,
        levels=session.plot_levels(bounds, resolution),
        bounds=bounds, history_start=history_start,
        epochs=tuple(history.epochs[history_start:]),
        train_losses=tuple(history.train_loss[history_start:]),
        test_losses=tuple(history.test_loss[history_start:]),
        spec_change_epochs=tuple(session.spec_changes),
        features=session.spec.features, weights=session.weights(), problem=session.problem,
        activations=session.spec.activations, loss=session.config.loss,
        switched_off=session.switched_off, inside=inside)
