"""The command line's files: open a workspace or a CSV first, save and export after training.

`micrograd-playground exercise.json` opens a workspace, `micrograd-playground points.csv` a
dataset (as --data does); with --headless, --save writes the workspace after training and
--export-script / --export-weights the trained network, so a script can train in steps.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from playground.core.dataset import Dataset
from playground.core.export_script import SCRIPT_KINDS, write_script
from playground.core.exports import TrainedNetwork, write_weights
from playground.core.session import TrainingSession
from playground.core.setup import Setup
from playground.core.workspace import SUFFIX, ViewSettings, Workspace, load, save

# the flags whose settings a workspace holds itself: given with one, they are refused
WORKSPACE_HOLDS = ("problem", "classes", "dataset", "data", "expression", "range", "points",
                   "noise", "test_split", "seed", "features", "layers", "activation", "lr",
                   "batch_size", "optimizer", "loss", "regularization", "reg_rate", "speed",
                   "view")


def _existing_file(text: str) -> Path:
    path = Path(text)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"no such file: {text!r}")
    return path


def _writable(suffix: str):
    """An argparse type: a file to write, ending in suffix, in an existing directory."""

    def convert(text: str) -> Path:
        path = Path(text)
        if path.suffix.lower() != suffix:
            raise argparse.ArgumentTypeError(f"must end in {suffix}, got {text!r}")
        if not path.absolute().parent.is_dir():
            raise argparse.ArgumentTypeError(f"directory {str(path.absolute().parent)!r} "
                                             "does not exist")
        return path

    return convert


def add_file_arguments(parser: argparse.ArgumentParser) -> None:
    """The positional file and the --save and --export flags."""
    parser.add_argument("file", nargs="?", type=_existing_file, default=None,
                        metavar="FILE", help="a workspace (.json) or a dataset (.csv) to open")
    files = parser.add_argument_group("files (with --headless, written after training)")
    files.add_argument("--save", type=_writable(SUFFIX), default=None, metavar="FILE.json",
                       help="save the workspace: data, network, weights, settings, history")
    files.add_argument("--export-script", type=_writable(".py"), default=None,
                       metavar="FILE.py", help="write the trained network as a standalone "
                                               "Python script (see --script-kind)")
    files.add_argument("--script-kind", choices=SCRIPT_KINDS, default=None,
                       help="the script's library: numpy (default), pytorch or micrograd")
    files.add_argument("--export-weights", type=_writable(".json"), default=None,
                       metavar="FILE.json", help="write the trained network's weights as JSON")


def check_file_arguments(parser: argparse.ArgumentParser, args: argparse.Namespace,
                         argv: Sequence[str] | None) -> None:
    """Refuse combinations that cannot work (one line, exit code 2)."""
    for flag in ("save", "export_script", "export_weights"):
        if getattr(args, flag) is not None and not args.headless:
            parser.error(f"--{flag.replace('_', '-')} needs --headless (the window has File "
                         "menu entries for it)")
    if args.script_kind is not None and args.export_script is None:
        parser.error("--script-kind needs --export-script FILE.py")
    if args.file is None:
        return
    if args.file.suffix.lower() == ".csv":
        if args.data is not None:
            parser.error("give the dataset once: as FILE or as --data, not both")
        args.data = args.file
        return
    given = _given_options(parser, args, argv)
    clash = [name for name in WORKSPACE_HOLDS if name in given]
    if clash:
        flags = ", ".join(f"--{name.replace('_', '-')}" for name in clash)
        parser.error(f"{args.file} is a workspace and holds its own settings: leave out "
                     f"{flags}")


def _given_options(parser: argparse.ArgumentParser, args: argparse.Namespace,
                   argv: Sequence[str] | None) -> set[str]:
    """The options typed on the command line (not left at their defaults)."""
    unset = object()  # argparse fills in a default only where the namespace has no value
    probe = argparse.Namespace(**dict.fromkeys(vars(args), unset))
    parser.parse_args(argv, probe)
    return {name for name, value in vars(probe).items() if value is not unset}


def open_workspace(args: argparse.Namespace) -> Workspace | None:
    """The workspace the command line opens (WorkspaceError for a bad file), or None."""
    if args.file is None or args.file.suffix.lower() == ".csv":
        return None
    return load(args.file)


def setup_of_workspace(workspace: Workspace, path: Path) -> Setup:
    """The Setup a workspace amounts to (for the report's set-up)."""
    data = workspace.dataset
    preset = data.preset
    drawn = {"data_file": path} if preset is None else {
        "preset": preset.name, "n_points": preset.n_points, "noise": preset.noise,
        "expression": preset.expression, "x_range": preset.x_range}
    classes = {"n_classes": data.n_classes} if data.kind == "classes" else {}
    return Setup(**drawn, **classes, data_seed=data.seed, test_fraction=data.test_fraction,
                 spec=workspace.spec, config=workspace.config, speed=workspace.speed,
                 problem=data.kind, view="hidden" if workspace.view.hidden_space else "data")


def write_files(args: argparse.Namespace, dataset: Dataset, session: TrainingSession,
                speed: str, view: ViewSettings) -> None:
    """Save and export what the flags ask for, telling which files were written (OSError)."""
    if args.save is not None:
        save(args.save, Workspace.of_session(dataset, session.state(), speed, view))
        print(f"wrote {args.save}", file=sys.stderr)
    network = TrainedNetwork.of(session.state())
    if args.export_script is not None:
        write_script(args.export_script, args.script_kind or "numpy", network)
        print(f"wrote {args.export_script}", file=sys.stderr)
    if args.export_weights is not None:
        write_weights(args.export_weights, network)
        print(f"wrote {args.export_weights}", file=sys.stderr)
