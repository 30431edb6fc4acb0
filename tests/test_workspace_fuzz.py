"""Fuzzing the workspace loader: whatever a file holds, the loader's own error or a workspace.

Random bytes and JSON, and mutations of real files of every problem type and of the previous
format (a value replaced by a random one, a key removed or added, an array grown, shrunk or
nested, bytes that are not UTF-8): each gives a
WorkspaceError naming the file, or a workspace that trains; no other exception escapes, and
nothing that exists changes. Seeded (derandomize) and bounded (max_examples, deadline).
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from problem_sessions import KINDS, problem_session

from playground.core.dataset import Dataset
from playground.core.hidden_space import HiddenChoice
from playground.core.workspace import ViewSettings, Workspace, WorkspaceError, decode, encode
from playground.core.workspace_format import FORMAT_VERSION

VERSION_1 = Path(__file__).parent / "data" / "version-1.json"  # written by format 1's app

FUZZ = settings(max_examples=100, deadline=2000, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SOURCE = "fuzzed.json"

numbers = st.one_of(st.integers(), st.integers(min_value=-2**70, max_value=2**70),
                    st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([0, -1, 1e308, -1e308, 5e-324, 1e-300, 2**63, 2**64 + 1]))
scalars = st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=20),
                    st.sampled_from(["nan", "inf", "-inf", "sgd", "tanh", "x1", "train"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=6), st.dictionaries(st.text(max_size=8), inner, max_size=6)),
    max_leaves=30)


def real_document(kind: str) -> dict:
    """A small trained workspace of a problem type, with every optional part filled in: a
    switched-off neuron, a hidden-space choice, a typed formula for the function."""
    dataset, session = problem_session(kind, steps=13, switched_off=((0, 1),), hidden=(3, 2),
                                       activations=("relu", "tanh"))
    if kind == "function":
        dataset.load_preset("expression", 40, 0.1, 1, expression="sin(2 * x) + x / 3",
                            x_range=(-2.0, 2.0))
        session.set_data(dataset.snapshot())
    view = ViewSettings(show_parts=True, point_losses=True, hidden_space=True,
                        hidden_choice=HiddenChoice(1, (0, 1)))
    return json.loads(encode(Workspace.of_session(dataset, session.state(), "max", view)))


# a real file of every problem type, and one the previous format's app wrote (migrated)
DOCS = {kind: real_document(kind) for kind in KINDS}
DOCS["version 1"] = json.loads(VERSION_1.read_text())
LIVE = Dataset()  # stands for the app's state: the loader must never touch it
LIVE.load_preset("xor", 30, 0.0, 2)
LIVE_POINTS = LIVE.points.copy()


def paths(doc, prefix=()) -> list[tuple]:
    """Every path to a value in doc (keys and indices)."""
    found = [prefix]
    if isinstance(doc, dict):
        for key, value in doc.items():
            found += paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc[:4]):  # the first few items of long lists
            found += paths(value, (*prefix, i))
    return found


# (which document, path in it): every value of every document but the whole document
ALL_PATHS = [(name, path) for name, doc in DOCS.items() for path in paths(doc)[1:]]


def set_at(doc, path, value) -> None:
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


def get_at(doc, path):
    for key in path:
        doc = doc[key]
    return doc


def check(data: bytes) -> None:
    """The loader gives its own error, or a workspace that trains a step."""
    try:
        workspace = decode(data, SOURCE)
    except WorkspaceError as error:
        assert str(error).startswith(SOURCE)
    else:
        session = workspace.training_session()
        with np.errstate(over="ignore", invalid="ignore"):  # huge weights may diverge
            session.step()
        assert all(np.isfinite(w).all() for w, _ in session.weights())
    assert np.array_equal(LIVE.points, LIVE_POINTS)


def dumps(doc) -> bytes:
    return json.dumps(doc, allow_nan=True).encode()  # NaN and Infinity literals: not JSON


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes(data):
    check(data)


@FUZZ
@given(values)
def test_random_json(doc):
    check(dumps(doc))
    for version in (1, FORMAT_VERSION):  # through the migration, and straight in
        check(dumps({"app": "micrograd-playground", "format_version": version, **(
            doc if isinstance(doc, dict) else {"dataset": doc})}))


def test_every_document_loads_and_trains_before_it_is_mutated():
    for doc in DOCS.values():
        check(dumps(doc))
        assert decode(dumps(doc), SOURCE).session.steps > 0


def where(choices: list[tuple[str, tuple]]):
    """A copy of one of the documents and a path in it."""
    return st.sampled_from(choices).map(lambda c: (copy.deepcopy(DOCS[c[0]]), c[1]))


@FUZZ
@given(where(ALL_PATHS), values)
def test_a_value_replaced(place, value):
    doc, path = place
    set_at(doc, path, value)
    check(dumps(doc))


@FUZZ
@given(where([(n, p) for n, p in ALL_PATHS if isinstance(p[-1], str)]),
       st.booleans(), st.text(max_size=10))
def test_a_key_removed_or_added(place, remove, extra):
    doc, path = place
    parent = get_at(doc, path[:-1])
    if remove:
        del parent[path[-1]]
    else:
        parent[extra or "extra"] = 1
    check(dumps(doc))


@FUZZ
@given(where([(n, p) for n, p in ALL_PATHS if isinstance(get_at(DOCS[n], p), list)]),
       st.sampled_from(["grow", "shrink", "nest", "huge", "empty"]))
def test_an_array_of_the_wrong_shape(place, how):
    doc, path = place
    array = get_at(doc, path)
    changed = {"grow": array + array[:1] if array else [0], "shrink": array[:-1],
               "nest": [array], "empty": [],
               "huge": [0] * 100_001}[how]  # past every cap on array lengths
    set_at(doc, path, changed)
    check(dumps(doc))


@FUZZ
@given(where([(n, p) for n, p in ALL_PATHS if isinstance(get_at(DOCS[n], p), float)]),
       st.sampled_from([math.nan, math.inf, -math.inf, 1e308, -1e308, 5e-324, 1e300, 0.0]))
def test_huge_tiny_and_non_finite_numbers(place, number):
    doc, path = place
    set_at(doc, path, number)
    check(dumps(doc))


@FUZZ
@given(st.sampled_from(list(DOCS)), st.integers(min_value=0, max_value=20_000),
       st.binary(min_size=1, max_size=4))
def test_bytes_that_are_not_utf8(name, position, junk):
    data = bytearray(dumps(DOCS[name]))
    position %= len(data)
    data[position:position] = b"\xff" + junk
    check(bytes(data))


def test_deep_nesting():
    for version in (b"1", str(FORMAT_VERSION).encode()):
        for depth in (50, 1000, 100_000):
            check(b'{"app": "micrograd-playground", "format_version": ' + version
                  + b', "dataset": ' + b"[" * depth + b"]" * depth + b"}")
