"""The loss plot on its own: ticks, fitted ranges, log scale, markers, what is painted."""

from __future__ import annotations

import numpy as np
import pytest
from axes_checks import assert_axes_readable
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent
from PySide6.QtWidgets import QApplication

from playground.ui import theme
from playground.ui.loss_axes import MAX_TICKS, decade_ticks, lower_quartile, plausible_ceiling
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


# ---- a diverged history, ticks and labels ------------------------------------------------


def test_log_ticks_come_every_k_decades_when_there_are_many():
    assert decade_ticks(-3, 0) == [-3, -2, -1, 0]
    many = decade_ticks(-8, 301)
    assert len(many) <= MAX_TICKS and np.all(np.diff(many) == many[1] - many[0])
    assert all(v % (many[1] - many[0]) == 0 for v in many)  # multiples of k: 1e0, 1e50...


@pytest.mark.parametrize("high", [0.6, 1.5, 37.0, 20_000.0, 3e5, 1e301])
def test_linear_ticks_are_few_in_order_and_read_back_as_their_values(high):
    ticks = axis_ticks(0.0, high, MAX_TICKS)
    labels = [tick_label(t, log_scale=False) for t in ticks]
    assert 2 <= len(ticks) <= MAX_TICKS
    assert [float(text) for text in labels] == pytest.approx(ticks, rel=1e-9)
    assert len(set(labels)) == len(labels)


def test_a_divergence_in_the_first_epochs_is_not_the_plausible_range():
    first = np.array([1.29, 1.28])
    diverged = np.array([1.29, 4.6e69, 3.4e146, 6.1e223, 9.1e300])  # lr 10, as a user met it
    assert plausible_ceiling(first, [diverged, diverged]) == pytest.approx(12.9)
    # a loss that stays high for long is no longer a spike: the axis follows it
    stuck = np.concatenate([[1.29], np.full(300, 50.0)])
    assert plausible_ceiling(first, [stuck, stuck]) == pytest.approx(500.0)
    assert np.isnan(plausible_ceiling(np.array([np.nan, np.nan]), [np.array([np.inf])] * 2))


def test_the_lower_quartile_is_numpys():
    rng = np.random.default_rng(4)
    for n in (1, 2, 3, 4, 5, 8, 101, 200):
        values = rng.standard_normal(n) * 10.0 ** rng.integers(-3, 4, n)
        assert lower_quartile(values) == pytest.approx(np.quantile(values, 0.25), rel=1e-12)


def diverge_then_recover(plot: LossPlot, recovered: int) -> None:
    """lr 10 for four epochs (up to 9e300), then `recovered` epochs of normal training."""
    spike = np.array([1.29, 4.6e69, 3.4e146, 6.1e223, 9.1e300])
    calm = 1.0 * np.exp(-np.arange(recovered) / 50) + 0.02
    train = np.concatenate([spike, calm])
    plot.update_history(0, np.arange(len(train)), train, 1.05 * train)
    plot.redraw()


@pytest.mark.parametrize("log", [False, True])
def test_a_diverged_spike_is_clipped_with_a_marker_and_the_range_recovers(plot, qtlog, log):
    plot.set_log_scale(log)
    diverge_then_recover(plot, 0)
    assert plot.range[3] <= (2.0 if log else 1.5)  # the first loss, not 9e300 (or 301 decades)
    assert_axes_readable(plot)
    assert not plot._clipped[0].isEmpty()  # the spike: triangles at the top edge
    top = plot._area().top()
    assert all(path.boundingRect().top() >= top - 1 for path in plot._paths)
    diverge_then_recover(plot, 2_000)  # training went on at a sane rate
    assert plot.range[3] <= (1.0 if log else 1.5)
    assert_axes_readable(plot)
    if not log:
        assert plot.range[2] == 0.0
    assert [r.message for r in qtlog.records] == []


@pytest.mark.parametrize("size", [(200, 140), (330, 220), (1200, 900)])
@pytest.mark.parametrize("log", [False, True])
def test_tick_labels_fit_whatever_the_size_and_range(plot, size, log):
    plot.resize(*size)
    plot.set_log_scale(log)
    epochs = np.arange(20_000)
    losses = 50.0 * np.exp(-epochs / 3_000) + 1e-7  # five decades down
    plot.update_history(0, epochs, losses, 2 * losses)
    plot.redraw()
    assert plot.range[1] == 20_000.0
    assert_axes_readable(plot)
    assert plot.axes.x_labels[-1][0] == "20000"  # drawn whole (it was cut to "2000")


def hover(plot: LossPlot, x: float, y: float) -> None:
    """The pointer moves to (x, y) over the plot, no button pressed."""
    pos = QPointF(x, y)
    QApplication.sendEvent(plot, QMouseEvent(
        QEvent.Type.MouseMove, pos, QPointF(plot.mapToGlobal(pos)), Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier))


def test_hovering_shows_the_epoch_and_both_losses_under_the_pointer(plot):
    fill(plot, 100)
    plot.grab()
    area = plot._area()
    x = float(plot._to_pixels(np.array([40.0]), np.zeros(1))[0][0])
    hover(plot, x + 1, area.center().y())
    guide, box, text = plot.hover
    assert guide.x1() == pytest.approx(x) and area.contains(box)
    train, test = 0.5 * np.exp(-2) + 0.1, 0.6 * np.exp(-2)
    assert text == f"epoch 40\ntraining {train:.4g}\ntest {test:.4g}"
    assert plot.toolTip() == ""  # the label, not the tooltip, over the curves
    image = plot.grab().toImage()
    assert QColor(image.pixel(round(x), round(area.top() + 2))).value() < 0x90  # the guide line
    hover(plot, 5, 5)  # over the axis labels: no hover, the tooltip again
    assert plot.hover is None and "Point at the curves" in plot.toolTip()
    QApplication.sendEvent(plot, QEvent(QEvent.Type.Leave))
    assert plot.hover is None
