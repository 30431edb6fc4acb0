"""The window's layout at its smallest and at a large size: every control whole, the plot square."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QScrollArea

from playground.core.training_record import StepResult
from playground.ui.window_layout import MIN_PLOT_AREA, left_on_screen

TIMEOUT_MS = 10_000


@pytest.fixture
def window(make_window):
    return make_window(preset="circle", n_points=100)


def cut_controls(window) -> list[str]:
    """The visible labels, buttons and boxes that are narrower than their text, or reach past
    the edge of the window or of the side panel they scroll in."""
    scroll = window.findChild(QScrollArea)
    panel = QRect(scroll.viewport().mapTo(window, scroll.viewport().rect().topLeft()),
                  scroll.viewport().size())
    problems = []
    for widget in (*window.findChildren(QLabel), *window.findChildren(QAbstractButton),
                   *window.findChildren(QComboBox)):
        if not widget.isVisibleTo(window) or widget.window() is not window:
            continue
        rect = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
        text = widget.currentText() if isinstance(widget, QComboBox) else widget.text()
        # a label's size hint is its text's (rich text too), unless it wraps
        needed = (widget.sizeHint() if isinstance(widget, QLabel) and not widget.wordWrap()
                  else widget.minimumSizeHint())
        narrow = widget.width() < needed.width()
        inside = panel if scroll.isAncestorOf(widget) else window.rect()
        past_edge = rect.left() < inside.left() or rect.right() > inside.right()
        if narrow or past_edge:
            problems.append(f"{type(widget).__name__} {text!r} {rect}")
    return problems


def plot_area(window) -> QRect:
    """The plot's data area: what the heatmap covers."""
    return window.editor.overlay.geometry()


@pytest.mark.parametrize("size", [None, QSize(1920, 1080)])  # None: the minimum
def test_every_control_is_whole_and_the_plot_square_enough(qtbot, window, size):
    window.resize(size or QSize(1, 1))  # Qt keeps a window at least at its minimum size
    qtbot.wait(100)
    if size is None:
        assert window.size() == window.minimumSize()
        assert window.width() <= 1280 and window.height() <= 720  # fits a small laptop
    area = plot_area(window)
    assert min(area.width(), area.height()) >= MIN_PLOT_AREA - 1
    assert cut_controls(window) == []
    assert window.loss_plot.height() >= window.loss_plot.minimumHeight()


def test_the_heatmap_has_a_legend_that_follows_discretize(qtbot, window):
    legend = window.output_legend
    assert legend.isVisible() and "−1" in legend.low.text() and "+1" in legend.high.text()
    shades = legend.bar.pixmap().toImage()
    assert len({shades.pixel(x, 5) for x in range(shades.width())}) > 20
    window.data_controls.discretize.setChecked(True)
    flat = legend.bar.pixmap().toImage()
    assert len({flat.pixel(x, 5) for x in range(flat.width())}) == 2


def test_the_network_view_names_its_columns_and_inputs_inside_its_panel(qtbot, window):
    view = window.network_view
    qtbot.waitUntil(lambda: view.inside is not None, timeout=TIMEOUT_MS)
    view.grab()
    labels = {text: x for x, _, text in view.shapes._labels}
    assert {"input", "output", "x₁", "x₂"} <= set(labels)  # captions and the features' names
    for text, x in labels.items():
        assert x >= 0 and x + view.fontMetrics().horizontalAdvance(text) <= view.width()


def test_the_accuracy_says_which_is_training_and_which_is_test(window):
    result = StepResult(epoch=3, step=30, batch_loss=0.1, train_loss=0.2, test_loss=0.3,
                        train_accuracy=0.988, test_accuracy=0.95)
    window.status.show_result(result, running=False)
    text = window.status.fields["accuracy"].text()
    assert text == "accuracy train 98.8% / test 95.0%"
    label = window.status.fields["accuracy"]
    assert label.width() >= label.fontMetrics().horizontalAdvance(text)


def test_a_window_widened_past_its_screen_is_moved_back_onto_it():
    room = QRect(0, 0, 1600, 1000)
    assert left_on_screen(QRect(80, 40, 1544, 885), room) == 56  # right edge at the screen's
    assert left_on_screen(QRect(5, 40, 1544, 885), room) == 5  # fits: stays
    assert left_on_screen(QRect(300, 40, 1700, 885), room) == 0  # wider: the left edge shows
    assert left_on_screen(QRect(-50, 40, 1000, 885), QRect(100, 0, 1600, 1000)) == 100


def test_showing_the_hidden_space_keeps_the_window_on_its_screen(qtbot, window):
    room = window.screen().availableGeometry()
    window.move(room.left() + 300, room.top())
    qtbot.waitUntil(lambda: window.frameGeometry().left() == room.left() + 300,
                    timeout=TIMEOUT_MS)
    window.hidden_space_action.setChecked(True)
    # wider by the hidden space: the right edge at the screen's, or the left edge at its left
    qtbot.waitUntil(lambda: window.frameGeometry().right() <= room.right()
                    or window.frameGeometry().left() == room.left(), timeout=TIMEOUT_MS)
    assert window.frameGeometry().left() >= room.left()

