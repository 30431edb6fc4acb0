"""File > Export: pictures of the plot and the loss chart, losses, weights and scripts."""

from __future__ import annotations

import json
import runpy

import numpy as np
import pytest
from menus import file_menu_action
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog

from playground.ui.workspace_io import capture_state


@pytest.fixture
def window(qtbot, make_window):
    window = make_window(preset="circle", n_points=100)
    window.loop.step_epoch()
    qtbot.waitUntil(lambda: window.drawn_result.epoch == 1, timeout=10_000)
    return window


def choose(monkeypatch, path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args, **kwargs: (str(path), "")))


def test_the_plot_as_png_shows_the_heatmap_and_the_points(qtbot, window, tmp_path,
                                                          monkeypatch):
    path = tmp_path / "plot.png"
    choose(monkeypatch, path)
    file_menu_action(window, "Export", "The plot as PNG").trigger()
    image = QImage(str(path))
    assert (image.width(), image.height()) == (window.editor.width(), window.editor.height())
    # the overlays are in the picture: the heatmap's and the points' colours, not only the
    # white and grey of the axes that pyqtgraph's own exporters would give
    samples = [image.pixelColor(x, y) for x in range(0, image.width(), 10)
               for y in range(0, image.height(), 10)]
    colourful = [c for c in samples if c.saturation() > 25]  # far from white and grey
    assert len(colourful) > 0.3 * len(samples)


def test_the_plot_and_loss_chart_as_svg(qtbot, window, tmp_path, monkeypatch):
    for what, name in (("The plot as SVG", "plot.svg"), ("The loss chart as SVG", "loss.svg")):
        choose(monkeypatch, tmp_path / name)
        file_menu_action(window, "Export", what).trigger()
    plot = (tmp_path / "plot.svg").read_text()
    assert plot.startswith("<?xml") and "<svg" in plot
    assert "<image" in plot  # the heatmap and the points are embedded pictures
    assert "<text" in plot or "<path" in plot  # the axes are vectors
    loss = (tmp_path / "loss.svg").read_text()
    assert "<path" in loss  # the curves are vectors (the axes a picture, as on screen)


def test_the_losses_weights_and_a_script_by_the_menu(qtbot, window, tmp_path, monkeypatch):
    choose(monkeypatch, tmp_path / "losses")  # the suffix is added
    file_menu_action(window, "Export", "Loss history as CSV").trigger()
    assert (tmp_path / "losses.csv").read_text().splitlines()[0].startswith("epoch,step")
    choose(monkeypatch, tmp_path / "net.json")
    file_menu_action(window, "Export", "Network weights as JSON").trigger()
    assert json.loads((tmp_path / "net.json").read_text())["sizes"] == [2, 4, 2, 1]
    choose(monkeypatch, tmp_path / "net.py")
    file_menu_action(window, "Export", "Python script (NumPy)").trigger()
    predict = runpy.run_path(str(tmp_path / "net.py"))["predict"]
    state = capture_state(window.loop)
    from playground.core.session import TrainingSession
    expected = TrainingSession.from_state(state).predict(window.dataset.points)
    np.testing.assert_allclose(predict(window.dataset.points), expected, rtol=1e-9, atol=1e-9)


def test_an_unwritable_place_shows_a_message(qtbot, window, tmp_path, monkeypatch):
    choose(monkeypatch, tmp_path / "no" / "dir" / "plot.png")
    file_menu_action(window, "Export", "The plot as PNG").trigger()
    assert "Could not export" in window.message.text()
