"""The loss plot on its own: ticks, fitted ranges, log scale, markers, what is painted."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage

from playground.ui import theme
from playground.ui.loss_plot import LossPlot, axis_ticks, tick_label


def test_ticks_are_round_and_few():
    assert axis_ticks(0, 40) == [0, 10, 20, 30, 40]
    assert axis_ticks(0, 1.5) == [0, 0.5, 1.0, 1.5]
    assert axis_ticks(0, 150) == [0, 50, 100, 150]
    assert axis_ticks(2, 2) == [2]


def test_tick_labels_are_short_and_never_minus_zero():
    assert tick_label(-0.0, log_scale=False) == "0"
    assert tick_label(0.25, log_scale=False) == "0.25"
    assert tick_label(-3.0, log_scale=True) == "1e-3"


@pytest.fixture
def plot(qtbot):
    widget = LossPlot()
    widget.resize(400, 300)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def fill(plot: LossPlot, n: int) -> None:
    epochs = np.arange(n)
    plot.update_history(0, epochs, 0.5 * np.exp(-epochs / 20) + 0.1, 0.6 * np.exp(-epochs / 20))
    plot.redraw()


def colour_columns(image: QImage, color: str, top: int = 50) -> set[int]:
    """x of every pixel column holding exactly this colour below top (under the legend)."""
    target = QColor(color).rgb()
    return {x for x in range(image.width()) for y in range(top, image.height())
            if image.pixel(x, y) == target}


def test_the_axes_fit_the_history_in_coarse_steps(plot):
    fill(plot, 37)
    assert plot.range == pytest.approx((0.0, 40.0, 0.0, 0.6))
    fill(plot, 2_345)  # a restart with a longer history
    assert plot.history.size == 2_345 and plot.range[:2] == (0.0, 3_000.0)


def test_log_scale_shows_whole_decades(plot):
    fill(plot, 100)
    plot.set_log_scale(True)
    assert plot.range[2:] == (-3.0, 0.0)  # the test loss reaches 0.6 * e^-5 = 0.004


def test_both_curves_and_a_marker_are_painted_where_they_belong(plot):
    fill(plot, 100)
    plot.set_markers([50])
    image = plot.grab().toImage()
    marker_x = round(float(plot._to_pixels(np.array([50.0]), np.array([0.0]))[0][0]))
    assert any(abs(x - marker_x) <= 1 for x in colour_columns(image, theme.MARKER_COLOR))
    assert plot.markers == (50,)
    # the test curve (near black) is drawn across the plotted area, first epoch to last
    area = plot._area()
    legend_bottom = area.top() + 45
    dark = {x for x in range(int(area.left()) + 2, int(area.right()) - 1)
            for y in range(int(area.top()) + 1, int(area.bottom()) - 1)
            if QColor(image.pixel(x, y)).value() < 0x60
            and (y > legend_bottom or x < area.right() - 90)}
    assert min(dark) < area.left() + 4  # epoch 0
    assert max(dark) > area.left() + area.width() * 0.99 - 4  # epoch 99 of the 100 shown
    # the training curve too: its path spans the same epochs
    train_path, test_path = plot._paths
    assert train_path.boundingRect().width() == pytest.approx(test_path.boundingRect().width())
    assert test_path.boundingRect().width() == pytest.approx(area.width() * 0.99, rel=0.01)


def test_an_empty_history_paints_axes_only(plot):
    plot.grab()
    assert plot.range == (0.0, 10.0, 0.0, 1.0)
    assert all(path.isEmpty() for path in plot._paths)


def test_entries_arriving_frame_by_frame_draw_the_same_curves_as_all_at_once(plot):
    epochs = np.arange(1_000)
    train, test = 1 / (1 + epochs), 2 / (1 + epochs)
    for start in range(0, 1_000, 7):  # a few entries per frame, redrawn now and then
        stop = min(start + 7, 1_000)
        plot.update_history(start, epochs[start:stop], train[start:stop], test[start:stop])
        if start % 140 == 0:
            plot.redraw()
    plot.redraw()
    chunked = [curve.copy() for curve in plot._curves]
    fill_at_once = LossPlot()
    fill_at_once.update_history(0, epochs, train, test)
    fill_at_once.redraw()
    for a, b in zip(chunked, fill_at_once._curves, strict=True):
        np.testing.assert_array_equal(a, b)
    assert plot.history.size == 1_000
