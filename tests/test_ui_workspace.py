"""Workspaces in the window: save and open restore it, unsaved changes are asked about."""

from __future__ import annotations

import numpy as np
import pytest
from dialogs import answer
from problem_sessions import KINDS, PROBLEMS
from PySide6.QtWidgets import QFileDialog, QMessageBox

from playground.core.hidden_space import HiddenChoice
from playground.core.spec import NetworkSpec, TrainingConfig
from playground.core.workspace import load
from playground.ui.file_menu import PROGRESS_POLL_MS
from playground.ui.workspace_io import capture_state, view_settings

Button = QMessageBox.StandardButton


def train(qtbot, window, epochs: int) -> None:
    """Train epochs more and wait until the window has heard that training paused."""
    target = window.loop.latest.epoch + epochs
    with qtbot.waitSignal(window.worker.runningChanged, timeout=20_000,
                          check_params_cb=lambda running: not running):
        window.train_epochs(epochs)
    assert window.loop.latest.epoch == target


def history(window) -> dict:
    """The session's loss history, exactly (bytes: a value type's NaN accuracy equals itself)."""
    h = capture_state(window.loop).history
    return {name: getattr(h, name).tobytes() for name in ("steps", "epochs", "train_loss",
                                                          "test_loss", "train_accuracy")}


@pytest.fixture
def window(make_window):
    return make_window(preset="xor", n_points=80, noise=0.1)


def shape_and_set(window) -> tuple[NetworkSpec, TrainingConfig]:
    spec = NetworkSpec(("x1", "x2", "x1*x2"), (5, 3), ("relu", "tanh"))
    config = TrainingConfig(learning_rate=0.05, batch_size=7, optimizer="adam", loss="hinge",
                            seed=4)
    window.designer.set_spec(spec)
    window.training.set_config(config)
    window.training.set_speed(window.training.speed().__class__("max", "max"))
    window.log_scale.setChecked(True)
    window.data_controls.discretize.setChecked(True)
    window.data_controls.show_test.setChecked(False)
    return spec, config


def test_save_new_open_restores_everything_and_trains_on_bit_for_bit(qtbot, window, tmp_path):
    spec, config = shape_and_set(window)
    window.dataset.add_point(2.5, -1.5, 1)
    train(qtbot, window, 3)
    path = tmp_path / "exercise.json"
    assert window.files.save_to(str(path))
    assert not window.isWindowModified() and window.windowTitle().startswith("exercise.json")
    saved_points = window.dataset.points.copy()
    train(qtbot, window, 2)
    expected = history(window)

    assert window.files.new_workspace()  # unsaved training: the default answer discards
    assert window.designer.spec() == NetworkSpec() and len(window.loop.latest) and \
        window.windowTitle().startswith("untitled")
    assert window.files.open_path(str(path))
    qtbot.waitUntil(lambda: window.loop.latest.epoch == 3)
    assert np.array_equal(window.dataset.points, saved_points)
    assert window.designer.spec() == spec and window.training.config() == config
    assert window.training.speed().name == "max"
    assert window.log_scale.isChecked() and window.data_controls.discretize.isChecked()
    assert not window.data_controls.show_test.isChecked()
    assert not window.isWindowModified()
    qtbot.waitUntil(lambda: window.drawn_result.epoch == 3)  # the loss curve and the weights
    curve = window.loss_plot.history
    assert curve.size == 4 and curve.entry_near(3)[1] == load(path).session.history.train_loss[3]
    saved = load(path).session
    for (w, b), (sw, sb) in zip(window.drawn_network().weights, saved.weights, strict=True):
        assert np.array_equal(w, sw) and np.array_equal(b, sb)

    train(qtbot, window, 2)
    assert history(window) == expected  # the same curve as training on without saving
    qtbot.waitUntil(window.isWindowModified)  # training changed the workspace


def test_edits_mark_the_title_and_saving_clears_it(qtbot, window, tmp_path):
    assert not window.isWindowModified() and "[*]" in window.windowTitle()
    window.dataset.add_point(1.0, 1.0, 0)
    assert window.isWindowModified()
    assert window.files.save_to(str(tmp_path / "a.json"))
    assert not window.isWindowModified()
    window.training.batch_size.setValue(20)
    assert window.isWindowModified()


def test_an_opened_workspace_sizes_its_points_by_their_loss(qtbot, window, tmp_path):
    """Monkey seed 1: the opened session's data was of no edit of the window's dataset, so
    the points were never sized by their loss (nor the worst one named) until an edit."""
    path = tmp_path / "losses.json"
    window.point_loss_box.setChecked(True)
    assert window.files.save_to(str(path))
    window.dataset.add_point(1.0, 1.0, 0)  # another edit: the versions part
    assert window.files.open_path(str(path))
    qtbot.waitUntil(lambda: window.worker.session.data.version == window.dataset.version,
                    timeout=20_000)
    qtbot.waitUntil(lambda: window.status.currentMessage().startswith("worst point"),
                    timeout=20_000)


def test_an_open_just_after_play_is_shown_paused_and_unchanged(qtbot, window, tmp_path):
    """Monkey seed 3: the old session's "training started", queued before the open and
    heard after it, marked the opened file as changed."""
    path = tmp_path / "paused.json"
    assert window.files.save_to(str(path))
    window.toggle_play()
    assert window.files.open_path(str(path))  # before the worker's answer to play comes in
    qtbot.waitUntil(lambda: not window.loop.running, timeout=20_000)
    qtbot.wait(2 * PROGRESS_POLL_MS)  # what was queued, and the progress poll, are heard
    assert not window.running and not window.loop.running
    assert not window.isWindowModified() and window.windowTitle().startswith("paused.json")


def test_closing_with_unsaved_changes_asks_and_cancel_keeps_the_window(qtbot, window,
                                                                       monkeypatch):
    window.dataset.add_point(1.0, 1.0, 0)
    asked = answer(monkeypatch, Button.Cancel)
    assert not window.close()
    assert window.isVisible() and len(asked) == 1 and "untitled" in asked[0]
    answer(monkeypatch, Button.Discard)
    assert window.close()


def test_save_at_close_asks_for_a_file_and_writes_it(qtbot, window, monkeypatch, tmp_path):
    window.dataset.add_point(1.0, 1.0, 0)
    answer(monkeypatch, Button.Save)
    path = tmp_path / "kept"  # no suffix: .json is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args, **kwargs: (str(path), "")))
    assert window.close()
    assert len(load(str(path) + ".json").dataset.points) == len(window.dataset)


def test_opening_with_unsaved_changes_asks_and_cancel_changes_nothing(qtbot, window,
                                                                      monkeypatch, tmp_path):
    path = tmp_path / "other.json"
    assert window.files.save_to(str(path))
    window.dataset.add_point(1.0, 1.0, 0)
    points = window.dataset.points.copy()
    asked = answer(monkeypatch, Button.Cancel)
    assert not window.files.open_path(str(path))
    assert asked and np.array_equal(window.dataset.points, points) and window.isWindowModified()
    assert not window.files.new_workspace()
    assert np.array_equal(window.dataset.points, points)
    answer(monkeypatch, Button.Discard)  # the window closes at the end of the test


def test_a_bad_workspace_shows_a_message_and_changes_nothing(qtbot, window, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"app": "micrograd-playground", "format_version": 1, "dataset": 3}')
    before = (window.dataset.points.copy(), window.designer.spec(), window.windowTitle())
    assert not window.files.open_path(str(path))
    assert "Could not open the workspace" in window.message.text()
    assert "$.dataset" in window.message.text() and str(path) in window.message.text()
    assert np.array_equal(window.dataset.points, before[0])
    assert (window.designer.spec(), window.windowTitle()) == before[1:]


def test_a_workspace_larger_than_the_controls_is_refused_before_anything_changes(
        qtbot, window, tmp_path):
    from playground.core.dataset import Dataset
    from playground.core.workspace import DatasetContent, Workspace, save

    big = Workspace(DatasetContent.of(Dataset()), NetworkSpec(hidden=(32,),
                                                              activations=("tanh",)),
                    TrainingConfig())
    save(tmp_path / "big.json", big)
    before = window.designer.spec()
    assert not window.files.open_path(str(tmp_path / "big.json"))
    assert "larger than the designer" in window.message.text()
    assert window.designer.spec() == before


def test_recent_files_list_saved_files_and_show_missing_ones_disabled(qtbot, window,
                                                                      tmp_path):
    first, second = tmp_path / "one.json", tmp_path / "two.json"
    assert window.files.save_to(str(first)) and window.files.save_to(str(second))
    assert window.files.settings.recent_files()[:2] == [str(second), str(first)]
    first.unlink()
    window.files.recent.fill()
    actions = {a.text(): a for a in window.files.recent.menu.actions() if a.text()}
    assert actions["two.json"].isEnabled()
    assert not actions["one.json  (not found)"].isEnabled()
    actions["Remove files not found"].trigger()
    assert window.files.settings.recent_files() == [str(second)]


def test_ctrl_shortcuts_are_the_workspace_ones(window):
    menu = window.menuBar().actions()[0].menu()
    keys = {a.text().replace("&", ""): a.shortcut().toString() for a in menu.actions()}
    assert (keys["Open…"], keys["Save"], keys["Save As…"]) == ("Ctrl+O", "Ctrl+S",
                                                               "Ctrl+Shift+S")
    assert "Import dataset…" in keys and "Export dataset…" in keys


# a window of each problem type, as the command line's Setup starts it
SETUPS = {
    "binary": dict(preset="moons"),
    "classes": dict(problem="classes", preset="yinyang", n_classes=3),
    "regression": dict(problem="regression", preset="plane"),
    "function": dict(problem="function", preset="expression", expression="x * sin(2 * x)",
                     x_range=(-2.0, 3.0)),
}
SHAPES = {kind: (NetworkSpec(PROBLEMS[kind]["features"], (4, 3), ("tanh", "relu")),
                 TrainingConfig(learning_rate=0.05, batch_size=6, optimizer="momentum",
                                loss=PROBLEMS[kind]["loss"], seed=2)) for kind in KINDS}


def window_state(window) -> dict:
    """What a person sees of the window's settings: every control that a workspace sets."""
    controls, training = window.data_controls, window.training
    return {
        "problem": controls.problem.currentData(),
        "menu": [kind for kind, a in window.problems.actions.items() if a.isChecked()],
        "preset": controls.preset.currentText(),
        "sliders": (controls.points.value(), controls.noise.value(), controls.seed.value(),
                    controls.split.value(), controls.classes.count.value()),
        "function": (controls.function.formula.text(), controls.function.x_range()),
        "spec": window.designer.spec(), "offered": window.designer.offered,
        "losses": [training.loss.itemData(i) for i in range(training.loss.count())],
        "config": training.config(), "speed": training.speed().name,
        "view": view_settings(window),
        "shown": (window.inside.hidden_view.isVisible(), window.confusion.isVisible(),
                  controls.parts.isVisible(), controls.discretize.isVisible()),
        "legend": window.output_legend.problem,
    }


@pytest.mark.parametrize("kind", KINDS)
def test_each_problem_type_opens_as_saved_and_trains_on_bit_for_bit(qtbot, make_window,
                                                                    tmp_path, kind):
    window = make_window(n_points=60, noise=0.1, **SETUPS[kind])
    spec, config = SHAPES[kind]
    window.designer.set_spec(spec)
    window.training.set_config(config)
    window.log_scale.setChecked(True)
    window.point_loss_box.setChecked(True)
    window.hidden_space_action.setChecked(True)
    window.inside.hidden_view.set_choice(HiddenChoice(1, (0, 2)))
    (window.data_controls.parts if kind == "function" else
     window.data_controls.discretize).setChecked(True)
    window.network_view.switchRequested.emit(0, 1, True)  # the neuron's menu: switch off
    train(qtbot, window, 2)
    path = tmp_path / f"{kind}.json"
    assert window.files.save_to(str(path))
    saved_state, saved_points = window_state(window), window.dataset.points.copy()
    saved_values = window.dataset.values.copy()
    train(qtbot, window, 2)
    expected = history(window)

    assert window.files.new_workspace()
    assert window.dataset.kind == "binary" and window_state(window) != saved_state
    assert window.files.open_path(str(path))
    qtbot.waitUntil(lambda: window.loop.latest.epoch == 2)
    assert window_state(window) == saved_state
    assert window.dataset.kind == kind and window.dataset.n_classes == (
        {"binary": 2, "classes": 3}.get(kind, 0))
    assert np.array_equal(window.dataset.points, saved_points)
    assert np.array_equal(window.dataset.values, saved_values)
    assert capture_state(window.loop).switched_off == {(0, 1)}
    qtbot.waitUntil(lambda: window.network_view.inside is not None
                    and window.network_view.inside.switched_off == {(0, 1)})
    # the window's undo starts at the opened workspace: nothing of the old one comes back
    assert not window.dataset.can_undo and not window.inside.history.undo()
    assert not window.isWindowModified()
    train(qtbot, window, 2)
    assert history(window) == expected


def test_undo_after_opening_does_not_bring_back_the_old_network_edits(qtbot, window,
                                                                     tmp_path):
    assert window.files.save_to(str(tmp_path / "plain.json"))
    window.network_view.switchRequested.emit(0, 0, True)
    window.dataset.add_point(1.0, 1.0, 1)
    assert window.files.save_to(str(tmp_path / "edited.json"))
    assert window.files.open_path(str(tmp_path / "plain.json"))
    assert not window.inside.history.undo() and not window.inside.history.redo()
    qtbot.waitUntil(lambda: capture_state(window.loop).switched_off == frozenset())
