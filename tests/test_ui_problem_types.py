"""The window's problem types: switching from the UI keeps the other settings, clicks add points
of the chosen class and of the chosen value, typed functions, the confusion matrix, R² and RMSE."""

from __future__ import annotations

import numpy as np
import pytest
from imports import import_csv
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QWheelEvent
from PySide6.QtWidgets import QApplication

from playground.core.problems import Evaluation, SplitMetrics
from playground.core.spec import NetworkSpec, TrainingConfig
from playground.ui import theme
from playground.ui.confusion_matrix import ConfusionMatrix

TIMEOUT_MS = 30_000
TOLERANCE = 0.15  # data units


@pytest.fixture
def window(make_window):
    spec = NetworkSpec(features=("x1", "x2", "sin(x1)"), hidden=(5, 3),
                       activations=("relu", "tanh"))
    config = TrainingConfig(learning_rate=0.1, batch_size=20, optimizer="adam",
                            regularization="l2", reg_rate=0.001, seed=3)
    return make_window(preset="xor", n_points=60, spec=spec, config=config)


def choose_problem(window, kind: str) -> None:
    """The data panel's problem box, as a person picks it."""
    box = window.data_controls.problem
    box.setCurrentIndex(box.findData(kind))


def click(qtbot, window, x: float, y: float,
          modifier=Qt.KeyboardModifier.NoModifier) -> None:
    editor = window.editor
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, modifier,
                     editor.viewport_pos(x, y))


def trained_problem(window):
    """The problem the worker's session trains now (read after it has taken the switch)."""
    return window.worker.session.problem


def test_switching_type_keeps_every_other_setting_and_undo_switches_back(qtbot, window):
    before = window.training.config()
    choose_problem(window, "classes")
    assert window.dataset.kind == "classes" and window.dataset.preset.name == "blobs"
    assert len(window.dataset) == 60  # the preset size stays
    config, spec = window.training.config(), window.designer.spec()
    assert config.loss == "cross_entropy"  # squared error does not fit several classes
    assert (config.learning_rate, config.batch_size, config.optimizer, config.regularization,
            config.reg_rate, config.seed) == (0.1, 20, "adam", "l2", 0.001, 3)
    assert spec == NetworkSpec(features=("x1", "x2", "sin(x1)"), hidden=(5, 3),
                               activations=("relu", "tanh"))
    qtbot.waitUntil(lambda: trained_problem(window).kind == "classes", timeout=TIMEOUT_MS)
    session = window.worker.session
    assert session.layer_sizes == (3, 5, 3, 4) and session.config == config

    choose_problem(window, "function")
    spec = window.designer.spec()
    assert spec.features == ("x", "sin(x)")  # x1 -> x, sin(x1) -> sin(x); x2 has no match
    assert [n for n, box in window.designer.feature_boxes.items() if box.isVisible()] == [
        "x", "x^2", "x^3", "sin(x)", "cos(x)"]
    assert window.training.config().loss == "mse"
    assert window.editor.view_box.state["aspectLocked"] is False  # y has its own scale
    qtbot.waitUntil(lambda: trained_problem(window).kind == "function", timeout=TIMEOUT_MS)

    assert window.dataset.undo()  # back to several classes, as they were
    assert window.data_controls.problem.currentData() == "classes"
    assert window.designer.spec().features == ("x1", "x2", "sin(x1)")
    assert window.training.config().loss == "cross_entropy"
    assert window.dataset.undo()
    assert window.dataset.kind == "binary" and window.training.config() == before
    qtbot.waitUntil(lambda: trained_problem(window).kind == "binary", timeout=TIMEOUT_MS)
    assert window.worker.session.layer_sizes == (3, 5, 3, 1)


def test_the_problem_menu_switches_type(qtbot, window):
    window.problems.actions["regression"].trigger()
    assert window.dataset.kind == "regression" and window.dataset.preset.name == "plane"
    assert window.data_controls.value.isVisible() and not window.data_controls.classes.isVisible()
    window.dataset.undo()
    assert window.problems.actions["binary"].isChecked()


def test_clicks_add_points_of_the_chosen_class(qtbot, window):
    window.data_controls.classes.count.setValue(5)
    assert window.dataset.kind == "binary"  # the count is a several-classes setting
    choose_problem(window, "classes")
    window.data_controls.classes.count.setValue(6)
    assert window.dataset.n_classes == 6 and set(window.dataset.labels.tolist()) == set(range(6))
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_6)
    assert window.data_controls.class_buttons.checkedId() == 5
    click(qtbot, window, 1.0, -2.0)
    assert window.dataset.labels[-1] == 5
    assert np.allclose(window.dataset.points[-1], (1.0, -2.0), atol=TOLERANCE)
    qtbot.keyClick(window, Qt.Key.Key_8)  # there is no class 8: nothing changes
    assert window.data_controls.class_buttons.checkedId() == 5
    window.data_controls.class_buttons.button(2).click()
    click(qtbot, window, -1.0, 2.0)
    assert window.dataset.labels[-1] == 2
    assert overlay_color_at(window, -1.0, 2.0) == QColor(theme.CLASS_COLORS[2])


def overlay_color_at(window, x: float, y: float) -> QColor:
    editor = window.editor
    pos = editor.overlay.mapFrom(editor.viewport(), editor.viewport_pos(x, y))
    return QColor(editor.overlay.grab().toImage().pixel(pos))


def wheel(window, notches: int) -> None:
    """Turn the mouse wheel over the middle of the plot."""
    viewport = window.editor.viewport()
    pos = QPointF(viewport.rect().center())
    QApplication.sendEvent(viewport, QWheelEvent(
        pos, QPointF(viewport.mapToGlobal(pos)), QPoint(0, 0), QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
        False))


def test_clicks_add_points_of_the_chosen_value_which_the_wheel_changes(qtbot, window):
    choose_problem(window, "regression")
    controls = window.data_controls
    controls.value.setValue(-10)  # half way to -1
    click(qtbot, window, 2.0, 3.0)
    assert window.dataset.values[-1] == pytest.approx(-0.5)
    wheel(window, 3)  # three notches up: 0.05 each
    assert window.editor.value == pytest.approx(-0.35)
    assert controls.value.value_label.text() == "-0.35"
    click(qtbot, window, -2.0, -3.0)
    assert window.dataset.values[-1] == pytest.approx(-0.35)
    click(qtbot, window, 0.0, 1.0, Qt.KeyboardModifier.ShiftModifier)
    assert window.dataset.values[-1] == pytest.approx(0.35)  # the opposite value
    n = len(window.dataset)
    wheel(window, 0)
    assert len(window.dataset) == n


def test_a_typed_function_that_is_refused_is_a_message_and_the_old_one_stays(qtbot, window):
    choose_problem(window, "function")
    controls = window.data_controls
    before = window.dataset.points.copy()
    formula = controls.function.formula
    formula.setText("sin(3*x) + y")
    qtbot.keyClick(formula, Qt.Key.Key_Return)
    assert window.message.isVisible()
    text = window.message.text()
    assert "unknown name 'y'" in text and "column 12" in text and "previous function" in text
    np.testing.assert_array_equal(window.dataset.points, before)
    assert formula.selectedText() == "y"  # the bad part is selected
    for typed, refusal in (("__import__('os')", "unknown function '__import__'"),
                           ("x.real", "attribute access (a dot) is not allowed"),
                           ("9**9**9", "is not a finite number")):
        formula.setText(typed)
        qtbot.keyClick(formula, Qt.Key.Key_Return)
        assert refusal in window.message.text()
        np.testing.assert_array_equal(window.dataset.points, before)
    formula.setText("sin(3*x) + 0.3*x")
    qtbot.keyClick(formula, Qt.Key.Key_Return)
    x, y = window.dataset.points.T
    np.testing.assert_allclose(y, np.sin(3 * x) + 0.3 * x)
    assert controls.preset.currentData() == "expression"
    controls.function.low.setValue(0.5)  # a new range draws again
    assert window.dataset.points[:, 0].min() >= 0.5
    assert window.dataset.preset.expression == "sin(3*x) + 0.3*x"
    formula.setText("log(x - 1)")
    qtbot.keyClick(formula, Qt.Key.Key_Return)
    assert "is not a finite number at x = " in window.message.text()
    assert window.dataset.preset.expression == "sin(3*x) + 0.3*x"


def test_a_functions_plot_shows_the_curve_and_parts_on_request(qtbot, window):
    choose_problem(window, "function")
    window.train_epochs(3)
    editor = window.editor
    qtbot.waitUntil(lambda: editor.overlay.levels is not None
                    and editor.overlay.levels.shape[0] == 300, timeout=TIMEOUT_MS)
    shown = set(np.unique(editor.overlay.colors_shown()).tolist())
    curve = QColor(theme.CURVE_COLOR).rgb()
    assert curve in shown  # the curve's darkest pixels
    faint = {QColor(c).rgb() for c in (theme.ORANGE, theme.BLUE)}
    window.data_controls.parts.setChecked(True)
    assert "each neuron's part" in window.output_legend.high.text()
    colors = set(np.unique(editor.overlay.colors_shown()).tolist())
    assert len(colors) > len(shown) and not faint & colors  # washed, not the full colours


def test_several_classes_show_a_live_confusion_matrix(qtbot, make_window):
    window = make_window(problem="classes", preset="blobs", n_classes=4, n_points=80,
                         spec=NetworkSpec(hidden=(8,), activations=("tanh",)),
                         config=TrainingConfig(loss="cross_entropy"))
    matrix = window.confusion
    assert matrix.isVisible() and matrix.n_classes == 4
    window.train_epochs(20)
    qtbot.waitUntil(lambda: window.drawn_result.epoch == 20, timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: matrix.metrics.confusion != (), timeout=TIMEOUT_MS)
    test = window.drawn_result.evaluation.test
    assert matrix.metrics.confusion == test.confusion and matrix.split == "test"
    assert sum(map(sum, matrix.metrics.confusion)) == 40
    matrix.grab()  # paints
    assert "accuracy train" in window.status.fields["accuracy"].text()
    choose_problem(window, "binary")
    assert not matrix.isVisible()


def test_the_confusion_matrix_keeps_out_an_evaluation_of_another_class_count(qtbot):
    """Monkey seed 1: a snapshot of seven classes, drawn after the count went to four,
    painted seven columns into four cells (an IndexError per paint)."""
    matrix = ConfusionMatrix()
    qtbot.addWidget(matrix)
    matrix.set_classes(4)
    four = SplitMetrics(per_class_accuracy=(1.0,) * 4,
                        confusion=tuple(tuple(int(i == j) for j in range(4)) for i in range(4)))
    matrix.show_evaluation(Evaluation(four, four))
    seven = SplitMetrics(per_class_accuracy=(0.5,) * 7, confusion=((1,) * 7,) * 7)
    matrix.show_evaluation(Evaluation(seven, seven))
    assert matrix.metrics == four
    matrix.grab()  # paints


def test_regression_and_functions_show_r2_and_rmse_in_the_status_bar(qtbot, make_window):
    window = make_window(problem="regression", preset="plane", n_points=100)
    window.train_epochs(5)
    qtbot.waitUntil(lambda: window.drawn_result.epoch == 5, timeout=TIMEOUT_MS)
    field = window.status.fields["accuracy"]
    qtbot.waitUntil(lambda: field.text().startswith("R² "), timeout=TIMEOUT_MS)
    evaluation = window.drawn_result.evaluation
    assert f"RMSE {evaluation.train.rmse:.3f} / {evaluation.test.rmse:.3f}" in field.text()
    assert field.width() >= field.fontMetrics().horizontalAdvance(field.text())
    assert "+1" in window.output_legend.high.text()


def test_opening_a_file_of_values_switches_to_regression(qtbot, window, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text("x,y,value\n1,2,0.5\n-1,0,-3\n2,2,1.5\n")
    assert import_csv(qtbot, window, path)
    assert window.dataset.kind == "regression"
    assert window.data_controls.problem.currentData() == "regression"
    assert window.output_legend.high.text() == "+5"  # the largest |value|, rounded up
    qtbot.waitUntil(lambda: trained_problem(window).kind == "regression", timeout=TIMEOUT_MS)
    assert window.dataset.undo() and window.dataset.kind == "binary"


def test_the_graph_inspector_draws_one_sample_of_several_classes(qtbot, make_window):
    window = make_window(problem="classes", preset="blobs", n_classes=3, n_points=30,
                         config=TrainingConfig(loss="multiclass_hinge"))
    qtbot.waitUntil(lambda: window.drawn_snapshot is not None, timeout=TIMEOUT_MS)
    inspector = window.open_graph_inspector()
    inspector.inspect_at(*window.dataset.points[0], radius=0.01)  # its first point
    qtbot.waitUntil(lambda: inspector.inspection.built is not None, timeout=TIMEOUT_MS)
    graph = inspector.inspection.built.graph
    assert {"out1", "out2", "out3", "loss"} <= set(graph.labels)
    assert "multiclass_hinge loss" in inspector.bar.summary.text()
    # the loss is the multi-class hinge of the three scores against the point's class
    scores = [graph.data[graph.find(f"out{k}")] for k in (1, 2, 3)]
    label = int(window.dataset.labels[0])
    hinge = sum(max(0.0, s - scores[label] + 1) for k, s in enumerate(scores) if k != label)
    assert graph.data[graph.root] == pytest.approx(hinge)


@pytest.mark.parametrize("setup", [
    {"problem": "classes", "preset": "blobs", "n_classes": 8},
    {"problem": "regression", "preset": "multigauss"},
    {"problem": "function", "preset": "sin"},
])
def test_every_type_fits_the_smallest_window(qtbot, make_window, setup):
    from test_ui_layout import cut_controls, plot_area

    from playground.ui.window_layout import MIN_PLOT_AREA

    window = make_window(n_points=100, **setup)
    window.resize(1, 1)  # Qt keeps a window at least at its minimum size
    qtbot.wait(100)
    assert window.width() <= 1280 and window.height() <= 720
    assert cut_controls(window) == []
    area = plot_area(window)
    assert min(area.width(), area.height()) >= MIN_PLOT_AREA - 1
    assert window.loss_plot.height() >= window.loss_plot.minimumHeight()
