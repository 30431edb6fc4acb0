"""The example workspaces shipped with the app (resources/examples/, the package
playground.resources): each a starting point that teaches one thing, opened from File >
Examples or by its path on the command line. tools/make_examples.py writes them.
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Example:
    """One example workspace: its file, its menu entry and what it teaches (the tooltip)."""

    file: str  # in resources/examples/
    title: str
    teaches: str


EXAMPLES: tuple[Example, ...] = (
    Example("micrograd-demo.json", "micrograd's demo: moons",
            "micrograd's demo.ipynb: 100 moons, a 2-16-16-1 ReLU network, the max-margin "
            "(hinge) loss with a little L2, plain full-batch SGD. Press play: a network of "
            "ReLUs bends a line into the shape between the moons."),
    Example("tensorflow-spiral.json", "TensorFlow Playground's spiral",
            "The hardest of TensorFlow Playground's datasets. With sin(x1) and sin(x2) beside "
            "x1 and x2 and three tanh layers it is learned; take the sines away, or a layer, "
            "and watch it fail."),
    Example("yin-yang.json", "Three classes: yin-yang",
            "Three classes, one output score each and the softmax cross-entropy loss: the "
            "confusion matrix shows which class is taken for which while it learns."),
    Example("regression-plane.json", "Regression: a tilted plane",
            "A value at every point. With no hidden layer the network is linear regression and "
            "fits the plane; switch the data to multigauss and it needs hidden layers."),
    Example("function-fit.json", "A function of x: sin(x)",
            "Fitting y = sin(x) with eight tanh neurons: the faint curves are each neuron's "
            "part, and the fit is their sum plus a bias."),
)


def example_path(example: Example) -> Path:
    """Where the installed example file is (a real file: the package is installed unzipped)."""
    return Path(str(importlib.resources.files("playground.resources") / "examples"
                    / example.file))
