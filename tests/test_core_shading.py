import numpy as np

from playground.core.shading import NEUTRAL_LEVEL, grid_levels


def test_levels_span_the_colour_table_from_minus_one_to_plus_one():
    levels = grid_levels(np.array([[-1.0, 0.0, 1.0]], dtype=np.float32))
    assert levels.dtype == np.uint8
    assert levels.tolist() == [[0, NEUTRAL_LEVEL, 255]]


def test_levels_rise_with_the_output():
    grid = np.linspace(-1, 1, 101, dtype=np.float32).reshape(1, -1)
    levels = grid_levels(grid).astype(int)
    assert (np.diff(levels) >= 0).all() and levels[0, 0] == 0 and levels[0, -1] == 255


def test_non_finite_outputs_are_neutral_or_the_ends_and_out_of_range_ones_are_clipped():
    grid = np.array([[np.nan, np.inf, -np.inf, 3.0, -3.0]], dtype=np.float32)
    assert grid_levels(grid).tolist() == [[NEUTRAL_LEVEL, 255, 0, 255, 0]]


def test_levels_are_in_image_order_with_the_grids_last_row_first():
    grid = np.array([[-1.0, -1.0], [1.0, 1.0]], dtype=np.float32)  # row 0 is ymin
    assert grid_levels(grid).tolist() == [[255, 255], [0, 0]]
