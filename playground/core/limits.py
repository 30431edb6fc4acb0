"""The ranges of every setting: what the core accepts, and what the window and the CLI offer.

Two tables, so a widget never offers what the core refuses (a test checks OFFERED lies within
ACCEPTED) and the core can take more than a slider shows (a file, a script, a later feature).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Range = tuple[float, float]  # (low, high); high may be math.inf


@dataclass(frozen=True)
class Limits:
    """Inclusive (low, high) ranges of the settings; the learning rate's low end is exclusive."""

    hidden_layers: Range  # hidden layers in a network
    neurons: Range  # neurons in one hidden layer
    points: Range  # points a preset draws
    noise: Range  # a preset's noise, as a fraction (TensorFlow Playground's 0-50%)
    test_fraction: Range  # share of the points held out for testing
    learning_rate: Range  # the optimizer's step size
    batch_size: Range  # training points per optimization step
    reg_rate: Range  # strength of the L1 or L2 penalty
    seed: Range  # seeds of the data and of the weights
    classes: Range  # classes of the several-classes problem type


# what playground.core and the engine accept: anything else is a ValueError
ACCEPTED = Limits(hidden_layers=(0, 8), neurons=(1, 32), points=(0, math.inf),
                  noise=(0.0, 0.5), test_fraction=(0.1, 0.9), learning_rate=(0.0, math.inf),
                  batch_size=(1, math.inf), reg_rate=(0.0, math.inf), seed=(0, math.inf),
                  classes=(3, 8))
# what the window's controls and the command line offer: sliders a person can read and drag
OFFERED = Limits(hidden_layers=(0, 6), neurons=(1, 16), points=(10, 1000), noise=(0.0, 0.5),
                 test_fraction=(0.1, 0.9), learning_rate=(1e-5, 10.0), batch_size=(1, 100),
                 reg_rate=(0.0, 10.0), seed=(0, 99_999), classes=(3, 8))
