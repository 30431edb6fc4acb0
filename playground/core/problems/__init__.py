"""The problem types' conventions, in one place: targets, outputs, losses, metrics, shading.

The session trains with them, the graph inspector draws one sample's loss with them
(Problem.sample_loss), and the command line's report and the benchmarks compute with them, so
they cannot drift apart. Four types, by the command line's names:

    binary      two classes, one output score (TensorFlow Playground's problem)
    classes     3 to 8 classes, one score per class
    regression  a value at every point of the plane
    function    samples (x, y) of a function of one variable
"""

from __future__ import annotations

from playground.core.problems.base import (
    EMPTY_EVALUATION,
    Evaluation,
    PlaneProblem,
    Problem,
    SplitMetrics,
    mean_of,
)
from playground.core.problems.classes import (
    MAX_CLASSES,
    MIN_CLASSES,
    TWO_CLASSES,
    SeveralClasses,
    TwoClasses,
)
from playground.core.problems.fitting import (
    FUNCTION_OF_X,
    VALUE_LOSSES,
    FunctionOfX,
    Regression,
    value_scale,
)

KINDS: tuple[str, ...] = ("binary", "classes", "regression", "function")
KIND_NAMES: dict[str, str] = {"binary": "two classes", "classes": "several classes",
                              "regression": "regression", "function": "function of x"}
DEFAULT_CLASSES = 4  # classes of a new several-classes problem


def check_kind(kind: str) -> None:
    """Raise ValueError unless kind is one of KINDS."""
    if kind not in KINDS:
        raise ValueError(f"unknown problem type {kind!r}; choose one of {', '.join(KINDS)}")


def problem_for(kind: str, n_classes: int = DEFAULT_CLASSES, scale: float = 1.0) -> Problem:
    """The problem of a type: n_classes for "classes", the value scale for "regression"."""
    check_kind(kind)
    if kind == "binary":
        return TWO_CLASSES
    if kind == "classes":
        return SeveralClasses(n_classes)
    if kind == "regression":
        return Regression(scale)
    return FUNCTION_OF_X


def losses_of(kind: str) -> tuple[str, ...]:
    """The losses that fit a problem type, its default first."""
    return problem_for(kind).losses


__all__ = ["DEFAULT_CLASSES", "EMPTY_EVALUATION", "FUNCTION_OF_X", "KINDS", "KIND_NAMES",
           "MAX_CLASSES", "MIN_CLASSES", "TWO_CLASSES", "VALUE_LOSSES", "Evaluation",
           "FunctionOfX", "PlaneProblem", "Problem", "Regression", "SeveralClasses",
           "SplitMetrics", "TwoClasses", "check_kind", "losses_of", "mean_of", "problem_for",
           "value_scale"]
