"""trace(): nodes and edges of a computation graph, for the graph view."""

from __future__ import annotations

from engine.graph import GraphNode, trace
from engine.value import Value


def small_graph() -> Value:
    """out = tanh(w * x + b), with labels, as a neuron's graph."""
    w, x, b = Value(-0.5, label="w"), Value(2.0, label="x"), Value(0.25, label="b")
    wx = w * x
    wx.label = "w*x"
    z = wx + b
    z.label = "z"
    out = z.tanh()
    out.label = "out"
    return out


def test_trace_lists_every_node_children_first_with_its_edges() -> None:
    out = small_graph()
    out.backward()
    nodes, edges = trace(out)
    assert sorted(n.label for n in nodes) == ["b", "out", "w", "w*x", "x", "z"]
    assert nodes[-1].label == "out"
    assert [n.index for n in nodes] == list(range(6))
    by_label = {n.label: n for n in nodes}
    assert by_label["w*x"].op == "*" and by_label["z"].op == "+" and by_label["w"].op == ""
    assert by_label["out"].data == out.data and by_label["out"].grad == 1.0
    assert by_label["w"].grad == out._prev[0]._prev[0]._prev[0].grad
    named = {(nodes[c].label, nodes[p].label) for c, p in edges}
    assert named == {("w", "w*x"), ("x", "w*x"), ("w*x", "z"), ("b", "z"), ("z", "out")}
    assert all(c < p for c, p in edges)  # children come before their parents


def test_trace_is_a_snapshot() -> None:
    out = small_graph()
    nodes, _ = trace(out)
    out.backward()
    assert all(n.grad == 0.0 for n in nodes)
    assert isinstance(nodes[0], GraphNode)


def test_trace_is_stable_across_identical_graphs() -> None:
    first, second = trace(small_graph()), trace(small_graph())
    assert first == second


def test_a_child_used_twice_gives_two_edges() -> None:
    a = Value(3.0, label="a")
    b = a + a
    nodes, edges = trace(b)
    assert len(nodes) == 2
    assert edges == [(0, 1), (0, 1)]


def test_trace_handles_a_100000_deep_chain() -> None:
    y = x = Value(1.0)
    for _ in range(100_000):
        y = y.tanh()
    nodes, edges = trace(y)
    assert len(nodes) == 100_001 and len(edges) == 100_000
    assert nodes[0].op == "" and nodes[-1].op == "tanh"
    assert nodes[0].data == x.data
