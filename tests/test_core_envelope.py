import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.core.envelope import Envelope


def expected_envelope(values: np.ndarray, bucket_size: int) -> tuple[np.ndarray, np.ndarray]:
    """min and max of 2 series over buckets of bucket_size entries from the first, NaN-blind."""
    finite = np.where(np.isfinite(values), values, np.nan)
    lo, hi = [], []
    for start in range(0, finite.shape[1], bucket_size):
        chunk = finite[:, start:start + bucket_size]
        lo.append(np.fmin.reduce(chunk, axis=1))
        hi.append(np.fmax.reduce(chunk, axis=1))
    return np.array(lo).reshape(-1, 2).T, np.array(hi).reshape(-1, 2).T  # (2, buckets) each


values_and_chunks = st.integers(0, 400).flatmap(lambda n: st.tuples(
    st.lists(st.floats(-1e6, 1e6) | st.just(float("nan")) | st.just(float("inf")),
             min_size=2 * n, max_size=2 * n),
    st.lists(st.integers(1, 50), min_size=1, max_size=30)))


@settings(max_examples=100, deadline=None)
@given(values_and_chunks, st.sampled_from([2, 4, 6, 10]))
def test_each_bucket_holds_the_extremes_of_its_entries_however_they_arrive(data, max_buckets):
    flat, chunk_sizes = data
    values = np.array(flat).reshape(2, -1)  # (series, entries)
    n = values.shape[1]
    env = Envelope(2, max_buckets=max_buckets)
    start, i = 0, 0
    while start < n:
        stop = min(n, start + chunk_sizes[i % len(chunk_sizes)])
        env.extend(np.arange(start, stop), values[:, start:stop])
        start, i = stop, i + 1
    assert env.size == n
    k = env.bucket_size
    assert k & (k - 1) == 0  # a power of two
    lo, hi = expected_envelope(values, k)
    assert lo.shape[1] <= max_buckets + 1  # the complete buckets and an open one
    if k > 1:
        assert lo.shape[1] > max_buckets // 2  # it doubled only when it had to
    for series in range(2):
        x, y = env.points(series)
        if k == 1:
            np.testing.assert_array_equal(x, np.arange(n))
            np.testing.assert_array_equal(y, lo[series])
        else:
            np.testing.assert_array_equal(x, np.repeat(np.arange(0, n, k), 2))
            np.testing.assert_array_equal(y, np.column_stack([lo[series], hi[series]]).ravel())


def test_a_spike_survives_any_amount_of_merging():
    env = Envelope(1, max_buckets=10)
    values = np.ones(10_000)
    values[6_789] = 50.0
    for start in range(0, len(values), 7):
        env.extend(np.arange(start, min(start + 7, 10_000)), values[None, start:start + 7])
    x, y = env.points(0)
    assert len(x) <= 2 * 11 and y.max() == 50.0 and env.extremes() == (1.0, 50.0)
    assert env.last_x() == x[-1]


def test_extremes_and_last_x_of_an_empty_or_all_nan_envelope_are_nan():
    env = Envelope(2)
    assert np.isnan(env.extremes()).all() and np.isnan(env.last_x())
    env.extend([0.0], [[np.nan], [np.nan]])
    assert np.isnan(env.extremes()).all() and env.last_x() == 0.0


def test_clear_starts_over():
    env = Envelope(1, max_buckets=2)
    env.extend(np.arange(9), np.arange(9)[None])
    env.clear()
    env.extend([0], [[3.0]])
    assert env.size == 1 and env.bucket_size == 1
    np.testing.assert_array_equal(env.points(0)[1], [3.0])


def test_an_odd_bucket_limit_is_refused():
    with pytest.raises(ValueError, match="even"):
        Envelope(1, max_buckets=3)
