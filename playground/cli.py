"""Command line: every setting of the window as a flag; a window, a screenshot, or headless.

Nothing here imports Qt until a window is wanted: `--headless` trains and reports without it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from engine.activations import ACTIVATION_NAMES
from playground import cli_types as arg
from playground.cli_files import (
    add_file_arguments,
    check_file_arguments,
    open_workspace,
    setup_of_workspace,
    write_files,
)
from playground.core.dataset import Dataset
from playground.core.features import (
    DEFAULT_FUNCTION_FEATURES,
    DEFAULT_PLANE_FEATURES,
    FEATURES,
    check_features,
)
from playground.core.headless import report, train_headless, write_json
from playground.core.limits import OFFERED
from playground.core.pace import DEFAULT_SPEED, SPEED_NAMES
from playground.core.presets import (
    ALL_PRESETS,
    DEFAULT_PRESETS,
    DEFAULT_RANGE,
    EXPRESSION,
    PRESETS_BY_KIND,
    kinds_with,
)
from playground.core.problems import DEFAULT_CLASSES, KIND_NAMES, KINDS, problem_for
from playground.core.session import TrainingSession
from playground.core.setup import Setup
from playground.core.spec import (
    LOSS_NAMES,
    OPTIMIZERS,
    REGULARIZATIONS,
    NetworkSpec,
    TrainingConfig,
)
from playground.core.workspace import ViewSettings, Workspace, WorkspaceError

VIEWS = ("data", "hidden")  # --view: what the window's main area shows
PROG = "micrograd-playground"


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (no usage block), exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of micrograd-playground."""
    limits = OFFERED
    parser = _Parser(
        prog=PROG,
        description="Click a 2D dataset, shape a neural network, and watch it learn live.")
    data = parser.add_argument_group("data")
    data.add_argument("--problem", choices=KINDS, default=None,
                      help="binary (two classes), classes (3 to 8), regression (a value at "
                           "every point) or function (of one variable, x); default: what "
                           "--dataset, --data or --classes say, else binary")
    data.add_argument("--dataset", choices=ALL_PRESETS, default=None,
                      help="preset dataset of the problem type: "
                           + "; ".join(f"{kind}: {', '.join(names)}"
                                       for kind, names in PRESETS_BY_KIND.items())
                           + " (default: " + ", ".join(DEFAULT_PRESETS.values()) + ")")
    data.add_argument("--classes", type=arg.bounded(int, *limits.classes), default=None,
                      metavar="K", help=f"classes of the classes problem, {limits.classes[0]}-"
                                        f"{limits.classes[1]} (default: {DEFAULT_CLASSES}; "
                                        "yinyang has its own 3)")
    data.add_argument("--expression", type=arg.expression, default=None, metavar="TEXT",
                      help="a function of x to fit, e.g. 'sin(3*x) + 0.3*x' (numbers, x, pi, "
                           "e, + - * / **, sin cos tan exp log sqrt abs tanh)")
    data.add_argument("--range", type=arg.x_range, default=None, metavar="A,B",
                      help="a function's x from A to B (default: -pi,pi)")
    data.add_argument("--data", type=arg.csv_path, default=None, metavar="FILE.csv",
                      help="start with the points of a CSV file instead of a preset: "
                           "x,y,label[,split] (classes), x,y,value[,split] (regression) or "
                           "x,y[,split] (a function)")
    data.add_argument("--points", type=arg.bounded(int, *limits.points), default=500,
                      help=f"number of points, {limits.points[0]}-{limits.points[1]} "
                           "(default: 500)")
    data.add_argument("--noise", type=arg.bounded(float, *limits.noise), default=0.0,
                      help=f"noise as a fraction, {limits.noise[0]:g}-{limits.noise[1]:g} "
                           "(0-50%%; default: 0)")
    data.add_argument("--test-split", type=arg.bounded(float, *limits.test_fraction), default=0.5,
                      metavar="F", help="share of the points held out for testing, "
                                        f"{limits.test_fraction[0]:g}-{limits.test_fraction[1]:g}"
                                        " (default: 0.5)")
    data.add_argument("--seed", type=arg.bounded(int, *limits.seed), default=0,
                      help="seed of the data, the split and the initial weights, "
                           f"{limits.seed[0]}-{limits.seed[1]} (default: 0)")

    network = parser.add_argument_group("network")
    network.add_argument("--features", type=arg.features, default=None, metavar="NAMES",
                         help=f"input features separated by commas, from {', '.join(FEATURES)}"
                              " (x... for a function, x1 and x2 for the others; default: "
                              f"{','.join(DEFAULT_PLANE_FEATURES)}, or "
                              f"{','.join(DEFAULT_FUNCTION_FEATURES)} for a function)")
    network.add_argument("--layers", type=arg.layers, default=(4, 2),
                         help="neurons per hidden layer, e.g. 4,2 (default); 'none' for no "
                              f"hidden layer; up to {limits.hidden_layers[1]} layers of "
                              f"{limits.neurons[1]}")
    network.add_argument("--activation", type=arg.activations, default=("tanh",), metavar="NAMES",
                         help=f"activation of every hidden layer, or one per layer separated "
                              f"by commas (e.g. tanh,relu); from {', '.join(ACTIVATION_NAMES)} "
                              "(default: tanh)")

    training = parser.add_argument_group("training")
    training.add_argument("--lr", type=arg.bounded(float, *limits.learning_rate), default=0.03,
                          help=f"learning rate, {limits.learning_rate[0]:g} to "
                               f"{limits.learning_rate[1]:g} (default: 0.03)")
    training.add_argument("--batch-size", type=arg.bounded(int, *limits.batch_size), default=10,
                          metavar="N", help="training points per optimization step, "
                                            f"{limits.batch_size[0]}-{limits.batch_size[1]} "
                                            "(default: 10)")
    training.add_argument("--optimizer", choices=OPTIMIZERS, default="sgd",
                          help="sgd, momentum (SGD with momentum 0.9), adam or adamw (Adam "
                               "with decoupled weight decay) (default: sgd)")
    training.add_argument("--loss", choices=LOSS_NAMES, default=None,
                          help="binary: mse (squared error, the default), hinge or bce "
                               "(cross-entropy); classes: cross_entropy (softmax, the "
                               "default) or multiclass_hinge; regression and function: mse "
                               "(the default), mae (absolute error) or huber")
    training.add_argument("--regularization", choices=REGULARIZATIONS, default="none",
                          help="penalty on the weights (default: none)")
    training.add_argument("--reg-rate", type=arg.bounded(float, *limits.reg_rate), default=0.0,
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
    run.add_argument("--epochs", type=arg.bounded(int, 0), default=None,
                     help="train this many epochs, then pause")
    run.add_argument("--screenshot", type=arg.image_path, default=None, metavar="FILE",
                     help="save a picture of the window (after --epochs) and exit")
    run.add_argument("--headless", action="store_true",
                     help="train --epochs N without a window (no Qt), progress on stderr")
    run.add_argument("--report", type=arg.report_path, default=None, metavar="FILE.json",
                     help="with --headless: write the history and the final metrics as JSON")
    add_file_arguments(parser)
    return parser


def _joined_ranges(argv: Sequence[str]) -> list[str]:
    """argv with '--range', '-3,3' as one '--range=-3,3': argparse would take a value starting
    with '-' for an option."""
    out: list[str] = []
    for word in argv:
        if out and out[-1] == "--range" and word.startswith("-") and "," in word:
            out[-1] = f"--range={word}"
        else:
            out.append(word)
    return out


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parsed and checked arguments; bad values print one line and exit with code 2."""
    parser = build_parser()
    args = parser.parse_args(_joined_ranges(sys.argv[1:] if argv is None else argv))
    if args.headless and args.epochs is None:
        parser.error("--headless needs --epochs N")
    if args.headless and args.screenshot is not None:
        parser.error("--screenshot needs the window: leave out --headless")
    if args.report is not None and not args.headless:
        parser.error("--report needs --headless")
    check_file_arguments(parser, args, argv)
    n_layers = len(args.layers)
    if len(args.activation) not in (1, n_layers):
        parser.error(f"argument --activation: {len(args.activation)} activations for "
                     f"{n_layers} hidden layers; give one for every layer or one per layer")
    _check_problem(parser, args)
    return args


def _problem_of(args: argparse.Namespace) -> str:
    """The problem type the arguments ask for: --problem, or what the others imply."""
    if args.problem is not None:
        return args.problem
    if args.expression is not None or args.range is not None:
        return "function"
    if args.classes is not None:
        return "classes"
    if args.dataset is not None:
        return kinds_with(args.dataset)[0]  # spiral and the like: two classes first
    return "binary"


def _check_problem(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Every data, feature and loss flag must fit the problem type (a file's is read later)."""
    if args.data is not None:
        for flag, value in (("--dataset", args.dataset), ("--expression", args.expression)):
            if value is not None:
                parser.error(f"argument {flag}: give --data or {flag}, not both")
    kind = _problem_of(args)
    name = KIND_NAMES[kind]
    if args.dataset is not None and args.dataset not in PRESETS_BY_KIND[kind]:
        parser.error(f"argument --dataset: {args.dataset} is no preset of {name}; choose "
                     f"from {', '.join(PRESETS_BY_KIND[kind])}")
    wrong = [(flag, needs) for flag, needs, given in (
        ("--classes", "classes", args.classes), ("--expression", "function", args.expression),
        ("--range", "function", args.range)) if given is not None and kind != needs]
    for flag, needs in wrong:
        parser.error(f"argument {flag}: needs --problem {needs}, not {kind}")
    if args.expression is not None and args.dataset is not None:
        parser.error("argument --expression: give --dataset or --expression, not both")
    if args.data is not None and args.problem is None:
        return  # the file says the type: its features and loss are checked once it is read
    problem = problem_for(kind, args.classes or DEFAULT_CLASSES)
    if args.loss is not None and args.loss not in problem.losses:
        parser.error(f"argument --loss: {args.loss} does not fit {name}; choose from "
                     f"{', '.join(problem.losses)}")
    if args.features is not None:
        try:
            check_features(args.features, problem.features)
        except ValueError as error:
            parser.error(f"argument --features: {error} (for {name})")


def setup_from_args(args: argparse.Namespace) -> Setup:
    """The Setup for parsed arguments; reads a --data file to learn its problem type (OSError
    or ValueError if it cannot)."""
    kind, n_classes = _problem_of(args), args.classes or DEFAULT_CLASSES
    if args.data is not None and args.problem is None:
        probe = Dataset(kind="classes" if args.classes else "binary", n_classes=n_classes)
        try:
            probe.load_csv(args.data)
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise ValueError(f"could not read the dataset: {error}") from None
        kind, n_classes = probe.kind, probe.n_classes or n_classes
    problem = problem_for(kind, n_classes)
    activations = args.activation * len(args.layers) if len(args.activation) == 1 \
        else args.activation
    features = args.features or (DEFAULT_FUNCTION_FEATURES if kind == "function"
                                 else DEFAULT_PLANE_FEATURES)
    try:  # a file's type is known only now
        check_features(features, problem.features)
        problem.check_loss(args.loss or problem.default_loss)
    except ValueError as error:
        raise ValueError(f"{error} (the data is {KIND_NAMES[kind]})") from None
    spec = NetworkSpec(features=features, hidden=args.layers, activations=activations)
    config = TrainingConfig(learning_rate=args.lr, batch_size=args.batch_size,
                            optimizer=args.optimizer, loss=args.loss or problem.default_loss,
                            regularization=args.regularization, reg_rate=args.reg_rate,
                            seed=args.seed)
    preset = EXPRESSION if args.expression is not None else (args.dataset
                                                             or DEFAULT_PRESETS[kind])
    return Setup(preset=preset, n_points=args.points, noise=args.noise,
                 data_seed=args.seed, test_fraction=args.test_split, data_file=args.data,
                 spec=spec, config=config, speed=args.speed, problem=kind, n_classes=n_classes,
                 expression=args.expression or "", x_range=args.range or DEFAULT_RANGE,
                 view=args.view)


def _fail(message: str) -> NoReturn:
    """Print one line and exit with code 2."""
    print(f"{PROG}: error: {message}", file=sys.stderr)
    sys.exit(2)


def run(argv: Sequence[str] | None = None) -> int:
    """Start the app, or train headless; returns the exit code."""
    args = parse_args(argv)
    try:
        workspace = open_workspace(args)  # a bad file fails here, before any window
    except WorkspaceError as error:
        _fail(f"could not open the workspace: {error}")
    try:
        setup = setup_from_args(args) if workspace is None else setup_of_workspace(workspace,
                                                                                  args.file)
    except ValueError as error:
        _fail(str(error))
    try:
        dataset = setup.dataset() if workspace is None else workspace.dataset.dataset()
    except (OSError, UnicodeDecodeError, ValueError) as error:
        _fail(f"could not read the dataset: {error}" if args.data else
              str(error).replace("\n", " "))
    try:
        if args.headless:
            return run_headless(setup, dataset, args, workspace)
        return run_window(setup, args, workspace)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def run_headless(setup: Setup, dataset: Dataset, args: argparse.Namespace,
                 workspace: Workspace | None = None) -> int:
    """Train --epochs more with no window, report, save, export; 0 when done, 1 if training
    stopped early."""
    epochs, report_path = args.epochs, args.report
    session = (TrainingSession(dataset.snapshot(), setup.spec, setup.config)
               if workspace is None else workspace.training_session())
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
    view = ViewSettings() if workspace is None else workspace.view
    try:
        write_files(args, dataset, session, setup.speed, view)
    except OSError as error:
        _fail(f"could not write {error.filename or 'a file'}: {error.strerror or error}")
    return 1 if stopped else 0


def run_window(setup: Setup, args: argparse.Namespace, workspace: Workspace | None = None) -> int:
    """Show the window; with --screenshot, train, save the picture and exit."""
    has_display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if args.screenshot is not None and not has_display:
        # a picture needs no screen: render offscreen unless the user chose a platform
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    from playground.ui.app_icon import identify_app
    from playground.ui.file_menu import end_on_sigterm
    from playground.ui.main_window import MainWindow
    from playground.ui.screenshot import ScreenshotAfterTraining

    pg.setConfigOptions(antialias=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    identify_app(app)
    # a screenshot shows the default layout, not the sizes a person last left the window at;
    # an opened workspace's settings are shown once the window is up
    window = MainWindow(setup if workspace is None else Setup(),
                        remember_layout=args.screenshot is None)
    window.show()
    if workspace is not None:
        window.files.show_opened(workspace, args.file)
    elif args.screenshot is None:
        window.files.offer_recovery()  # a window that did not close normally left work
    end_on_sigterm(window)
    if args.screenshot is not None:
        ScreenshotAfterTraining(window, args.epochs or 0, args.screenshot)  # owned by window
    elif args.epochs is not None:
        window.train_epochs(args.epochs)
    elif args.train:
        window.toggle_play()
    code = app.exec()
    if args.screenshot is not None:
        window.files.discard()  # else the next start would offer its training back
    window.shutdown()
    return code
