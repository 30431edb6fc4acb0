"""Reading big dataset files: every row checked, progress after each block of lines, a cancel
between blocks, the line and column of a bad field named, and nothing changed until the end.

The fast reader converts a block column by column, setting blank lines and comments aside; a
block with a bad field goes through the line-at-a-time parser. Both must agree on every file
(fuzzed here).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.core.csv_format import HEADERS, fields_of, is_data, layout_of
from playground.core.csv_read import (
    BLOCK_LINES,
    MAX_FILE_BYTES,
    ReadCancelled,
    _exact_block,
    _fast_block,
    parse_csv,
    read_csv,
)
from playground.core.dataset import Dataset
from playground.core.dataset_state import MAX_POINTS

N = 100_000


def _state(ds: Dataset) -> tuple:
    """Everything an import can change, as plain lists."""
    return (ds.kind, ds.points.tolist(), ds.labels.tolist(), ds.values.tolist(),
            ds.is_test.tolist(), ds.version, ds.commits)


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> tuple[Path, Dataset]:
    """A 100,000-point file of three classes with a split column, and the dataset it holds."""
    rng = np.random.default_rng(7)
    dataset = Dataset(points=rng.uniform(-6, 6, (N, 2)), labels=rng.integers(0, 3, N),
                      kind="classes", n_classes=3)
    path = tmp_path_factory.mktemp("big") / "big.csv"
    dataset.save_csv(path)
    return path, dataset


@pytest.fixture
def live() -> Dataset:
    """The dataset a person has before importing: a preset with an edit on top."""
    ds = Dataset()
    ds.load_preset("circle", 30, seed=3)
    ds.add_point(0.5, 0.5, 1)
    return ds


def test_a_100k_row_file_reads_back_bit_for_bit_and_undo_restores_the_old_points(
        big, live) -> None:
    path, saved = big
    rows = read_csv(path)
    np.testing.assert_array_equal(rows.points, saved.points)
    np.testing.assert_array_equal(rows.labels, saved.labels)
    np.testing.assert_array_equal(rows.is_test, saved.is_test)
    np.testing.assert_array_equal(rows.lines, np.arange(2, N + 2))  # line 1 is the header
    before = _state(live)
    live.load_rows(rows, path)
    assert (len(live), live.kind, live.n_classes, live.source) == (N, "classes", 3, "big.csv")
    assert live.undo() and _state(live)[:5] == before[:5]  # one undo step


def test_progress_comes_after_every_block_up_to_the_last_line(big) -> None:
    path, _ = big
    calls: list[tuple[int, int]] = []
    read_csv(path, progress=lambda done, total: calls.append((done, total)))
    assert len(calls) == math.ceil(N / BLOCK_LINES)
    assert {total for _, total in calls} == {N + 1}
    done = [d for d, _ in calls]
    assert done == sorted(done) and done[0] <= BLOCK_LINES + 1 and done[-1] == N + 1


def test_a_cancel_stops_at_the_next_block_and_hands_back_nothing(big) -> None:
    path, _ = big
    calls: list[int] = []
    with pytest.raises(ReadCancelled):
        read_csv(path, progress=lambda done, total: calls.append(done),
                 cancelled=lambda: len(calls) >= 3)
    assert len(calls) == 3  # three blocks read, then it stopped


def _with_line(path: Path, number: int, line: str, tmp_path: Path) -> Path:
    """A copy of the file at path with its line number (from 1) replaced."""
    lines = path.read_text().splitlines()
    lines[number - 1] = line
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    return bad


@pytest.mark.parametrize("line, message", [
    ("1.5,oops,1,train", r"y \(column 2\) must be a number, got 'oops'"),
    ("1.5,2,9,test", r"label \(column 3\) must be a whole number from 0 to 7, got '9'"),
    ("1.5,2,1,validate", r"split \(column 4\) must be train or test, got 'validate'"),
    ("1.5,2,1", r"expected 4 comma-separated values \(x,y,label,split\), got 3"),
    ("1e300,2,1,train", r"x \(column 1\) is 1e\+300, outside the accepted range"),
])
def test_a_bad_row_in_the_middle_names_its_line_and_column_and_nothing_changes(
        big, live, tmp_path, line: str, message: str) -> None:
    bad = _with_line(big[0], 50_001, line, tmp_path)
    before = _state(live)
    with pytest.raises(ValueError, match=f"bad.csv, line 50001: {message}"):
        live.load_csv(bad)
    assert _state(live) == before


def test_comments_and_blank_lines_among_many_rows_keep_every_line_number(big, tmp_path) -> None:
    path, saved = big
    lines = path.read_text().splitlines()
    for at in (70_000, 12_345, 3):  # from the end, so the earlier numbers stay
        lines[at:at] = ["# a note", "", "   "]
    edited = tmp_path / "notes.csv"
    edited.write_text("\n".join(lines) + "\n")
    rows = read_csv(edited)
    np.testing.assert_array_equal(rows.points, saved.points)
    rows_at = [number for number, line in enumerate(lines, start=1)
               if line.strip() and not line.startswith("#")][1:]  # after the header
    assert rows.lines.tolist() == rows_at and rows_at[-1] == N + 1 + 9
    lines[80_000] = "1,2,3,tset"
    edited.write_text("\n".join(lines) + "\n")
    with pytest.raises(ValueError, match=r"line 80001: split \(column 4\)"):
        read_csv(edited)


def test_a_file_over_the_limit_is_refused_naming_the_first_row_too_many(tmp_path) -> None:
    path = tmp_path / "many.csv"
    path.write_text("x,y\n" + "".join(f"{i % 100},{i % 7}\n" for i in range(MAX_POINTS + 1)))
    with pytest.raises(ValueError, match=f"line {MAX_POINTS + 2}: more than {MAX_POINTS} "
                                         f"points; a dataset holds at most {MAX_POINTS}"):
        read_csv(path)
    path.write_bytes(b"1,2,0\n" * (MAX_FILE_BYTES // 6 + 1))
    with pytest.raises(ValueError, match="a dataset file may be at most 64 MiB"):
        read_csv(path)


def test_no_edit_makes_a_dataset_larger_than_a_workspace_can_save() -> None:
    full = Dataset(points=np.zeros((MAX_POINTS, 2)), labels=np.zeros(MAX_POINTS, np.int64))
    with pytest.raises(ValueError, match=f"at most {MAX_POINTS} points"):
        full.add_point(1.0, 1.0, 1)
    with pytest.raises(ValueError, match=f"at most {MAX_POINTS} points"):
        full.load_preset("circle", MAX_POINTS + 1)
    assert len(full) == MAX_POINTS and full.commits == 0


# ---- the fast reader and the line-at-a-time parser agree ------------------------------------

FUZZ = settings(max_examples=300, deadline=2000, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])
ODD = ["", " ", "x", "#", "1_0", "+1", "-1", "٣", "²", "0x1", "1e300", "nan", "-inf", " 2 ",
       "TEST", " Train ", "val", "8", "1.5", "1,5"]
POOLS = {"x": ["0", "-1.25", "3e1", "6", "-0.0"], "y": ["1", "2.5", "-4", " 0.5"],
         "label": ["0", "1", "2", "7", " 1"], "value": ["0.5", "-3", "12", "1e2"],
         "split": ["train", "test", "TEST", " train"]}


@st.composite
def csv_texts(draw) -> str:
    """A file of one layout, with or without a header, whose rows are mostly right; now and then
    a field is odd, a field is missing or extra, or a line is blank or a comment."""
    names = [*draw(st.sampled_from(list(HEADERS.values()))), *draw(st.sampled_from([[],
                                                                                   ["split"]]))]
    lines = [",".join(names)] if draw(st.booleans()) else []
    for _ in range(draw(st.integers(0, 25))):
        fields = [draw(st.sampled_from(POOLS[name])) for name in names]
        odd = draw(st.integers(0, 40))
        if odd == 0:
            fields[draw(st.integers(0, len(fields) - 1))] = draw(st.sampled_from(ODD))
        elif odd == 1:
            fields.pop()
        elif odd == 2:
            fields.append(draw(st.sampled_from(ODD)))
        line = ",".join(fields)
        if odd == 3:
            line = draw(st.sampled_from(["", "  ", "# a note", "#1,2,0"]))
        lines.append(line)
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return end.join(lines) + draw(st.sampled_from(["", end]))


def _outcome(text: str) -> tuple:
    """What parse_csv makes of text: its rows as lists, or its error's message."""
    try:
        rows = parse_csv(text, "fuzzed.csv")
    except ValueError as error:
        return ("error", str(error))
    return _fields(rows)


def _fields(rows) -> tuple:
    return (rows.columns, rows.points.tolist(), rows.labels.tolist(), rows.values.tolist(),
            None if rows.is_test is None else rows.is_test.tolist(), rows.lines.tolist())


@FUZZ
@given(csv_texts())
def test_the_fast_reader_and_the_line_at_a_time_parser_agree_on_every_file(text: str) -> None:
    # comments with a row's commas look like rows to the fast reader until float() refuses
    # them: one of these at the end sends the file's one block through the line-at-a-time
    # parser, which skips them
    assert _outcome(text) == _outcome(text + "\n#,\n#,,\n#,,,\n")
    # and block by block: whatever the fast reader takes, the exact parser reads the same
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if is_data(line)), None)
    if start is None:
        return
    try:
        layout, is_header = layout_of(fields_of(lines[start]), "fuzzed.csv")
    except ValueError:  # a first line that says no layout
        return
    first = start + is_header
    fast = _fast_block(lines[first:], first + 1, layout)
    if fast is not None:
        assert _fields(fast) == _fields(_exact_block(lines[first:], first + 1, layout,
                                                     "fuzzed.csv"))
