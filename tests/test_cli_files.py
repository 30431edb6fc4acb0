"""The command line's files: open a workspace or CSV first; --save and the exports headless."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from playground.cli import parse_args, setup_from_args
from playground.core.headless import train_headless
from playground.core.session import TrainingSession
from playground.core.workspace import load

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ["--dataset", "spiral", "--points", "200", "--layers", "6,4", "--optimizer",
            "momentum", "--batch-size", "7", "--seed", "3"]


def playground(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "playground", *map(str, argv)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_training_in_steps_through_files_equals_one_run(tmp_path):
    """open, train, save, twice over: the same history and weights as training in one go."""
    step1, step2, whole = (tmp_path / name for name in ("a.json", "b.json", "whole.json"))
    runs = [playground(*argv) for argv in (
        [*SETTINGS, "--headless", "--epochs", "7", "--save", step1],
        [step1, "--headless", "--epochs", "5", "--save", step2, "--report", tmp_path / "r.json"],
        [*SETTINGS, "--headless", "--epochs", "12", "--save", whole])]
    for done in runs:
        assert done.returncode == 0, done.stderr
    assert "epoch 12/12:" in runs[1].stderr and f"wrote {step2}" in runs[1].stderr
    stepped, straight = load(step2).session, load(whole).session
    assert stepped.epoch == straight.epoch == 12
    assert [list(getattr(stepped.history, n)) for n in ("steps", "train_loss")] == \
           [list(getattr(straight.history, n)) for n in ("steps", "train_loss")]
    for (wa, ba), (wb, bb) in zip(stepped.weights, straight.weights, strict=True):
        assert (wa == wb).all() and (ba == bb).all()
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["epoch"][-1] == 12 and report["setup"]["training"]["optimizer"] == "momentum"


PROBLEM_ARGS = {
    "classes": ["--problem", "classes", "--dataset", "yinyang", "--loss", "multiclass_hinge"],
    "regression": ["--problem", "regression", "--dataset", "multigauss", "--loss", "huber",
                   "--features", "x1,x2,x1^2"],
    "function": ["--problem", "function", "--expression", "x * sin(2 * x)", "--range", "-2,3",
                 "--features", "x,x^2,sin(x)", "--loss", "mae"],
}


@pytest.mark.parametrize("kind", list(PROBLEM_ARGS))
def test_every_problem_type_trains_in_steps_through_files(tmp_path, kind):
    settings = [*PROBLEM_ARGS[kind], "--points", "120", "--layers", "5,3", "--batch-size", "9",
                "--optimizer", "adam", "--seed", "2"]
    step1, step2 = tmp_path / "a.json", tmp_path / "b.json"
    for argv in ([*settings, "--headless", "--epochs", "4", "--save", step1],
                 [step1, "--headless", "--epochs", "3", "--save", step2, "--report",
                  tmp_path / "r.json"]):
        done = playground(*argv)
        assert done.returncode == 0, done.stderr
    setup = setup_from_args(parse_args([*settings, "--headless", "--epochs", "7"]))
    straight = TrainingSession(setup.dataset().snapshot(), setup.spec, setup.config)
    train_headless(straight, 7, progress=lambda line: None)
    stepped = load(step2)
    assert stepped.dataset.kind == kind and stepped.session.epoch == 7
    assert stepped.session.history.train_loss.tobytes() == straight.history.train_loss.tobytes()
    for (wa, ba), (wb, bb) in zip(stepped.session.weights, straight.weights(), strict=True):
        assert (wa == wb).all() and (ba == bb).all()
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["setup"]["data"]["problem"] == kind
    assert ("r2" in report["final"]) == (kind != "classes")
    if kind == "function":
        assert report["setup"]["data"]["expression"] == "x * sin(2 * x)"
        assert report["setup"]["data"]["range"] == [-2.0, 3.0]


def test_exports_are_written_after_headless_training(tmp_path):
    script, weights = tmp_path / "net.py", tmp_path / "net.json"
    done = playground("--dataset", "xor", "--headless", "--epochs", "3", "--export-script",
                      script, "--script-kind", "micrograd", "--export-weights", weights)
    assert done.returncode == 0, done.stderr
    assert "from micrograd.engine import Value" in script.read_text()
    assert json.loads(weights.read_text())["sizes"] == [2, 4, 2, 1]


def test_a_csv_as_first_argument_is_the_dataset(tmp_path):
    csv = tmp_path / "points.csv"
    csv.write_text("x,y,label\n1,2,1\n-1,-2,0\n2,1,1\n-2,-1,0\n")
    args = parse_args([str(csv), "--headless", "--epochs", "1"])
    assert args.data == csv
    done = playground(csv, "--headless", "--epochs", "2", "--save", tmp_path / "w.json")
    assert done.returncode == 0, done.stderr
    assert load(tmp_path / "w.json").dataset.source == "points.csv"


@pytest.mark.parametrize("argv, complaint", [
    (["{ws}", "--lr", "0.1", "--headless", "--epochs", "1"],
     "holds its own settings: leave out --lr"),
    (["{ws}", "--save", "x.json"], "--save needs --headless"),
    (["{ws}", "--problem", "classes", "--headless", "--epochs", "1"],
     "holds its own settings: leave out --problem"),
    (["--headless", "--epochs", "1", "--script-kind", "numpy"], "--script-kind needs"),
    (["--headless", "--epochs", "1", "--export-script", "net.txt"], "must end in .py"),
    (["--headless", "--epochs", "1", "--save", "/no/such/dir/w.json"], "does not exist"),
    (["{newer}", "--headless", "--epochs", "1"], "made by a newer version"),
    (["{csv}", "--data", "{csv}", "--headless", "--epochs", "1"], "give the dataset once"),
])
def test_bad_file_arguments_get_one_line_and_exit_code_2(tmp_path, argv, complaint):
    ws, newer, csv = tmp_path / "w.json", tmp_path / "newer.json", tmp_path / "p.csv"
    assert playground("--headless", "--epochs", "0", "--save", ws).returncode == 0
    newer.write_text('{"app": "micrograd-playground", "format_version": 99}')
    csv.write_text("1,2,1\n")
    done = playground(*(a.format(ws=ws, newer=newer, csv=csv) for a in argv))
    assert done.returncode == 2 and complaint in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
