"""Training with no window: the window's TrainingLoop at full speed, progress, a JSON report."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from playground.core.atomic import write_atomic
from playground.core.loop import TrainingLoop
from playground.core.pace import MAX_SPEED
from playground.core.problems import Problem
from playground.core.session import TrainingSession
from playground.core.setup import Setup
from playground.core.training_record import StepResult

PROGRESS_LINES = 10  # progress lines over a run (and one at the end)


@dataclass(frozen=True)
class Outcome:
    """How a headless run ended."""

    result: StepResult  # the session's metrics at the end (after a restore, if it diverged)
    halted: str | None = None  # why training stopped before the last epoch (diverged, no data)
    error: str | None = None  # an exception's message, if one stopped it


def progress_line(result: StepResult, epochs: int, problem: Problem) -> str:
    """'epoch 40/200: train loss 0.1234, test loss 0.1301, accuracy 98.0% train, 97.6% test'
    (for values: 'R² 0.981 train, 0.975 test')."""
    losses = (f"epoch {result.epoch}/{epochs}: train loss {result.train_loss:.4g}, "
              f"test loss {result.test_loss:.4g}")
    if problem.n_classes:
        return (f"{losses}, accuracy {100 * result.train_accuracy:.1f}% train, "
                f"{100 * result.test_accuracy:.1f}% test")
    evaluation = result.evaluation
    return f"{losses}, R² {evaluation.train.r2:.3f} train, {evaluation.test.r2:.3f} test"


def train_headless(session: TrainingSession, epochs: int,
                   progress: Callable[[str], Any] = print) -> Outcome:
    """Train epochs more epochs in this thread as the window's loop would, at max speed."""
    loop = TrainingLoop(session, MAX_SPEED)
    target = session.epoch + epochs  # an opened workspace goes on from its epoch
    every = max(1, epochs // PROGRESS_LINES)
    stops: dict[str, str] = {}
    next_line = session.epoch + every  # the epoch of the next progress line

    def on_step(result: StepResult) -> None:
        nonlocal next_line
        if result.epoch >= next_line:
            next_line += every
            progress(progress_line(result, target, session.problem))

    def on_running_changed(running: bool) -> None:
        if not running:
            loop.stop()

    loop.on_step = on_step
    loop.running_changed.connect(on_running_changed)
    loop.halted.connect(lambda message: stops.setdefault("halted", message))
    loop.errored.connect(lambda message: stops.setdefault("error", message))
    loop.train_epochs(epochs)
    if epochs > 0:
        loop.run()
    return Outcome(session.latest, stops.get("halted"), stops.get("error"))


def _finite(value: float) -> float | None:
    """value, or None (JSON's null) for NaN and infinities, which JSON cannot hold."""
    return value if math.isfinite(value) else None


def _type_metrics(problem: Problem, result: StepResult) -> dict[str, Any]:
    """The final metrics of the problem type, on the test split as test_loss is: per-class
    accuracy and the confusion matrix (rows: true class, columns: predicted) for classes, R²
    and RMSE for values, with their training split's beside them."""
    train, test = result.evaluation.train, result.evaluation.test
    if problem.n_classes:
        k = problem.n_classes
        per_class = test.per_class_accuracy or (math.nan,) * k  # an empty split: null
        confusion = test.confusion or ((0,) * k,) * k
        return {"per_class_accuracy": [_finite(v) for v in per_class],
                "confusion": [list(row) for row in confusion]}
    return {"r2": _finite(test.r2), "rmse": _finite(test.rmse),
            "train_r2": _finite(train.r2), "train_rmse": _finite(train.rmse)}


def report(setup: Setup, session: TrainingSession, outcome: Outcome) -> dict[str, Any]:
    """The set-up, the history (one entry per evaluation) and the final metrics, JSON-ready."""
    history = session.history
    result = outcome.result
    problem = session.problem
    data: dict[str, Any] = {"problem": problem.kind, "test_fraction": setup.test_fraction,
                            "seed": setup.data_seed}
    if problem.kind == "classes":
        data["classes"] = problem.n_classes
    if setup.data_file is None:
        data |= {"preset": setup.preset, "points": setup.n_points, "noise": setup.noise}
        if problem.kind == "function":
            data |= {"expression": setup.expression or None, "range": list(setup.x_range)}
    else:
        data |= {"file": str(setup.data_file), "points": len(session.data)}
    return {
        "setup": {"data": data, "network": asdict(setup.spec), "training": asdict(setup.config)},
        "epoch": list(history.epochs),
        "step": list(history.steps),
        "train_loss": [_finite(v) for v in history.train_loss],
        "test_loss": [_finite(v) for v in history.test_loss],
        "train_accuracy": [_finite(v) for v in history.train_accuracy],
        "test_accuracy": [_finite(v) for v in history.test_accuracy],
        "final": {"epoch": result.epoch, "step": result.step,
                  "train_loss": _finite(result.train_loss),
                  "test_loss": _finite(result.test_loss),
                  "train_accuracy": _finite(result.train_accuracy),
                  "test_accuracy": _finite(result.test_accuracy),
                  **_type_metrics(problem, result)},
        "halted": outcome.halted,
        "error": outcome.error,
    }


def write_json(path: Path, document: dict[str, Any]) -> None:
    """Write document to path atomically (atomic.write_atomic).

    One top-level key a line, each value on its line (a history of 10,000 entries stays
    10 lines); NaN is refused (ValueError): report() has made it null.
    """
    lines = [f"{json.dumps(key)}: {json.dumps(value, allow_nan=False)}"
             for key, value in document.items()]
    write_atomic(path, "{\n" + ",\n".join(lines) + "\n}\n")
