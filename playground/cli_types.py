"""The command line's argument types: text in, a checked value out, or one clear complaint.

argparse names the argument in front of each ArgumentTypeError's message.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from engine.activations import ACTIVATION_NAMES
from playground.core.dataset import MAX_COORDINATE
from playground.core.expression import ExpressionError, parse_function
from playground.core.features import check_features
from playground.core.limits import OFFERED

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")


def comma_separated(text: str) -> list[str]:
    """'tanh, relu' -> ['tanh', 'relu']."""
    return [part.strip() for part in text.split(",")]


def layers(text: str) -> tuple[int, ...]:
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


def activations(text: str) -> tuple[str, ...]:
    """'tanh' (every layer) or 'tanh,relu' (one per layer), each a known activation."""
    names = tuple(comma_separated(text))
    for name in names:
        if name not in ACTIVATION_NAMES:
            raise argparse.ArgumentTypeError(
                f"invalid choice: {name!r} (choose from {', '.join(ACTIVATION_NAMES)}; one name "
                "for every layer, or one per layer separated by commas)")
    return names


def features(text: str) -> tuple[str, ...]:
    """'x1,x2,x1^2' -> ('x1', 'x2', 'x1^2'), each a known feature, none twice."""
    names = tuple(comma_separated(text))
    try:
        check_features(names)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return names


def x_range(text: str) -> tuple[float, float]:
    """'-3.14,3.14' -> (-3.14, 3.14): finite, low < high, within the plot's coordinates."""
    try:
        low, high = (float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected two numbers low,high, e.g. -3,3; "
                                         f"got {text!r}") from None
    if not (-MAX_COORDINATE <= low < high <= MAX_COORDINATE):
        raise argparse.ArgumentTypeError(f"needs low < high, both within {-MAX_COORDINATE:g} "
                                         f"to {MAX_COORDINATE:g}; got {text!r}")
    return low, high


def expression(text: str) -> str:
    """A function of x the parser accepts (ExpressionError's message, caret and all, if not)."""
    try:
        parse_function(text)
    except ExpressionError as error:
        raise argparse.ArgumentTypeError(f"{error.message} (column {error.column})") from None
    return text


def bounded(kind: type, low: float, high: float | None = None) -> Callable[[str], Any]:
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


def in_existing_directory(path: Path) -> Path:
    """path, if the directory it would be written into exists."""
    parent = path.absolute().parent
    if not parent.is_dir():
        raise argparse.ArgumentTypeError(f"directory {str(parent)!r} does not exist")
    return path


def image_path(text: str) -> Path:
    """A picture file to write: a known suffix, in an existing directory."""
    path = Path(text)
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise argparse.ArgumentTypeError(f"screenshot must end in {', '.join(IMAGE_SUFFIXES)}, "
                                         f"got {text!r}")
    return in_existing_directory(path)


def report_path(text: str) -> Path:
    """A JSON file to write, in an existing directory."""
    return in_existing_directory(Path(text))


def csv_path(text: str) -> Path:
    """A dataset file to read (read in full once all arguments are known)."""
    path = Path(text)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"no such file: {text!r}")
    return path
