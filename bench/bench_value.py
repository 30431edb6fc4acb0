"""The scalar engine against micrograd 0.1.0, measured in the same run.

Times micrograd's demo training step (forward over 100 two-moons points through
MLP(2, [16, 16, 1]), hinge loss + 1e-4 L2, backward, SGD update) for our Value/MLP and for
micrograd as shipped and with its garbage collector disabled. The engines take turns step by
step, each training its own copy of the same initial network, and the median step time is
compared. Then tracemalloc measures the bytes each engine spends per graph node.

A step is timed until its graph is freed. Ours is freed by reference counting when the loss
goes out of scope, inside the step; micrograd's nodes hold closures that refer back to them, so
only the cyclic garbage collector frees its graph: "as shipped" times the step through that
gc.collect(), as a training loop pays it sooner or later. For comparison "no collect" leaves
that garbage to be collected untimed, and "gc disabled" turns the collector off for the step.

Run: python bench/bench_value.py   (micrograd is optional: pip install micrograd==0.1.0)
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.losses import hinge, l2
from engine.nn import MLP
from engine.value import Value
from playground.core.presets import make_moons
from playground.core.problems import TWO_CLASSES

try:
    import micrograd.engine as micrograd_engine
    import micrograd.nn as micrograd_nn
except ImportError:
    micrograd_engine = micrograd_nn = None

SEED = 1
TIMED_STEPS = 9  # each engine trains this many steps, interleaved with the others
TARGET_SHIPPED = 30.0  # at least this many times faster than micrograd as shipped
TARGET_NO_GC = 6.0  # ... and than micrograd with its garbage collector disabled
FINE_GRAPH_STEPS = 5000  # length of the op-by-op expression used for bytes per node


def our_loss(model: MLP, xs: list[list[float]], ys: list[float]) -> Value:
    """The demo's loss with our engine: one hinge node per sample, one node for L2."""
    inputs = [list(map(Value, row)) for row in xs]
    scores = [model(x) for x in inputs]
    return hinge(scores, ys) + 1e-4 * l2(model.parameters())


def micrograd_loss(model: Any, xs: list[list[float]], ys: list[float]) -> Any:
    """The demo's loss exactly as micrograd's demo.ipynb writes it."""
    inputs = [list(map(micrograd_engine.Value, row)) for row in xs]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(ys, scores, strict=True)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in model.parameters())
    return data_loss + reg_loss


def train_step(loss_fn: Callable, model: Any, xs: list, ys: list, k: int) -> float:
    """One step of the demo: loss, zero_grad, backward, SGD with lr = 1.0 - 0.9 k / 100."""
    loss = loss_fn(model, xs, ys)
    model.zero_grad()
    loss.backward()
    lr = 1.0 - 0.9 * k / 100
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss.data


def count_nodes(root: Any) -> int:
    """Nodes reachable from root through _prev, for either engine (iteratively)."""
    seen, stack = {id(root)}, [root]
    while stack:
        for child in stack.pop()._prev:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return len(seen)


def graph_bytes(build: Callable[[], Any]) -> tuple[int, int]:
    """(bytes allocated and kept by build(), nodes in the graph it returns)."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    root = build()
    allocated = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return allocated, count_nodes(root)


def fine_graph(value_type: type) -> Any:
    """A long expression of binary ops (the graph shape both engines build op by op)."""
    y = value_type(0.5)
    for i in range(FINE_GRAPH_STEPS):
        y = (y * 0.9 + (i % 7 - 3)).relu() - 0.01
    return y


@dataclass(frozen=True)
class Contender:
    """One engine's training step, and how the garbage collector treats it."""

    name: str
    loss_fn: Callable
    model: Any
    gc_enabled: bool = True  # False: gc.disable() around the step
    timed_collect: bool = False  # also time the gc.collect() that frees a cyclic graph
    target: float | None = None  # ours must be at least this many times faster


def contenders() -> list[Contender]:
    """Our engine and micrograd's variants, all starting from the same network."""
    template = MLP(2, [16, 16, 1], rng=SEED)
    ours = [Contender("ours (Value), gc on", our_loss, template),
            Contender("ours (Value), gc off", our_loss, MLP(2, [16, 16, 1], rng=SEED), False)]
    if micrograd_nn is None:
        return ours

    def copy() -> Any:
        model = micrograd_nn.MLP(2, [16, 16, 1])
        for theirs, mine in zip(model.parameters(), template.parameters(), strict=True):
            theirs.data = mine.data
        return model

    return [*ours,
            Contender("micrograd as shipped", micrograd_loss, copy(), timed_collect=True,
                      target=TARGET_SHIPPED),
            Contender("micrograd as shipped, no collect", micrograd_loss, copy()),
            Contender("micrograd, gc disabled", micrograd_loss, copy(), False,
                      target=TARGET_NO_GC)]


def time_training(xs: list, ys: list) -> dict[Contender, list[float]]:
    """Step times per contender, taking turns step by step; step 0 warms up, untimed."""
    racers = contenders()
    times: dict[Contender, list[float]] = {c: [] for c in racers}
    losses: dict[str, float] = {}
    for k in range(TIMED_STEPS + 1):
        for c in racers:
            gc.collect()  # start clean: earlier garbage is nobody's cost
            if not c.gc_enabled:
                gc.disable()
            start = time.perf_counter()
            losses[c.name] = train_step(c.loss_fn, c.model, xs, ys, k)
            if c.timed_collect:
                gc.collect()
            elapsed = time.perf_counter() - start
            gc.enable()
            if k:
                times[c].append(elapsed)
    print("loss at the last step (the same network in every engine): " +
          ", ".join(f"{loss:.4f}" for loss in losses.values()))
    return times


def main() -> None:
    """Print step times, ratios and bytes per node."""
    points, labels = make_moons(100, noise=0.1, rng=np.random.default_rng(SEED))
    xs, ys = points.tolist(), TWO_CLASSES.targets(labels, "hinge").tolist()
    print("micrograd's demo training step: 100 moons points, MLP(2, [16, 16, 1]), "
          "hinge + 1e-4 L2, backward, SGD")
    print(f"Python {sys.version.split()[0]}, median of {TIMED_STEPS} interleaved steps")
    if micrograd_nn is None:
        print("micrograd is not installed (pip install micrograd==0.1.0): ours only")
    times = time_training(xs, ys)
    ours = statistics.median(times[next(iter(times))])
    print(f"  {'engine':34} {'ms/step':>8}  ours is")
    for c, samples in times.items():
        median = statistics.median(samples)
        line = f"  {c.name:34} {median * 1e3:8.1f}"
        if c.loss_fn is micrograd_loss:
            line += f"  {median / ours:5.1f}x faster"
        if c.target is not None:
            verdict = "meets" if median / ours >= c.target else "MISSES"
            line += f"  ({verdict} the {c.target:g}x target)"
        print(line)
    if micrograd_nn is not None:
        print("  (as shipped: timed through the gc.collect() that frees micrograd's cyclic graph;\n"
              "   no collect: that garbage is collected untimed)")

    print("memory per graph node (tracemalloc, graph kept alive):")
    print_memory(xs, ys)


def print_memory(xs: list, ys: list) -> None:
    """Bytes per node of the same graphs built by each engine."""
    ours_model = MLP(2, [16, 16, 1], rng=SEED)
    builds = {"op-by-op expression": [lambda: fine_graph(Value)],
              "training step graph": [lambda: our_loss(ours_model, xs, ys)]}
    if micrograd_nn is not None:
        their_model = micrograd_nn.MLP(2, [16, 16, 1])
        builds["op-by-op expression"].append(lambda: fine_graph(micrograd_engine.Value))
        builds["training step graph"].append(lambda: micrograd_loss(their_model, xs, ys))
    for label, (ours, *theirs) in builds.items():
        ours_bytes, ours_nodes = graph_bytes(ours)
        print(f"  {label:20} {'ours':10} {ours_nodes:7,} nodes {ours_bytes / 1024:7,.0f} KiB "
              f"{ours_bytes / ours_nodes:5.0f} B/node")
        for build in theirs:
            their_bytes, their_nodes = graph_bytes(build)
            print(f"  {'':20} {'micrograd':10} {their_nodes:7,} nodes "
                  f"{their_bytes / 1024:7,.0f} KiB {their_bytes / their_nodes:5.0f} B/node"
                  f"  (ours takes {their_bytes / ours_bytes:.1f}x less for the graph)")


if __name__ == "__main__":
    main()
