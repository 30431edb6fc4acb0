"""The scratchpad: the lecture's graphs typed as lines, with micrograd's numbers."""

from __future__ import annotations

import math

import pytest
from test_value import readme_expression

from playground.core.expression import ExpressionError
from playground.core.scratchpad import EXAMPLES, parse_scratchpad

L_EXAMPLE, NEURON, README_G, TANH_FROM_EXP = EXAMPLES.values()


def grads(text: str) -> dict[str, float]:
    graph = parse_scratchpad(text).graph()
    return {graph.labels[i]: graph.grad[i] for i in range(len(graph)) if graph.labels[i]}


def test_the_lectures_first_graph():
    graph = parse_scratchpad(L_EXAMPLE).graph()
    assert graph.labels[graph.root] == "L" and graph.data[graph.root] == -8.0
    assert {k: v for k, v in grads(L_EXAMPLE).items() if k in "abcdefL"} == {
        "a": 6.0, "b": -4.0, "c": -2.0, "e": -2.0, "d": -2.0, "f": 4.0, "L": 1.0}
    assert len(graph) == 7 and len(graph.edges) == 6
    assert [graph.kinds[graph.find(n)] for n in ("a", "e", "L")] == ["input", "op", "loss"]


def test_the_lectures_neuron_and_the_seed_notebooks_tanh_made_of_exp_agree():
    for text in (NEURON, TANH_FROM_EXP):
        graph = parse_scratchpad(text).graph()
        assert graph.data[graph.root] == pytest.approx(math.sqrt(0.5), abs=1e-12)
        g = grads(text)
        for name, expected in {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5}.items():
            assert g[name] == pytest.approx(expected, abs=1e-12), (text[:30], name)
    assert len(parse_scratchpad(TANH_FROM_EXP).graph()) > len(parse_scratchpad(NEURON).graph())


def test_the_readme_g_example_gives_micrographs_numbers():
    micrograd = pytest.importorskip("micrograd.engine")
    pad = parse_scratchpad(README_G)
    graph = pad.graph()
    assert f"{graph.data[graph.root]:.4f}" == "24.7041"
    a, b = graph.grad[graph.find("a")], graph.grad[graph.find("b")]
    assert (f"{a:.4f}", f"{b:.4f}") == ("138.8338", "645.5773")

    # the same lines run through micrograd itself
    ma, mb, g = readme_expression(micrograd.Value)
    assert graph.data[graph.root] == pytest.approx(g.data, rel=1e-12)
    assert (a, b) == (pytest.approx(ma.grad, rel=1e-12), pytest.approx(mb.grad, rel=1e-12))


def test_binding_a_name_again_makes_a_new_node_and_numbers_the_old_ones():
    pad = parse_scratchpad(README_G)
    labels = [b.label for b in pad.bindings]
    assert labels[:6] == ["a", "b", "c#1", "d#1", "c#2", "c"]
    assert pad.output.label == "g"
    graph = pad.graph()
    assert graph.find("c#1") != graph.find("c")


@pytest.mark.parametrize("text", EXAMPLES.values())
def test_finite_differences_of_every_leaf_match_backprop(text):
    pad = parse_scratchpad(text)
    graph = pad.graph()
    for label, slope in pad.finite_differences().items():
        grad = graph.grad[graph.find(label)]
        assert slope == pytest.approx(grad, rel=1e-6, abs=1e-6), label


def test_nudging_a_leaf_moves_the_output_by_about_grad_times_h():
    pad = parse_scratchpad(L_EXAMPLE)
    nudge = pad.nudge("a", 0.001)
    assert nudge.before == -8.0
    assert nudge.after == pytest.approx(-8.0 + 6.0 * 0.001, abs=1e-12)
    assert nudge.slope == pytest.approx(6.0, rel=1e-9)
    with pytest.raises(KeyError):
        pad.nudge("e", 0.001)  # an intermediate node, not a leaf


def test_python_style_augmented_assignment_reads_as_python():
    graph = parse_scratchpad("a = 3\na *= a + 1\nb = a").graph()
    assert graph.data[graph.root] == 12.0


@pytest.mark.parametrize("text, line, fragment", [
    ("a = 2\nb = a + q", 2, "unknown name 'q'"),
    ("a == 2", 1, "write name = expression"),
    ("2 = a", 1, "is not a name"),
    ("a = 2\nlambda = 3", 2, "reserved word"),
    ("sin = 3", 1, "reserved word"),
    ("c += 1", 1, "needs c defined"),
    ("a = -2\nb = log(a)", 2, "log is defined for positive numbers only"),
    ("a = 0\nb = 1 / a", 2, "division by a Value that is zero"),
    ("a = 2\nb = a.real", 2, "attribute access"),
    ("# only a comment", 1, "write a line"),
])
def test_bad_lines_are_refused_with_the_line_and_the_reason(text, line, fragment):
    with pytest.raises(ExpressionError) as caught:
        parse_scratchpad(text).graph()
    assert caught.value.line == line
    assert fragment in caught.value.message


def test_a_refused_part_is_pointed_at_in_the_whole_line():
    with pytest.raises(ExpressionError) as caught:
        parse_scratchpad("a = 2\nbb = a * zz")
    shown, caret = caught.value.caret.splitlines()
    assert shown.strip() == "bb = a * zz"
    assert shown[caret.index("^"):].startswith("zz")
