"""Command line: start the playground with a given set-up, optionally train and take a picture."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from engine.activations import ACTIVATION_NAMES as ACTIVATIONS
from playground.core.presets import MAX_NOISE, PRESETS
from playground.core.spec import NetworkSpec, TrainingConfig
from playground.ui.limits import (
    MAX_LAYERS,
    MAX_NEURONS,
    MAX_POINTS,
    MAX_RATE,
    MAX_SEED,
    MIN_POINTS,
    MIN_RATE,
)

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")


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
    if len(sizes) > MAX_LAYERS:
        raise argparse.ArgumentTypeError(f"at most {MAX_LAYERS} hidden layers, got {len(sizes)}")
    if not all(1 <= n <= MAX_NEURONS for n in sizes):
        raise argparse.ArgumentTypeError(f"each layer needs 1 to {MAX_NEURONS} neurons, "
                                         f"got {text!r}")
    return sizes


def _bounded(kind: type, low: float, high: float | None = None):
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


def _image_path(text: str) -> Path:
    """A picture file to write: a known suffix, in an existing directory."""
    path = Path(text)
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise argparse.ArgumentTypeError(f"screenshot must end in {', '.join(IMAGE_SUFFIXES)}, "
                                         f"got {text!r}")
    if not path.absolute().parent.is_dir():
        raise argparse.ArgumentTypeError(f"directory {str(path.absolute().parent)!r} "
                                         "does not exist")
    return path


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of micrograd-playground."""
    parser = argparse.ArgumentParser(
        prog="micrograd-playground",
        description="Click a 2D dataset, shape a neural network, and watch it learn live.")
    parser.add_argument("--dataset", choices=PRESETS, default="circle",
                        help="preset dataset (default: circle)")
    parser.add_argument("--points", type=_bounded(int, MIN_POINTS, MAX_POINTS),
                        default=500, help=f"number of points, {MIN_POINTS}-{MAX_POINTS} "
                                          "(default: 500)")
    parser.add_argument("--noise", type=_bounded(float, 0.0, MAX_NOISE), default=0.0,
                        help=f"noise as a fraction, 0-{MAX_NOISE:g} (0-50%%; default: 0)")
    parser.add_argument("--layers", type=_layers, default=(4, 2),
                        help="neurons per hidden layer, e.g. 4,2 (default); 'none' for no "
                             f"hidden layer; up to {MAX_LAYERS} layers of {MAX_NEURONS}")
    parser.add_argument("--activation", choices=ACTIVATIONS, default="tanh",
                        help="activation of every hidden layer (default: tanh)")
    parser.add_argument("--lr", type=_bounded(float, MIN_RATE, MAX_RATE), default=0.03,
                        help=f"learning rate, {MIN_RATE:g} to {MAX_RATE:g} (default: 0.03)")
    parser.add_argument("--seed", type=_bounded(int, 0, MAX_SEED), default=0,
                        help=f"seed of the data, the split and the initial weights, 0-{MAX_SEED} "
                             "(default: 0)")
    parser.add_argument("--train", action="store_true", help="start training at once")
    parser.add_argument("--epochs", type=_bounded(int, 0), default=None,
                        help="train this many epochs, then pause")
    parser.add_argument("--screenshot", type=_image_path, default=None, metavar="FILE",
                        help="save a picture of the window (after --epochs) and exit")
    return parser


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parsed and checked arguments; bad values print a message and exit with code 2."""
    return build_parser().parse_args(argv)


def setup_from_args(args: argparse.Namespace):
    """The window's Setup for parsed arguments."""
    from playground.ui.main_window import Setup

    spec = NetworkSpec(hidden=args.layers, activations=(args.activation,) * len(args.layers))
    config = TrainingConfig(learning_rate=args.lr, seed=args.seed)
    return Setup(preset=args.dataset, n_points=args.points, noise=args.noise,
                 data_seed=args.seed, spec=spec, config=config)


def run(argv: Sequence[str] | None = None) -> int:
    """Start the app; returns the exit code."""
    args = parse_args(argv)
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
    window = MainWindow(setup_from_args(args))
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
