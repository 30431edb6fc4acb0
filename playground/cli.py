"""Command line: every setting of the window as a flag; a window, a screenshot, or headless.

Nothing here imports Qt until a window is wanted: `--headless` trains and reports without it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from engine.activations import ACTIVATION_NAMES
from playground.core.dataset import Dataset
from playground.core.features import FEATURES, check_features
from playground.core.headless import report, train_headless, write_json
from playground.core.limits import OFFERED
from playground.core.pace import DEFAULT_SPEED, SPEED_NAMES
from playground.core.presets import PRESETS
from playground.core.session import TrainingSession
from playground.core.setup import Setup
from playground.core.spec import (
    LOSS_NAMES,
    OPTIMIZERS,
    REGULARIZATIONS,
    NetworkSpec,
    TrainingConfig,
)

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")
VIEWS = ("data", "hidden")  # --view: what the window's main area shows
PROG = "micrograd-playground"


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (no usage block), exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _names(text: str) -> list[str]:
    """'tanh, relu' -> ['tanh', 'relu']."""
    return [part.strip() for part in text.split(",")]


def _layers(text: str) -> tuple[int, ...]:
    """'4,2' -> (4, 2); '' or 'none' -> () (no hidden layer)."""
    if text.strip().lower() in ("", "none"):
        return ()
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected neurons per hidden layer separated by commas, e.g. 4,2; got {text!r}"
        ) from None
    max_layers = OFFERED.hidden_layers[1]
    low, high = OFFERED.neurons
    if len(sizes) > max_layers:
        raise argparse.ArgumentTypeError(f"at most {max_layers} hidden layers, got {len(sizes)}")
    if not all(low <= n <= high for n in sizes):
        raise argparse.ArgumentTypeError(f"each layer needs {low} to {high} neurons, "
                                         f"got {text!r}")
    return sizes


def _activations(text: str) -> tuple[str, ...]:
    """'tanh' (every layer) or 'tanh,relu' (one per layer), each a known activation."""
    names = tuple(_names(text))
    for name in names:
        if name not in ACTIVATION_NAMES:
            raise argparse.ArgumentTypeError(
                f"invalid choice: {name!r} (choose from {', '.join(ACTIVATION_NAMES)}; one name "
                "for every layer, or one per layer separated by commas)")
    return names


def _features(text: str) -> tuple[str, ...]:
    """'x1,x2,x1^2' -> ('x1', 'x2', 'x1^2'), each a known feature, none twice."""
    names = tuple(_names(text))
    try:
        check_features(names)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return names


def _bounded(kind: type, low: float, high: float | None = None) -> Callable[[str], Any]:
    """An argparse type: kind(text) within [low, high] (argparse names the argument)."""

    def convert(text: str):
        try:
            value = kind(text)
        except ValueError:
            noun = "whole number" if kind is int else "number"
            raise argparse.ArgumentTypeError(f"must be a {noun}, got {text!r}") from None
        if value != value or value < low or (high is not None and value > high):
            limit = f"between {low:g} and {high:g}" if high is not None else f">= {low:g}"
            raise argparse.ArgumentTypeError(f"must be {limit}, got {text!r}")
        return value

    return convert


def _in_existing_directory(path: Path) -> Path:
    """path, if the directory it would be written into exists."""
    parent = path.absolute().parent
    if not parent.is_dir():
        raise argparse.ArgumentTypeError(f"directory {str(parent)!r} does not exist")
    return path


def _image_path(text: str) -> Path:
    """A picture file to write: a known suffix, in an existing directory."""
    path = Path(text)
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise argparse.ArgumentTypeError(f"screenshot must end in {', '.join(IMAGE_SUFFIXES)}, "
                                         f"got {text!r}")
    return _in_existing_directory(path)


def _report_path(text: str) -> Path:
    """A JSON file to write, in an existing directory."""
    return _in_existing_directory(Path(text))


def _csv_path(text: str) -> Path:
    """A dataset file to read (read in full once all arguments are known)."""
    path = Path(text)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"no such file: {text!r}")
    return path


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of micrograd-playground."""
    limits = OFFERED
    parser = _Parser(
        prog=PROG,
        description="Click a 2D dataset, shape a neural network, and watch it learn live.")
    data = parser.add_argument_group("data")
    data.add_argument("--dataset", choices=PRESETS, default="circle",
                      help="preset dataset (default: circle)")
    data.add_argument("--data", type=_csv_path, default=None, metavar="FILE.csv",
                      help="start with the points of a CSV file (x,y,label[,split]) instead "
                           "of a preset")
    data.add_argument("--points", type=_bounded(int, *limits.points), default=500,
                      help=f"number of points, {limits.points[0]}-{limits.points[1]} "
                           "(default: 500)")
    data.add_argument("--noise", type=_bounded(float, *limits.noise), default=0.0,
                      help=f"noise as a fraction, {limits.noise[0]:g}-{limits.noise[1]:g} "
                           "(0-50%%; default: 0)")
    data.add_argument("--test-split", type=_bounded(float, *limits.test_fraction), default=0.5,
                      metavar="F", help="share of the points held out for testing, "
                                        f"{limits.test_fraction[0]:g}-{limits.test_fraction[1]:g}"
                                        " (default: 0.5)")
    data.add_argument("--seed", type=_bounded(int, *limits.seed), default=0,
                      help="seed of the data, the split and the initial weights, "
                           f"{limits.seed[0]}-{limits.seed[1]} (default: 0)")

    network = parser.add_argument_group("network")
    network.add_argument("--features", type=_features, default=("x1", "x2"), metavar="NAMES",
                         help=f"input features separated by commas, from {', '.join(FEATURES)} "
                              "(default: x1,x2)")
    network.add_argument("--layers", type=_layers, default=(4, 2),
                         help="neurons per hidden layer, e.g. 4,2 (default); 'none' for no "
                              f"hidden layer; up to {limits.hidden_layers[1]} layers of "
                              f"{limits.neurons[1]}")
    network.add_argument("--activation", type=_activations, default=("tanh",), metavar="NAMES",
                         help=f"activation of every hidden layer, or one per layer separated "
                              f"by commas (e.g. tanh,relu); from {', '.join(ACTIVATION_NAMES)} "
                              "(default: tanh)")

    training = parser.add_argument_group("training")
    training.add_argument("--lr", type=_bounded(float, *limits.learning_rate), default=0.03,
                          help=f"learning rate, {limits.learning_rate[0]:g} to "
                               f"{limits.learning_rate[1]:g} (default: 0.03)")
    training.add_argument("--batch-size", type=_bounded(int, *limits.batch_size), default=10,
                          metavar="N", help="training points per optimization step, "
                                            f"{limits.batch_size[0]}-{limits.batch_size[1]} "
                                            "(default: 10)")
    training.add_argument("--optimizer", choices=OPTIMIZERS, default="sgd",
                          help="sgd, momentum (SGD with momentum 0.9), adam or adamw (Adam "
                               "with decoupled weight decay) (default: sgd)")
    training.add_argument("--loss", choices=LOSS_NAMES, default="mse",
                          help="mse (squared error), hinge or bce (cross-entropy) "
                               "(default: mse)")
    training.add_argument("--regularization", choices=REGULARIZATIONS, default="none",
                          help="penalty on the weights (default: none)")
    training.add_argument("--reg-rate", type=_bounded(float, *limits.reg_rate), default=0.0,
                          metavar="F", help="strength of the penalty, "
                                            f"{limits.reg_rate[0]:g}-{limits.reg_rate[1]:g} "
                                            "(default: 0)")
    training.add_argument("--speed", choices=SPEED_NAMES, default=DEFAULT_SPEED.name,
                          help="steps per second (1/s ... 30/s), epochs per drawn frame "
                               "(1/frame ... 10/frame) or max; default: 1/frame, TensorFlow "
                               "Playground's pace (headless training always runs at max)")

    window = parser.add_argument_group("window")
    window.add_argument("--view", choices=VIEWS, default="data",
                        help="what the main area shows: the data plot (default), or 'hidden': "
                             "the hidden-layer space beside it")

    run = parser.add_argument_group("what to do")
    run.add_argument("--train", action="store_true", help="start training at once")
    run.add_argument("--epochs", type=_bounded(int, 0), default=None,
                     help="train this many epochs, then pause")
    run.add_argument("--screenshot", type=_image_path, default=None, metavar="FILE",
                     help="save a picture of the window (after --epochs) and exit")
    run.add_argument("--headless", action="store_true",
                     help="train --epochs N without a window (no Qt), progress on stderr")
    run.add_argument("--report", type=_report_path, default=None, metavar="FILE.json",
                     help="with --headless: write the history and the final metrics as JSON")
    return parser


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parsed and checked arguments; bad values print one line and exit with code 2."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.headless and args.epochs is None:
        parser.error("--headless needs --epochs N")
    if args.headless and args.screenshot is not None:
        parser.error("--screenshot needs the window: leave out --headless")
    if args.report is not None and not args.headless:
        parser.error("--report needs --headless")
    n_layers = len(args.layers)
    if len(args.activation) not in (1, n_layers):
        parser.error(f"argument --activation: {len(args.activation)} activations for "
                     f"{n_layers} hidden layers; give one for every layer or one per layer")
    return args


def setup_from_args(args: argparse.Namespace) -> Setup:
    """The Setup for parsed arguments."""
    activations = args.activation * len(args.layers) if len(args.activation) == 1 \
        else args.activation
    spec = NetworkSpec(features=args.features, hidden=args.layers, activations=activations)
    config = TrainingConfig(learning_rate=args.lr, batch_size=args.batch_size,
                            optimizer=args.optimizer, loss=args.loss,
                            regularization=args.regularization, reg_rate=args.reg_rate,
                            seed=args.seed)
    return Setup(preset=args.dataset, n_points=args.points, noise=args.noise,
                 data_seed=args.seed, test_fraction=args.test_split, data_file=args.data,
                 spec=spec, config=config, speed=args.speed, view=args.view)


def _fail(message: str) -> NoReturn:
    """Print one line and exit with code 2."""
    print(f"{PROG}: error: {message}", file=sys.stderr)
    sys.exit(2)


def run(argv: Sequence[str] | None = None) -> int:
    """Start the app, or train headless; returns the exit code."""
    args = parse_args(argv)
    try:
        setup = setup_from_args(args)
        dataset = setup.dataset()  # a bad file fails here, before any window
    except (OSError, UnicodeDecodeError, ValueError) as error:
        _fail(f"could not read the dataset: {error}" if args.data else str(error))
    try:
        if args.headless:
            return run_headless(setup, dataset, args.epochs, args.report)
        return run_window(setup, args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def run_headless(setup: Setup, dataset: Dataset, epochs: int, report_path: Path | None) -> int:
    """Train epochs with no window; 0 when done, 1 if training stopped early."""
    session = TrainingSession(dataset.snapshot(), setup.spec, setup.config)
    outcome = train_headless(session, epochs, lambda line: print(line, file=sys.stderr))
    stopped = outcome.halted or outcome.error
    if stopped:
        print(f"training stopped before epoch {epochs}: {stopped}", file=sys.stderr)
    if report_path is not None:
        try:
            write_json(report_path, report(setup, session, outcome))
        except OSError as error:
            _fail(f"could not write the report: {error}")
        print(f"wrote {report_path}", file=sys.stderr)
    return 1 if stopped else 0


def run_window(setup: Setup, args: argparse.Namespace) -> int:
    """Show the window; with --screenshot, train, save the picture and exit."""
    has_display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if args.screenshot is not None and not has_display:
        # a picture needs no screen: render offscreen unless the user chose a platform
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    from playground.ui.main_window import MainWindow
    from playground.ui.screenshot import ScreenshotAfterTraining

    pg.setConfigOptions(antialias=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    # a screenshot shows the default layout, not the sizes a person last left the window at
    window = MainWindow(setup, remember_layout=args.screenshot is None)
    window.show()
    if args.screenshot is not None:
        ScreenshotAfterTraining(window, args.epochs or 0, args.screenshot)  # owned by window
    elif args.epochs is not None:
        window.train_epochs(args.epochs)
    elif args.train:
        window.toggle_play()
    code = app.exec()
    window.shutdown()
    return code
