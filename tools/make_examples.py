"""Write the example workspaces into resources/examples/ (run from the repository's root):

    .venv/bin/python tools/make_examples.py

Each is the app's own set-up from command-line flags, as `micrograd-playground FLAGS
--headless --epochs 0 --save FILE` makes it, with the view settings the example shows. They are
untrained: opening one and pressing play is the lesson. tests/test_examples.py checks the
shipped files are what this writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playground.cli import parse_args, setup_from_args
from playground.core.atomic import write_atomic
from playground.core.examples import EXAMPLES
from playground.core.session import TrainingSession
from playground.core.workspace import ViewSettings, Workspace, encode

FOLDER = Path(__file__).resolve().parent.parent / "resources" / "examples"

# by file: the flags, and what the window shows besides the defaults
RECIPES: dict[str, tuple[list[str], ViewSettings]] = {
    # micrograd's demo.ipynb: make_moons(100, noise=0.1), MLP(2, [16, 16, 1]), the svm
    # max-margin loss with alpha 1e-4 of L2, SGD over the whole batch (here 90 training points)
    "micrograd-demo.json": (["--dataset", "moons", "--points", "100", "--noise", "0.1",
                             "--test-split", "0.1", "--layers", "16,16", "--activation", "relu",
                             "--loss", "hinge", "--regularization", "l2", "--reg-rate", "1e-4",
                             "--optimizer", "sgd", "--lr", "0.1", "--batch-size", "100",
                             "--speed", "10/s"], ViewSettings()),
    # TensorFlow Playground's spiral with its defaults (500 points, half for testing, batch 10,
    # learning rate 0.03, tanh), the features and layers that learn it
    "tensorflow-spiral.json": (["--dataset", "spiral", "--points", "500", "--test-split", "0.5",
                                "--features", "x1,x2,sin(x1),sin(x2)", "--layers", "8,8,6",
                                "--activation", "tanh", "--lr", "0.03", "--batch-size", "10",
                                "--loss", "mse"], ViewSettings()),
    "yin-yang.json": (["--problem", "classes", "--dataset", "yinyang", "--points", "500",
                       "--test-split", "0.3", "--layers", "16,16", "--activation", "tanh",
                       "--optimizer", "adam", "--lr", "0.01", "--loss", "cross_entropy"],
                      ViewSettings()),
    "regression-plane.json": (["--problem", "regression", "--dataset", "plane", "--points",
                               "200", "--noise", "0.1", "--test-split", "0.3", "--layers",
                               "none", "--lr", "0.03", "--loss", "mse"], ViewSettings()),
    "function-fit.json": (["--problem", "function", "--dataset", "sin", "--points", "200",
                           "--noise", "0.05", "--test-split", "0.3", "--layers", "8",
                           "--activation", "tanh", "--optimizer", "adam", "--lr", "0.01"],
                          ViewSettings(show_parts=True)),
}


def example_bytes(file: str) -> bytes:
    """The workspace file of one example, as the app writes it."""
    flags, view = RECIPES[file]
    setup = setup_from_args(parse_args([*flags, "--headless", "--epochs", "0"]))
    dataset = setup.dataset()
    session = TrainingSession(dataset.snapshot(), setup.spec, setup.config)
    return encode(Workspace.of_session(dataset, session.state(), setup.speed, view))


def main() -> int:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for example in EXAMPLES:
        path = FOLDER / example.file
        write_atomic(path, example_bytes(example.file))
        print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
