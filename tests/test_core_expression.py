"""The expression whitelist: what it computes, what it refuses (and where), and fuzzing."""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.value import Value
from playground.core.expression import MAX_LENGTH, ExpressionError, parse, parse_function
from playground.core.expression_tree import SCRATCHPAD_FUNCTIONS

XS = np.linspace(-3.0, 3.0, 61)


@pytest.mark.parametrize("text, expected", [
    ("sin(3*x) + 0.3*x", lambda x: np.sin(3 * x) + 0.3 * x),
    ("x**2 - 2*x + 1", lambda x: x**2 - 2 * x + 1),
    ("-x + +x - -x", lambda x: x),
    ("abs(x) / (1 + exp(-x))", lambda x: np.abs(x) / (1 + np.exp(-x))),
    ("tanh(x) * cos(pi * x) + e", lambda x: np.tanh(x) * np.cos(np.pi * x) + np.e),
    ("2 ** -x", lambda x: 2.0 ** -x),
    ("  sqrt(x*x) ", np.abs),
])
def test_functions_of_x_evaluate_on_arrays(text, expected):
    evaluation = parse_function(text).evaluate_on(XS)
    np.testing.assert_allclose(evaluation.values, expected(XS), rtol=1e-12, atol=1e-12)
    assert evaluation.finite.all() and evaluation.message == ""


def test_a_constant_function_gives_one_value_per_x():
    evaluation = parse_function("2 * pi").evaluate_on(XS)
    assert evaluation.values.shape == XS.shape
    assert np.all(evaluation.values == 2 * math.pi)


def test_evaluation_reports_where_the_result_is_not_finite():
    evaluation = parse_function("log(x)").evaluate_on(np.array([-1.0, 1.0, 2.0, 0.0]))
    assert evaluation.finite.tolist() == [False, True, True, False]
    assert "at x = -1" in evaluation.message and "1 more of 4" in evaluation.message


@pytest.mark.parametrize("text, fragment, column", [
    ("x.real", "attribute access", 1),
    ("sin(x)[0]", "subscripts", 1),
    ("x + y", "unknown name 'y'", 5),
    ("foo(x)", "unknown function 'foo'", 1),
    ("sin(x)(2)", "calls on calls", 1),
    ("sin(x=1)", "keyword arguments", 5),
    ("sin(x, 2)", "sin takes one argument, got 2", 1),
    ("sin + 1", "sin is a function", 1),
    ("__import__('os')", "unknown function '__import__'", 1),
    ("import os", "not a valid expression", 1),
    ("lambda: 1", "lambda is not allowed", 1),
    ("[x for x in [1]]", "comprehensions", 1),
    ("'text'", "strings are not allowed", 1),
    ("x < 1", "comparisons", 1),
    ("x if x else 1", "if / else", 1),
    ("x and 1", "and / or", 1),
    ("x, 1", "tuple", 1),
    ("x // 2", "the operator // is not allowed", 3),
    ("x % 2", "the operator % is not allowed", 3),
    ("True + x", "True is not allowed", 1),
    ("1j * x", "complex numbers", 1),
    ("1e999 * x", "number too large", 1),
    ("x +", "not a valid expression", 4),
    ("", "type an expression", 1),
    ("x\n+ 1", "one line", 2),
    ("9**9**9", "9**9**9 is not a finite number", 2),
    ("x ** 9**9", "exponent 3.8742e+08 is too large", 3),
    ("x + exp(1000)", "exp(1000) is not a finite number", 5),
    ("1/0 + x", "1/0 is not a finite number", 2),
    ("log(-1)", "log(-1) is not a finite number", 1),
    ("x" * (MAX_LENGTH + 1), f"at most {MAX_LENGTH} characters", MAX_LENGTH + 1),
    ("-" * 40 + "x", "nested too deeply", 33),
])
def test_refusals_say_what_and_point_at_where(text, fragment, column):
    with pytest.raises(ExpressionError) as caught:
        parse_function(text)
    error = caught.value
    assert fragment in error.message
    assert error.column == column
    if len(text) <= 60:  # a longer text is shown around the caret
        _, caret = error.caret.splitlines()
        assert caret.index("^") == 2 + column - 1


def test_the_caret_stands_under_the_bad_part_after_non_ascii_text():
    with pytest.raises(ExpressionError) as caught:
        parse("é + q", names=("é",), functions=())
    shown, caret = caught.value.caret.splitlines()
    assert shown[caret.index("^")] == "q"


def test_a_value_graph_has_the_expressions_numbers_and_gradients():
    expression = parse("a * b + tanh(a) - sin(b) / a", names=("a", "b"),
                       functions=SCRATCHPAD_FUNCTIONS)
    a, b = Value(0.7, label="a"), Value(-1.3, label="b")
    out = expression.to_value({"a": a, "b": b})
    out.backward()
    expected = 0.7 * -1.3 + math.tanh(0.7) - math.sin(-1.3) / 0.7
    assert out.data == pytest.approx(expected, rel=1e-14)
    da = -1.3 + (1 - math.tanh(0.7) ** 2) + math.sin(-1.3) / 0.7**2
    db = 0.7 - math.cos(-1.3) / 0.7
    assert a.grad == pytest.approx(da, rel=1e-12)
    assert b.grad == pytest.approx(db, rel=1e-12)
    assert float(expression.evaluate({"a": 0.7, "b": -1.3})) == pytest.approx(expected, rel=1e-14)


# ---- fuzzing: random text never raises anything but ExpressionError, never runs code ---------

TOKENS = ["x", "pi", "e", "1", "9", "0.5", "1e308", "+", "-", "*", "/", "**", "//", "(", ")",
          "sin(", "log(", "exp(", "sqrt(", "tan(", ",", ".", "[", "]", "'", '"', "lambda",
          "import", "__import__", "os", "system", " ", "=", "<", "if", "else", "for", "in",
          ":", "@", "{", "}", "9**9**9", "**-", "x=", "é", "\\", "#", "\t", "0", "1j", "e5"]
_audit_events: list[str] | None = None  # collects audit events while a fuzz example runs
_WATCHED = ("exec", "import", "open", "os.", "subprocess.", "builtins.input", "ctypes")


def _audit(event: str, args: tuple) -> None:
    if _audit_events is not None and event.startswith(_WATCHED):
        _audit_events.append(event)


sys.addaudithook(_audit)  # cannot be removed; it only records while a fuzz example runs


def _parse_and_evaluate(text: str) -> None:
    """Parse; if accepted, evaluate on arrays. Only ExpressionError may come out."""
    global _audit_events
    _audit_events = []
    try:
        try:
            expression = parse_function(text)
        except ExpressionError as error:
            assert error.message and 1 <= error.column <= len(text) + 1
            return
        evaluation = expression.evaluate_on(XS)
        assert evaluation.values.shape == XS.shape
    finally:
        events, _audit_events = _audit_events, None
    assert events == [], f"{text!r} triggered {events}"


def test_the_fuzz_tests_would_see_code_run():
    global _audit_events
    _audit_events = []
    try:
        exec("1 + 1")  # what the parser must never do with typed text
    finally:
        events, _audit_events = _audit_events, None
    assert "exec" in events


FUZZ = settings(max_examples=400, deadline=500, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map("".join))
def test_token_soup_is_parsed_or_refused(text):
    _parse_and_evaluate(text)


@FUZZ
@given(st.text(max_size=MAX_LENGTH + 20))
def test_any_text_is_parsed_or_refused(text):
    _parse_and_evaluate(text)


@FUZZ
@given(st.recursive(st.sampled_from(["x", "2", "9", "0.5", "pi"]),
                    lambda inner: st.one_of(
                        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**"]), inner).map(
                            lambda t: f"({t[0]}{t[1]}{t[2]})"),
                        st.tuples(st.sampled_from(["sin", "exp", "log", "sqrt", "-"]), inner).map(
                            lambda t: f"{t[0]}({t[1]})")),
                    max_leaves=30))
def test_well_formed_expressions_are_computed_in_bounded_time(text):
    _parse_and_evaluate(text)
