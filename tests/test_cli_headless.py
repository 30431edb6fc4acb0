"""The command line without a window: every setting as a flag, --headless, --report, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from playground.cli import parse_args, setup_from_args
from playground.core.headless import write_json

ROOT = Path(__file__).resolve().parent.parent
QT_MODULES = ("PySide6", "pyqtgraph", "shiboken6")


def playground(*argv: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `python -m playground argv` and capture its output."""
    return subprocess.run([sys.executable, "-m", "playground", *argv], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def strict_json(text: str) -> dict:
    """Parse JSON as a strict reader would: NaN and Infinity are not JSON."""
    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON")
    return json.loads(text, parse_constant=refuse)


def test_every_window_setting_has_a_flag():
    args = parse_args(["--dataset", "xor", "--points", "300", "--noise", "0.1",
                       "--test-split", "0.3", "--seed", "4", "--features", "x1,x2,x1^2",
                       "--layers", "5,3", "--activation", "tanh,relu", "--lr", "0.1",
                       "--batch-size", "20", "--optimizer", "adam", "--loss", "bce",
                       "--regularization", "l2", "--reg-rate", "0.001", "--speed", "10/s"])
    setup = setup_from_args(args)
    assert (setup.preset, setup.n_points, setup.noise, setup.test_fraction) == ("xor", 300, 0.1,
                                                                                 0.3)
    assert setup.spec.features == ("x1", "x2", "x1^2") and setup.spec.hidden == (5, 3)
    assert setup.spec.activations == ("tanh", "relu")
    config = setup.config
    assert (config.learning_rate, config.batch_size, config.optimizer, config.loss,
            config.regularization, config.reg_rate, config.seed) == (0.1, 20, "adam", "bce",
                                                                     "l2", 0.001, 4)
    assert setup.speed == "10/s" and setup.data_file is None
    one_name = setup_from_args(parse_args(["--layers", "4,4,4", "--activation", "relu"]))
    assert one_name.spec.activations == ("relu",) * 3  # one name still means every layer


@pytest.mark.parametrize("argv, complaint", [
    (["--batch-size", "0"], "argument --batch-size: must be between 1 and 100"),
    (["--test-split", "0.95"], "argument --test-split: must be between 0.1 and 0.9"),
    (["--optimizer", "rmsprop"], "argument --optimizer: invalid choice"),
    (["--loss", "l7"], "argument --loss: invalid choice"),
    (["--regularization", "l3"], "argument --regularization: invalid choice"),
    (["--reg-rate", "-1"], "argument --reg-rate: must be between 0 and 10"),
    (["--reg-rate", "inf"], "argument --reg-rate: must be between 0 and 10"),
    (["--features", "x1,x3"], "unknown feature 'x3'"),
    (["--features", "x1,x1"], "must not repeat"),
    (["--activation", "tanh,swish"], "invalid choice: 'swish'"),
    (["--layers", "4,2", "--activation", "tanh,relu,relu"], "3 activations for 2 hidden layers"),
    (["--speed", "warp"], "argument --speed: invalid choice"),
    (["--data", "/no/such/file.csv"], "no such file"),
    (["--headless"], "--headless needs --epochs N"),
    (["--report", "r.json"], "--report needs --headless"),
    (["--headless", "--epochs", "3", "--screenshot", "x.png"], "--screenshot needs the window"),
    (["--headless", "--epochs", "3", "--report", "/no/such/dir/r.json"], "does not exist"),
])
def test_bad_values_exit_2_with_one_line(capsys, argv, complaint):
    with pytest.raises(SystemExit) as exit_info:
        parse_args(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert complaint in err and err.count("\n") == 1, err


@pytest.mark.parametrize("content, complaint", [
    ("x,y,label\n1,2,1\n3,four,0\n", "line 3: y (column 2) must be a number"),
    ("x,y,label\n1,2,9\n", "line 2: label (column 3) must be a whole number from 0 to 7"),
    ("", "no points found"),
])
def test_a_bad_data_file_exits_2_with_one_line_and_no_traceback(tmp_path, content, complaint):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    done = playground("--data", str(path), "--headless", "--epochs", "2")
    assert done.returncode == 2, done.stderr
    assert complaint in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr


def test_headless_trains_prints_progress_and_writes_the_report(tmp_path):
    report = tmp_path / "run.json"
    done = playground("--dataset", "circle", "--points", "200", "--layers", "4,2",
                      "--headless", "--epochs", "30", "--report", str(report))
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines[0].startswith("epoch 3/30: train loss ") and "epoch 30/30" in lines[-2]
    assert lines[-1] == f"wrote {report}" and done.stdout == ""
    document = strict_json(report.read_text(encoding="utf-8"))
    assert document["epoch"] == list(range(31))  # one entry per evaluation, epoch 0 too
    assert len(document["train_loss"]) == len(document["test_loss"]) == 31
    final = document["final"]
    assert final["epoch"] == 30 and final["step"] == 300  # 100 training points, batch 10
    assert final["train_loss"] == document["train_loss"][-1] < document["train_loss"][0]
    assert final["test_loss"] == document["test_loss"][-1]
    assert final["train_accuracy"] > 0.7 and 0 <= final["test_accuracy"] <= 1
    assert document["setup"]["network"]["hidden"] == [4, 2] and document["halted"] is None
    assert not [p for p in tmp_path.iterdir() if p.name != "run.json"]  # no temporary file


def test_the_same_arguments_write_the_same_bytes(tmp_path):
    argv = ("--dataset", "spiral", "--points", "100", "--noise", "0.2", "--layers", "6",
            "--activation", "relu", "--optimizer", "adam", "--lr", "0.01", "--seed", "3",
            "--headless", "--epochs", "15", "--report")
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert playground(*argv, str(first)).returncode == 0
    assert playground(*argv, str(second)).returncode == 0
    assert first.read_bytes() == second.read_bytes()


def test_a_split_without_test_points_reports_null_not_nan(tmp_path):
    data = tmp_path / "train_only.csv"
    rows = [f"{x},{x % 3},{int(x > 0)},train" for x in range(-5, 6)]
    data.write_text("x,y,label,split\n" + "\n".join(rows) + "\n", encoding="utf-8")
    report = tmp_path / "r.json"
    done = playground("--data", str(data), "--headless", "--epochs", "3", "--report",
                      str(report))
    assert done.returncode == 0, done.stderr
    document = strict_json(report.read_text(encoding="utf-8"))
    assert document["test_loss"] == [None] * 4 and document["final"]["test_accuracy"] is None
    assert document["setup"]["data"]["file"] == str(data)


def test_headless_divergence_exits_1_and_reports_why(tmp_path):
    report = tmp_path / "r.json"
    done = playground("--lr", "10", "--points", "200", "--headless", "--epochs", "200",
                      "--report", str(report))
    assert done.returncode == 1
    assert "training stopped before epoch 200: training diverged" in done.stderr
    document = strict_json(report.read_text(encoding="utf-8"))
    assert "at learning rate 10 " in document["halted"]
    assert document["final"]["epoch"] < 200 and document["final"]["train_loss"] is not None


def test_headless_never_imports_qt(tmp_path):
    script = ("import sys\n"
              "from playground.cli import run\n"
              f"code = run(['--points', '60', '--headless', '--epochs', '2', "
              f"'--report', {str(tmp_path / 'r.json')!r}])\n"
              f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r})\n"
              "print(code, loaded)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.stdout.strip() == "0 []", done.stdout + done.stderr


def test_a_report_is_replaced_whole_or_not_at_all(tmp_path, monkeypatch):
    path = tmp_path / "r.json"
    write_json(path, {"epoch": [0, 1]})
    with pytest.raises(ValueError):
        write_json(path, {"epoch": [float("nan")]})  # not JSON: refused before writing
    monkeypatch.setattr(os, "replace", fail_to_rename)  # as if killed before the rename
    with pytest.raises(OSError):
        write_json(path, {"epoch": [0, 1, 2]})
    assert json.loads(path.read_text(encoding="utf-8")) == {"epoch": [0, 1]}
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]  # the temporary file is gone


def fail_to_rename(source: str, target: str) -> None:
    raise OSError("disk gone")
