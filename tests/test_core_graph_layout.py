"""What is drawn of a graph (draw_dot's picture, collapsed neurons), where it goes, and the
inspector's state: Qt-free."""

from __future__ import annotations

import numpy as np
import pytest

from engine.layers import Network
from playground.core.expression import ExpressionError
from playground.core.graph_display import (
    COLLAPSE_ABOVE,
    NEURON,
    OP,
    VALUE,
    default_collapsed,
    display_graph,
    drawn_node,
    find_labels,
    hidden_by_kind,
    related_nodes,
)
from playground.core.graph_layout import (
    ForceLayout,
    ForceSettings,
    edge_segments,
    force_bodies,
    layered_layout,
    place_ops,
    topological_order,
)
from playground.core.inspection import (
    NOTHING,
    NUMBERS,
    SCRATCHPAD,
    STRUCTURE,
    Inspection,
    sample_at,
    split_sample,
)
from playground.core.sample_graph import NetworkState, Sample, network_sample_graph


def state_of(hidden=(3, 2), seed=0, loss="mse", scale=1.0) -> NetworkState:
    network = Network(2, (*hidden, 1), ["tanh"] * len(hidden), rng=seed)
    return NetworkState(("x1", "x2"), ("tanh",) * len(hidden),
                        tuple((l.weight.data * scale, l.bias.data) for l in network.layers),
                        loss, 5, 1)


SAMPLE = Sample((0.4, -0.8), 1, "training point 1")


def a_graph(hidden=(3, 2), level="neuron"):
    return network_sample_graph(state_of(hidden), SAMPLE, level)


def test_every_value_is_a_box_and_every_op_a_node_before_its_value():
    graph = a_graph()
    display = display_graph(graph)
    interior = [i for i in range(len(graph)) if not graph.is_leaf(i)]
    assert np.count_nonzero(display.kinds == VALUE) == len(graph)
    assert np.count_nonzero(display.kinds == OP) == len(interior)
    assert len(display.edges) == len(graph.edges) + len(interior)  # each use, each op -> value
    for i in interior:
        assert [display.op_of[i], display.box_of[i]] in display.edges.tolist()
    for child, parent in graph.edges:
        assert [display.box_of[child], display.op_of[parent]] in display.edges.tolist()


def test_a_collapsed_neuron_is_one_node_with_its_inputs_and_users():
    graph = a_graph()
    display = display_graph(graph, frozenset({"1.2"}))
    (neuron,) = np.flatnonzero(display.kinds == NEURON)
    assert display.groups[neuron] == "1.2"
    assert graph.labels[display.values[neuron]] == "h1.2"
    inputs = {graph.labels[display.values[s]] for s, t in display.edges if t == neuron}
    assert inputs == {"x1", "x2"}  # one edge per input, not one per weight
    users = [t for s, t in display.edges if s == neuron]
    assert len(users) == 2  # h1.2 feeds both neurons of layer 2
    hidden = [i for i, g in enumerate(graph.groups) if g == "1.2"]
    assert all(display.box_of[i] in (-1, neuron) for i in hidden)
    assert drawn_node(graph, display, graph.find("w1.2.1")) == neuron
    assert len(display_graph(graph, frozenset(graph.group_names))) < len(display)


def test_big_graphs_open_collapsed():
    small, big = a_graph((4, 2)), a_graph((16, 16))
    assert len(small) <= COLLAPSE_ABOVE < len(big)
    assert default_collapsed(small) == frozenset()
    assert default_collapsed(big) == frozenset(big.group_names)


def test_related_nodes_are_what_a_node_comes_from_and_what_it_feeds():
    graph = a_graph()
    display = display_graph(graph)
    d = display.box_of[graph.find("h1.1")]
    labels = {graph.labels[display.values[k]] for k in related_nodes(display, d)
              if display.kinds[k] != OP}
    assert {"x1", "x2", "w1.1.1", "b1.1", "z1.1", "h1.1", "h2.1", "h2.2", "out", "loss"} <= labels
    assert not labels & {"w1.2.1", "z1.2", "h1.2", "w2.1.2"}


def test_search_and_filter():
    graph = a_graph()
    display = display_graph(graph)
    found = [graph.labels[display.values[d]] for d in find_labels(graph, display, "B2")]
    assert sorted(found) == ["b2.1", "b2.2"]
    assert find_labels(graph, display, "  ") == []
    hidden = hidden_by_kind(graph, display, {"weight", "activation"})
    kinds = {graph.kinds[display.values[d]] for d in np.flatnonzero(hidden)}
    assert kinds == {"weight", "activation"}
    ops = np.flatnonzero((display.kinds == OP) & hidden)
    assert {graph.ops[display.values[d]] for d in ops} == {"tanh"}  # they go with their value


def test_topological_order_puts_sources_first_and_refuses_cycles():
    edges = np.array([[2, 0], [0, 1], [2, 1]])
    order = topological_order(3, edges).tolist()
    assert order.index(2) < order.index(0) < order.index(1)
    with pytest.raises(ValueError, match="cycle"):
        topological_order(2, np.array([[0, 1], [1, 0]]))


@pytest.mark.parametrize("level", ["neuron", "elementary"])
def test_the_layered_layout_goes_left_to_right_without_overlaps(level):
    graph = a_graph((4, 3), level)
    display = display_graph(graph)
    rng = np.random.default_rng(0)
    widths, heights = rng.uniform(30, 200, len(display)), np.full(len(display), 30.0)
    xy = layered_layout(len(display), display.edges, widths, heights)
    s, t = display.edges[:, 0], display.edges[:, 1]
    assert np.all(xy[s, 0] + widths[s] / 2 < xy[t, 0] - widths[t] / 2)  # right of its inputs
    root = display.box_of[graph.root]
    assert xy[root, 0] == xy[:, 0].max()
    for x in np.unique(xy[:, 0]):
        ys = np.sort(xy[xy[:, 0] == x, 1])
        assert np.all(np.diff(ys) >= 30.0)
    assert np.array_equal(xy, layered_layout(len(display), display.edges, widths, heights))


def test_the_force_layout_settles_into_a_spread_out_picture():
    graph = a_graph((4, 3))
    display = display_graph(graph)
    bodies, edges = force_bodies(display)
    assert not np.isin(bodies, np.flatnonzero(display.kinds == OP)).any()
    start = np.random.default_rng(1).uniform(-5, 5, (len(bodies), 2))  # all bunched up
    settings = ForceSettings()
    layout = ForceLayout(start, edges, settings, seed=3)
    moves = [layout.step() for _ in range(400)]
    assert layout.settled and moves[-1] < moves[0]
    p = layout.positions
    gaps = np.hypot(*(p[:, None, :] - p[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(gaps, np.inf)
    assert gaps.min() > 0.2 * settings.edge_length  # nothing left on top of anything
    lengths = np.hypot(*(p[edges[:, 0]] - p[edges[:, 1]]).T)
    assert 0.3 < np.median(lengths) / settings.edge_length < 3.0
    again = ForceLayout(start, edges, settings, seed=3)
    for _ in range(400):
        again.step()
    assert np.array_equal(again.positions, p)  # seeded: the same picture every time


def test_ops_sit_just_outside_their_value_towards_their_inputs():
    graph = a_graph()
    display = display_graph(graph)
    sizes = np.where((display.kinds == OP)[:, None], 30.0, [[160.0, 30.0]])
    xy = layered_layout(len(display), display.edges, sizes[:, 0], sizes[:, 1])
    place_ops(display, xy, sizes)
    for d in np.flatnonzero(display.kinds == OP):
        box = display.box_of[display.values[d]]
        gap = np.abs(xy[d] - xy[box])
        assert np.any(gap > (sizes[box] + sizes[d]) / 2)  # outside the box
        assert xy[d, 0] < xy[box, 0]  # on the side of its inputs (all left of it here)


def test_edges_run_from_border_to_border():
    positions = np.array([[0.0, 0.0], [300.0, 0.0]])
    sizes = np.array([[100.0, 30.0], [60.0, 20.0]])
    segments = edge_segments(positions, sizes, np.array([[0, 1]]))
    assert segments.shape == (6, 2)
    assert segments[0].tolist() == [50.0, 0.0] and segments[1].tolist() == [270.0, 0.0]
    assert np.all(segments[3:6:2, 0] < 270.0)  # the arrowhead's wings point back


# ---- the inspector's state ------------------------------------------------------------------

def test_new_weights_change_the_numbers_and_a_new_shape_the_structure():
    inspection = Inspection()
    assert inspection.set_network(state_of()) == NOTHING  # no sample yet
    assert inspection.set_sample(SAMPLE) == STRUCTURE
    first = inspection.built
    assert inspection.set_network(state_of(scale=1.1)) == NUMBERS
    assert inspection.built.display is first.display
    assert inspection.built.graph.data[inspection.built.graph.find("w1.1.1")] == \
        pytest.approx(1.1 * first.graph.data[first.graph.find("w1.1.1")])
    assert inspection.set_network(state_of((3, 3))) == STRUCTURE
    assert inspection.set_network(state_of((3, 3), loss="hinge")) == STRUCTURE
    assert inspection.set_level("elementary") == STRUCTURE
    assert inspection.set_network(None) == STRUCTURE and inspection.built is None
    assert "waiting" in inspection.message


def test_collapsing_follows_the_graphs_size_until_the_person_chooses():
    inspection = Inspection()
    inspection.set_sample(SAMPLE)
    inspection.set_network(state_of((16, 16)))
    assert inspection.collapsed_groups == frozenset(inspection.built.graph.group_names)
    assert inspection.toggle_neuron("2.5") == STRUCTURE
    assert "2.5" not in inspection.collapsed_groups
    assert inspection.set_network(state_of((16, 16), scale=0.9)) == NUMBERS  # the choice stays
    assert "2.5" not in inspection.collapsed_groups
    inspection.set_network(state_of((4, 2)))  # a new shape opens as its size suggests
    assert inspection.collapsed_groups == frozenset()
    assert inspection.toggle_neuron("no such neuron") == NOTHING


def test_a_bad_scratchpad_keeps_the_last_good_one():
    inspection = Inspection()
    assert inspection.set_mode(SCRATCHPAD) == STRUCTURE
    good = inspection.built.graph
    with pytest.raises(ExpressionError):
        inspection.set_scratchpad("a = -1\nb = log(a)")
    assert inspection.built.graph is good
    assert inspection.set_scratchpad("a = 3\nb = a * a") == STRUCTURE
    summary, live = inspection.describe(("orange", "blue"), {}, True, 0)
    assert live == "b = 9.0000" and "2 values" in summary


def test_picking_a_point_or_a_probe():
    points = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
    labels = np.array([0, 1, 1, 0])
    is_test = np.array([False, True, False, True])
    assert split_sample(points, labels, is_test, "test point", 2) == Sample(
        (3.0, 3.0), 0, "test point 2")
    assert split_sample(points, labels, is_test, "training point", 3) is None
    near = sample_at(points, labels, is_test, 2.05, 1.95, radius=0.2, probe_truth=0)
    assert near == Sample((2.0, 2.0), 1, "training point 2")
    far = sample_at(points, labels, is_test, 5.0, 5.0, radius=0.2, probe_truth=0)
    assert far == Sample((5.0, 5.0), 0, "probe")
    hidden_test = sample_at(points, labels, is_test, 1.0, 1.0, 0.2, 1, with_test=False)
    assert hidden_test.where == "probe"


def test_the_live_line_says_which_step_it_shows():
    inspection = Inspection()
    inspection.set_sample(SAMPLE)
    inspection.set_network(state_of())
    names = {"neuron": "one node per neuron"}
    summary, live = inspection.describe(("orange", "blue"), names, True, 5)
    assert summary.startswith("training point 1 (0.4, -0.8), blue: mse loss, one node per neuron")
    assert live.startswith("following training: step 5, epoch 1")
    _, frozen = inspection.describe(("orange", "blue"), names, False, 1234)
    assert frozen.startswith("frozen at step 5; training is at step 1,234")
