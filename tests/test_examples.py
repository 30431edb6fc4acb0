"""The shipped example workspaces: each opens (File > Examples, the command line) and learns."""

from __future__ import annotations

import base64
import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from playground.core.examples import EXAMPLES, example_path
from playground.core.headless import train_headless
from playground.core.workspace import load

ROOT = Path(__file__).resolve().parent.parent
# after this many epochs, each example has learned this much (training accuracy, or R²)
LEARNS = {"micrograd-demo.json": (100, 0.97), "tensorflow-spiral.json": (300, 0.95),
          "yin-yang.json": (100, 0.93), "regression-plane.json": (30, 0.95),
          "function-fit.json": (150, 0.95)}
KINDS = {"micrograd-demo.json": "binary", "tensorflow-spiral.json": "binary",
         "yin-yang.json": "classes", "regression-plane.json": "regression",
         "function-fit.json": "function"}


def make_examples():
    """tools/make_examples.py, the script that writes the examples."""
    spec = importlib.util.spec_from_file_location("make_examples",
                                                  ROOT / "tools" / "make_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.file)
def test_each_example_is_a_package_resource_that_learns(example):
    workspace = load(example_path(example))  # from the installed package's resources
    assert workspace.dataset.kind == KINDS[example.file]
    assert workspace.session.epoch == 0  # untrained: pressing play is the lesson
    session = workspace.training_session()
    epochs, wanted = LEARNS[example.file]
    outcome = train_headless(session, epochs, progress=lambda line: None)
    assert outcome.halted is None and outcome.error is None
    result = session.latest
    score = result.train_accuracy if session.problem.n_classes else result.evaluation.train.r2
    assert score >= wanted, (example.file, score)
    assert len(example.teaches) > 60 and example.title


def test_the_shipped_files_are_what_the_script_writes():
    """A format or preset change that makes them stale fails here: run tools/make_examples.py."""
    maker = make_examples()
    assert sorted(maker.RECIPES) == sorted(e.file for e in EXAMPLES)
    for example in EXAMPLES:
        assert same_but_rounding(json.loads(example_path(example).read_bytes()),
                                 json.loads(maker.example_bytes(example.file))), \
            f"{example.file} is stale: run tools/make_examples.py"


def same_but_rounding(shipped, made) -> bool:
    """Equal JSON, floats to 1e-9: trained weights differ in their last bits from one CPU to
    another (OpenBLAS picks its kernels by the CPU)."""
    if isinstance(shipped, dict):
        return (isinstance(made, dict) and shipped.keys() == made.keys()
                and all(same_but_rounding(shipped[k], made[k]) for k in shipped))
    if isinstance(shipped, list):
        return (isinstance(made, list) and len(shipped) == len(made)
                and all(same_but_rounding(a, b) for a, b in zip(shipped, made, strict=True)))
    if isinstance(shipped, float) and isinstance(made, float):
        return math.isclose(shipped, made, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(shipped, str) and isinstance(made, str) and shipped != made:
        try:  # a history column: base64 of little-endian float64 (workspace_format.py)
            a, b = (np.frombuffer(base64.b64decode(text, validate=True), "<f8")
                    for text in (shipped, made))
        except ValueError:
            return False
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-9, atol=1e-12,
                                                       equal_nan=True))
    return shipped == made


def test_the_script_writes_what_the_command_line_saves(tmp_path):
    """The docstring's promise: FLAGS --headless --epochs 0 --save makes the same file."""
    flags, view = make_examples().RECIPES["tensorflow-spiral.json"]
    assert view == type(view)()  # the default view: the command line's
    saved = tmp_path / "spiral.json"
    done = subprocess.run([sys.executable, "-m", "playground", *flags, "--headless",
                           "--epochs", "0", "--save", str(saved)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert saved.read_bytes() == example_path(EXAMPLES[1]).read_bytes()


def test_micrograds_demo_is_set_up_as_its_notebook():
    workspace = load(example_path(EXAMPLES[0]))
    data, spec, config = workspace.dataset, workspace.spec, workspace.config
    assert (data.preset.name, data.preset.n_points, data.preset.noise) == ("moons", 100, 0.1)
    assert spec.features == ("x1", "x2") and spec.hidden == (16, 16)
    assert spec.activations == ("relu", "relu")
    assert (config.loss, config.optimizer, config.regularization) == ("hinge", "sgd", "l2")
    assert config.batch_size >= len(data.points)  # the whole batch, as the notebook


def test_an_example_opens_from_the_command_line_by_its_path(tmp_path):
    path = example_path(EXAMPLES[4])
    done = subprocess.run([sys.executable, "-m", "playground", str(path), "--headless",
                           "--epochs", "2", "--save", str(tmp_path / "mine.json")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "epoch 2/2" in done.stderr and load(tmp_path / "mine.json").session.epoch == 2
    assert load(path).session.epoch == 0  # the example itself is left as it was


def test_file_examples_has_an_entry_per_example_that_opens_it(qtbot, make_window):
    window = make_window(preset="xor", n_points=30)
    shipped = example_path(EXAMPLES[4]).read_bytes()
    actions = window.files.examples_menu.actions()
    assert [a.text() for a in actions] == [e.title for e in EXAMPLES]
    assert all(a.toolTip() == e.teaches for a, e in zip(actions, EXAMPLES, strict=True))
    assert window.files.examples_menu.toolTipsVisible()
    for action, example in zip(actions, EXAMPLES, strict=True):
        action.trigger()
        assert window.dataset.kind == KINDS[example.file]
        assert window.designer.spec() == load(example_path(example)).spec
        assert window.windowTitle().startswith(f"{example.title} (example)")
        assert window.files.path is None and not window.isWindowModified()
    assert window.data_controls.parts.isChecked()  # the function fit shows each part
    window.train_epochs(2)
    qtbot.waitUntil(lambda: window.loop.latest.epoch == 2, timeout=20_000)
    assert example_path(EXAMPLES[4]).read_bytes() == shipped  # training never writes to it
