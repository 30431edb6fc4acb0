"""How fast training runs while playing: the speed choices, slowest first.

From slow motion (one optimization step a second, so each update of the boundary and the
weights can be followed) through TensorFlow Playground's pace (one epoch per drawn frame, the
default) to as fast as the machine goes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Speed:
    """One speed: steps per second by the clock, epochs per drawn frame, or neither (max)."""

    name: str  # the command line's --speed value
    label: str  # what the speed slider shows
    steps_per_second: float = 0.0  # > 0: one optimization step every 1/steps_per_second s
    epochs_per_frame: int = 0  # > 0: this many epochs per snapshot the window asks for

    @property
    def is_max(self) -> bool:
        """True for as fast as the machine goes."""
        return not (self.steps_per_second or self.epochs_per_frame)


SPEEDS: tuple[Speed, ...] = (
    Speed("1/s", "1 step/s", steps_per_second=1.0),
    Speed("3/s", "3 steps/s", steps_per_second=3.0),
    Speed("10/s", "10 steps/s", steps_per_second=10.0),
    Speed("30/s", "30 steps/s", steps_per_second=30.0),
    Speed("1/frame", "1 epoch/frame", epochs_per_frame=1),
    Speed("3/frame", "3 epochs/frame", epochs_per_frame=3),
    Speed("10/frame", "10 epochs/frame", epochs_per_frame=10),
    Speed("max", "max"),
)
SPEED_NAMES: tuple[str, ...] = tuple(speed.name for speed in SPEEDS)
DEFAULT_SPEED = SPEEDS[SPEED_NAMES.index("1/frame")]  # TensorFlow Playground's pace
MAX_SPEED = SPEEDS[-1]


def speed_named(name: str) -> Speed:
    """The Speed of this name; ValueError listing the names otherwise."""
    if name not in SPEED_NAMES:
        raise ValueError(f"unknown speed {name!r}; choose one of {', '.join(SPEED_NAMES)}")
    return SPEEDS[SPEED_NAMES.index(name)]
