"""What training reports: each step's StepResult, and the History of evaluations."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import NamedTuple

from playground.core.problems import EMPTY_EVALUATION, Evaluation


class StepResult(NamedTuple):  # built every step: a tuple is 4x cheaper than a dataclass
    """What one optimization step reports; small and immutable, to send to the GUI thread."""

    step: int  # optimization steps done since the last reset
    epoch: int  # full passes over the training split done since the last reset
    batch_loss: float  # loss of this step's minibatch before its update (nan if none)
    train_loss: float  # loss on the whole training split at the last evaluation (nan if empty)
    test_loss: float  # loss on the whole test split at the last evaluation (nan if empty)
    train_accuracy: float  # fraction of training points classified right, 0 to 1 (nan: values)
    test_accuracy: float  # fraction of test points classified right, 0 to 1 (nan: values)
    diverged: bool = False  # not finite: the weights of the best epoch so far were restored
    message: str = ""  # why nothing was learned (diverged, no data), for the status bar
    # every metric of the problem type at the last evaluation (per class, confusion, R², RMSE)
    evaluation: Evaluation = EMPTY_EVALUATION


def _ints() -> array:
    return array("q")


def _floats() -> array:
    return array("d")


@dataclass
class History:
    """One entry per evaluation: after reset (epoch 0) and at the end of every epoch.

    Typed arrays, not lists: 49 bytes an entry instead of 208 (a pointer and a Python number per
    value), so at 370 epochs a second an hour of training keeps 65 MB instead of 280.
    """

    steps: array = field(default_factory=_ints)  # the step count at each entry
    epochs: array = field(default_factory=_ints)
    train_loss: array = field(default_factory=_floats)
    test_loss: array = field(default_factory=_floats)
    train_accuracy: array = field(default_factory=_floats)
    test_accuracy: array = field(default_factory=_floats)

    def __len__(self) -> int:
        return len(self.epochs)

    def copy(self) -> History:
        """An independent copy (the arrays are copied)."""
        return History(*(array(a.typecode, a) for a in (
            self.steps, self.epochs, self.train_loss, self.test_loss, self.train_accuracy,
            self.test_accuracy)))
