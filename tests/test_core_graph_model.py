"""One sample's loss graph: the engine's own numbers, both levels, stepping, the check, DOT."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest

from engine.activations import ACTIVATIONS
from engine.graph import trace
from engine.layers import Network
from engine.losses import LOSSES
from engine.tensor import Tensor
from engine.value import Value
from playground.core.backprop_stepper import BACKWARD, FORWARD, SEED, BackpropStepper
from playground.core.dataset import Dataset
from playground.core.features import feature_matrix
from playground.core.graph_dot import to_dot
from playground.core.graph_model import ComputationGraph, check_gradients
from playground.core.problems import problem_for
from playground.core.sample_graph import (
    LEVELS,
    NetworkState,
    Sample,
    network_finite_differences,
    network_sample_graph,
)
from playground.core.session import TrainingSession
from playground.core.spec import NetworkSpec, TrainingConfig

FEATURES = ("x1", "x2", "x1^2")
POINT, LABEL = (0.6, -1.1), 1


def state_of(network: Network, activations, loss: str = "mse",
             features=FEATURES) -> NetworkState:
    return NetworkState(features, tuple(activations),
                        tuple((l.weight.data, l.bias.data) for l in network.layers), loss, 7, 2)


def a_network(activations=("tanh", "sigmoid"), hidden=(4, 3), seed=3) -> Network:
    network = Network(len(FEATURES), (*hidden, 1), list(activations), rng=seed)
    rng = np.random.default_rng(seed)
    for layer in network.layers:  # biases away from 0, so every one matters
        layer.bias.data = rng.uniform(-0.5, 0.5, layer.bias.shape)
    return network


def target_of(label: int, loss: str) -> float:
    return float(label) if loss == "bce" else 2.0 * label - 1.0


def by_hand(state: NetworkState, row, target: float, elementary: bool) -> Value:
    """The same loss from plain Value ops, micrograd's way (sum from the bias) or as one wsum."""
    h = [Value(float(v)) for v in row]
    for l, (weight, bias) in enumerate(state.weights, start=1):
        outs = []
        for j in range(weight.shape[1]):
            ws = [Value(float(w)) for w in weight[:, j]]
            b = Value(float(bias[j]))
            z = sum((w * x for w, x in zip(ws, h, strict=True)), b) if elementary else \
                Value.weighted_sum(ws, h, b)
            outs.append(z if l == len(state.weights) else getattr(z, state.activations[l - 1])())
        h = outs
    out = h[0]
    loss = {"mse": lambda: (out - target) ** 2, "hinge": lambda: (1 - out * target).relu(),
            "bce": lambda: out.softplus() - out * target}[state.loss]()
    loss.backward()
    return loss


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("loss", ["mse", "hinge", "bce"])
def test_nodes_and_edges_are_those_of_the_engines_trace(level, loss):
    state = state_of(a_network(), ("tanh", "sigmoid"), loss)
    graph = network_sample_graph(state, Sample(POINT, LABEL), level)
    row = feature_matrix(np.array([POINT]), FEATURES)[0]
    reference = by_hand(state, row, target_of(LABEL, loss), elementary=level == "elementary")
    nodes, edges = trace(reference)
    assert len(graph) == len(nodes)
    assert len(graph.edges) == len(edges)
    assert graph.data[graph.root] == pytest.approx(reference.data, rel=1e-12)
    assert sorted(graph.ops) == sorted(n.op for n in nodes)


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("loss, activations", [
    ("mse", ("relu", "tanh")), ("hinge", ("relu", "tanh")), ("bce", ("relu", "tanh")),
    *(("bce", (a, a)) for a in ACTIVATIONS if a != "linear")])
def test_every_weights_grad_is_the_tensor_engines_gradient_for_that_sample(level, loss,
                                                                            activations):
    network = a_network(activations)
    state = state_of(network, activations, loss)
    graph = network_sample_graph(state, Sample(POINT, LABEL, "training point 1"), level)
    row = feature_matrix(np.array([POINT]), FEATURES)  # (1, F)
    tensor_loss = LOSSES[loss](network(Tensor(row)), [target_of(LABEL, loss)])
    tensor_loss.backward()
    assert graph.data[graph.root] == pytest.approx(float(tensor_loss.data), rel=1e-12)
    for l, layer in enumerate(network.layers, start=1):
        fan_in, fan_out = layer.weight.shape
        for j in range(fan_out):
            assert graph.grad[graph.find(f"b{l}.{j + 1}")] == pytest.approx(
                layer.bias.grad[j], rel=1e-10, abs=1e-14)
            for i in range(fan_in):
                assert graph.grad[graph.find(f"w{l}.{j + 1}.{i + 1}")] == pytest.approx(
                    layer.weight.grad[i, j], rel=1e-10, abs=1e-14)


@pytest.mark.parametrize("loss", ["mse", "hinge", "bce"])
def test_the_target_and_loss_are_the_sessions_own(loss):
    """One SGD step of the session on this one point moves each weight by -lr * its grad."""
    dataset = Dataset(np.array([POINT]), np.array([LABEL]), test_fraction=0.1)  # no test point
    spec = NetworkSpec(features=FEATURES, hidden=(3,), activations=("tanh",))
    session = TrainingSession(dataset.snapshot(), spec, TrainingConfig(
        learning_rate=1e-3, batch_size=1, loss=loss, seed=4))
    before = session.weights()
    state = NetworkState(FEATURES, ("tanh",), tuple(before), loss, session.steps, session.epoch)
    graph = network_sample_graph(state, Sample(POINT, LABEL))
    session.step()
    for l, ((w0, b0), (w1, b1)) in enumerate(zip(before, session.weights(), strict=True), 1):
        for j in range(w0.shape[1]):
            assert b1[j] - b0[j] == pytest.approx(-1e-3 * graph.grad[graph.find(f"b{l}.{j + 1}")],
                                                  rel=1e-6, abs=1e-15)
            for i in range(w0.shape[0]):
                label = f"w{l}.{j + 1}.{i + 1}"
                assert w1[i, j] - w0[i, j] == pytest.approx(-1e-3 * graph.grad[graph.find(label)],
                                                            rel=1e-6, abs=1e-15)


# (kind, classes, features, the one point, its truth): a sample of every problem type
EVERY_TYPE = [("binary", 2, FEATURES, POINT, 1), ("classes", 3, FEATURES, POINT, 2),
              ("regression", 0, FEATURES, POINT, 0.7), ("function", 0, ("x", "x^2"), (0.6, 0.4),
                                                         0.4)]


@pytest.mark.parametrize("kind, n_classes, features, point, truth", EVERY_TYPE)
def test_every_problem_types_graph_is_the_loss_the_session_trains(kind, n_classes, features,
                                                                  point, truth):
    """As above, for every problem type and each of its losses: one sample's graph has the grads
    that the session's SGD step on that one sample applies."""
    problem = problem_for(kind, n_classes)
    for loss in problem.losses:
        dataset = Dataset(np.array([point]), np.array([truth if n_classes else 0]),
                          test_fraction=0.1, kind=kind, n_classes=max(n_classes, 2),
                          values=np.array([truth]) if kind == "regression" else None)
        spec = NetworkSpec(features=features, hidden=(3,), activations=("tanh",))
        session = TrainingSession(dataset.snapshot(), spec, TrainingConfig(
            learning_rate=1e-3, batch_size=1, loss=loss, seed=4))
        before = session.weights()
        state = NetworkState(features, ("tanh",), tuple(before), loss, session.steps,
                             session.epoch, session.problem)
        graph = network_sample_graph(state, Sample(point, truth))
        assert graph.data[graph.root] == pytest.approx(session.latest.train_loss, rel=1e-9)
        session.step()
        for l, ((w0, _), (w1, _)) in enumerate(zip(before, session.weights(), strict=True), 1):
            for (i, j), moved in np.ndenumerate(w1 - w0):
                grad = graph.grad[graph.find(f"w{l}.{j + 1}.{i + 1}")]
                assert moved == pytest.approx(-1e-3 * grad, rel=1e-6, abs=1e-15), (loss, l, i, j)
        check = check_gradients(graph, network_finite_differences(state, Sample(point, truth)))
        assert check.disagreements == 0, loss


@pytest.mark.parametrize("level", LEVELS)
def test_a_switched_off_neuron_is_held_at_zero_as_the_session_trains(level):
    """The graph's loss is the session's with the neuron off, and its grads are the step's:
    none for the neuron's own weights or the weights leaving it."""
    dataset = Dataset(np.array([POINT]), np.array([LABEL]), test_fraction=0.1)
    spec = NetworkSpec(features=FEATURES, hidden=(3, 2), activations=("tanh", "tanh"))
    session = TrainingSession(dataset.snapshot(), spec, TrainingConfig(
        learning_rate=1e-3, batch_size=1, loss="mse", seed=4))
    session.set_switched_off(0, 1, True)
    before = session.weights()
    state = NetworkState(FEATURES, ("tanh", "tanh"), tuple(before), "mse", session.steps,
                         session.epoch, switched_off=session.switched_off)
    graph = network_sample_graph(state, Sample(POINT, LABEL), level)
    assert graph.data[graph.root] == pytest.approx(session.latest.train_loss, rel=1e-9)
    assert graph.data[graph.find("h1.2 off")] == 0.0
    for label in ("w1.2.1", "b1.2", "w2.1.2", "w2.2.2"):
        assert graph.grad[graph.find(label)] == 0.0, label
    session.step()
    for l, ((w0, _), (w1, _)) in enumerate(zip(before, session.weights(), strict=True), 1):
        for (i, j), moved in np.ndenumerate(w1 - w0):
            grad = graph.grad[graph.find(f"w{l}.{j + 1}.{i + 1}")]
            assert moved == pytest.approx(-1e-3 * grad, rel=1e-6, abs=1e-15), (l, i, j)
    check = check_gradients(graph, network_finite_differences(state, Sample(POINT, LABEL)))
    assert check.disagreements == 0
    assert not state.same_network(replace(state, switched_off=frozenset()))


def test_switching_off_a_neuron_the_network_lacks_is_refused():
    state = state_of(a_network(), ("tanh", "sigmoid"))
    with pytest.raises(ValueError, match="no neuron 4 in hidden layer 2"):
        replace(state, switched_off=frozenset({(1, 3)}))
    with pytest.raises(ValueError, match="hidden layer 3"):
        replace(state, switched_off=frozenset({(2, 0)}))  # the output layer is not hidden


def test_every_node_is_tagged_with_its_kind_and_neuron():
    graph = network_sample_graph(state_of(a_network(), ("tanh", "sigmoid")), Sample(POINT, 0),
                                 "elementary")
    kind = dict(zip(graph.labels, graph.kinds, strict=True))
    assert [kind[n] for n in ("x1", "w1.2.3", "b2.1", "z1.1", "h2.3", "loss", "y")] == [
        "input", "weight", "bias", "sum", "activation", "loss", "constant"]
    group = dict(zip(graph.labels, graph.groups, strict=True))
    assert [group[n] for n in ("w1.2.3", "b2.1", "z1.1", "h2.3", "out", "x1")] == [
        "1.2", "2.1", "1.1", "2.3", "3.1", ""]
    assert graph.group_names == [f"{l}.{j}" for l, n in ((1, 4), (2, 3), (3, 1))
                                 for j in range(1, n + 1)]
    products = [i for i in range(len(graph)) if graph.ops[i] == "*" and graph.groups[i] == "1.1"]
    assert len(products) == len(FEATURES)


SMOOTH = [a for a in ACTIVATIONS if a not in ("relu", "leaky_relu", "linear")]


@pytest.mark.parametrize("activations", [("tanh", "sigmoid"), *((a, a) for a in SMOOTH)])
@pytest.mark.parametrize("loss", ["mse", "bce"])
def test_the_gradient_check_agrees_to_1e_6_on_smooth_activations(activations, loss):
    state = state_of(a_network(activations), activations, loss)
    sample = Sample(POINT, LABEL)
    graph = network_sample_graph(state, sample, "elementary")
    check = check_gradients(graph, network_finite_differences(state, sample))
    n_leaves = sum(graph.is_leaf(i) and graph.kinds[i] in ("input", "weight", "bias")
                   for i in range(len(graph)))
    assert len(check.nodes) == n_leaves
    assert np.max(np.abs(check.backprop - check.numeric)) < 1e-6
    assert check.agree.all() and check.disagreements == 0


def test_the_gradient_check_flags_a_wrong_gradient():
    state = state_of(a_network(), ("tanh", "sigmoid"))
    sample = Sample(POINT, LABEL)
    graph = network_sample_graph(state, sample)
    numeric = network_finite_differences(state, sample)
    numeric["w1.1.2"] += 0.01
    numeric["b2.2"] = float("nan")
    check = check_gradients(graph, numeric)
    flagged = {graph.labels[i] for i in check.nodes[~check.agree]}
    assert flagged == {"w1.1.2", "b2.2"}


# ---- the stepper --------------------------------------------------------------------------

def fresh_backward_grads(graph_of) -> np.ndarray:
    return graph_of().grad


@pytest.mark.parametrize("activations", [("tanh", "sigmoid"), ("relu", "relu")])
@pytest.mark.parametrize("level", LEVELS)
def test_stepping_backward_to_the_end_gives_backwards_grads(activations, level):
    state = state_of(a_network(activations), activations, "hinge")
    graph = network_sample_graph(state, Sample(POINT, LABEL), level)
    stepper = BackpropStepper(graph)
    assert stepper.position == stepper.total  # opens finished, as draw_dot shows it
    stepper.reset_grads()
    assert stepper.phase == SEED and not stepper.grad.any() and stepper.known.all()
    stepper.run_to_end()
    # the same products, summed in another valid topological order: equal to rounding
    np.testing.assert_allclose(stepper.grad, graph.grad, rtol=1e-12, atol=1e-15)


def test_forward_steps_reveal_each_node_after_its_children():
    graph = network_sample_graph(state_of(a_network(), ("tanh", "sigmoid")), Sample(POINT, 0))
    stepper = BackpropStepper(graph)
    stepper.restart()
    assert stepper.known.sum() == sum(graph.is_leaf(i) for i in range(len(graph)))
    while stepper.phase == FORWARD:
        record = stepper.step()
        assert all(stepper.known[c] for c in graph.children[record.node])
        assert f"{graph.data[record.node]:.4g}" in record.note
    assert stepper.known.all()
    seed = stepper.step()
    assert seed.phase == SEED and stepper.grad[graph.root] == 1.0


def test_each_backward_step_shows_local_times_upstream_and_the_running_sum():
    graph = network_sample_graph(state_of(a_network(), ("tanh", "sigmoid")), Sample(POINT, 1))
    stepper = BackpropStepper(graph)
    stepper.reset_grads()
    stepper.step()  # the seed
    x1 = graph.find("x1")
    arrivals = []
    while (record := stepper.step()) is not None:
        assert record.phase == BACKWARD
        assert record.upstream == pytest.approx(graph.grad[record.node], rel=1e-13)
        local = graph.local[record.node]
        for c, d in zip(record.contributions, local, strict=True):
            assert c.local == d and c.product == d * record.upstream
            assert c.after == c.before + c.product
            if c.child == x1:
                arrivals.append((c.arrived, c.uses, c.after))
    assert [a for a, _, _ in arrivals] == [1, 2, 3, 4]  # x1 feeds the 4 neurons of layer 1
    assert {u for _, u, _ in arrivals} == {4}
    assert arrivals[-1][2] == graph.grad[x1]


def test_stepping_back_undoes_exactly():
    graph = network_sample_graph(state_of(a_network(), ("tanh", "sigmoid")), Sample(POINT, 1))
    stepper = BackpropStepper(graph)
    stepper.restart()
    history = []
    for _ in range(stepper.total):
        history.append((stepper.grad.copy(), stepper.known.copy(), stepper.received.copy()))
        stepper.step()
    assert stepper.step() is None
    for grad, known, received in reversed(history):
        stepper.back()
        assert np.array_equal(stepper.grad, grad) and np.array_equal(stepper.known, known)
        assert np.array_equal(stepper.received, received)
    assert stepper.back() is None and stepper.position == 0


def test_stepping_back_from_the_finished_graph_replays_once():
    graph = network_sample_graph(state_of(a_network(), ("tanh", "sigmoid")), Sample(POINT, 1))
    stepper = BackpropStepper(graph)
    record = stepper.back()  # the last backward step: the first interior node
    assert record.phase == BACKWARD and record.node == stepper.interior[0]
    assert stepper.position == stepper.total - 1
    stepper.step()
    replayed = BackpropStepper(graph)
    replayed.go_to(replayed.total)
    assert np.array_equal(stepper.grad, replayed.grad)


class LectureValue(Value):
    """A Value a learner extends the lecture's way: an op with a _backward closure."""

    def cube(self) -> LectureValue:
        out = LectureValue(self.data**3, (self,), "cube")

        def _backward() -> None:
            self.grad += 3 * self.data**2 * out.grad

        out._backward = _backward
        return out


def test_a_closure_node_is_stepped_as_a_whole():
    x = LectureValue(1.5, label="x")
    y = x.cube()
    y.label = "y"
    out = y * 2.0
    out.backward()  # the engine runs the closure itself
    graph = ComputationGraph.from_root(out, lambda v: ("op" if v._prev else "input", ""))
    cube = graph.find("y")
    assert graph.local[cube] is None
    stepper = BackpropStepper(graph)
    stepper.reset_grads()
    records = [stepper.step() for _ in range(stepper.total - stepper.position)]
    closure = next(r for r in records if r.node == cube)
    assert "closure" in closure.note
    (contribution,) = closure.contributions
    assert contribution.product == pytest.approx(3 * 1.5**2 * 2.0)
    assert contribution.local == pytest.approx(3 * 1.5**2)
    assert stepper.grad[graph.find("x")] == pytest.approx(13.5)
    assert np.array_equal(stepper.grad, graph.grad)
    assert (x.grad, y.grad) == (13.5, 2.0)  # the stepper kept its own grads, touched none


# ---- DOT ----------------------------------------------------------------------------------

def test_the_dot_export_has_a_node_per_value_and_op_and_an_edge_per_use():
    graph = network_sample_graph(state_of(a_network(), ("tanh", "sigmoid")), Sample(POINT, 1),
                                 "elementary")
    dot = to_dot(graph)
    assert dot.startswith("digraph {") and "rankdir=LR" in dot
    records = re.findall(r'^  n(\d+) \[label="\{ (.*?) \| data (\S+) \| grad (\S+) \}" '
                         r"shape=record\]$", dot, re.MULTILINE)
    assert len(records) == len(graph)
    _, label, data, grad = records[graph.root]
    assert (label, data, grad) == ("loss", f"{graph.data[graph.root]:.4f}", "1.0000")
    interior = sum(not graph.is_leaf(i) for i in range(len(graph)))
    assert len(re.findall(r"^  n\d+op \[label=", dot, re.MULTILINE)) == interior
    assert len(re.findall(r"^  n\d+ -> n\d+op$", dot, re.MULTILINE)) == len(graph.edges)
    assert len(re.findall(r"^  n\d+op -> n\d+$", dot, re.MULTILINE)) == interior


def test_dot_labels_are_escaped():
    a = Value(1.0, label='a|{b}"<c>')
    graph = ComputationGraph.from_root(a + a, lambda v: ("op", ""))
    line = next(s for s in to_dot(graph).splitlines() if "shape=record" in s and "a" in s)
    assert r'a\|\{b\}\"\<c\>' in line
    assert len([s for s in to_dot(graph).splitlines() if "-> n1op" in s]) == 2  # two uses
