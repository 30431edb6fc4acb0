"""Tensor engine against hand-written NumPy (the floor) and PyTorch CPU, all in the same run.

Run ``python bench/bench_tensor.py`` (about half a minute). Every implementation trains the same
network from the same initial weights (checked: one step gives the same weights in all of them).
Repetitions are interleaved and medians reported. Times are this process's CPU time: every peer
runs on one thread (BLAS too), so on an idle machine that equals wall time, and on a busy one
other processes disturb it less. The targets of issue 3 are checked at the end, PASS/MISS each.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

# One BLAS thread, like PyTorch below: threaded BLAS on these small matrices only adds overhead
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine import Network, Tensor, no_grad
from engine.losses import LOSSES, l2
from engine.optim import SGD
from playground.core.presets import make_moons
from playground.core.problems import TWO_CLASSES

try:
    import torch

    torch.set_num_threads(1)
except ImportError:  # the PyTorch columns are skipped
    torch = None

Step = Callable[[np.ndarray, np.ndarray], None]  # one training step on a batch (x, y)


@dataclass(frozen=True)
class Problem:
    """One training setup, shared by every implementation."""

    sizes: tuple[int, ...]  # layer widths, input first: (2, 16, 16, 1)
    activation: str  # hidden activation: "relu" or "tanh"; the output layer is linear
    loss: str  # "hinge" (y in {-1, +1}) or "mse"
    l2_rate: float  # weight of the L2 penalty (0: none)
    lr: float  # SGD learning rate
    seed: int = 0  # initial weights: engine.nn.init_layer via Network(rng=seed)


# ---- data -----------------------------------------------------------------------------------


def two_moons(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """sklearn's make_moons: points (n, 2) and labels (n,) in {-1, +1}."""
    points, labels = make_moons(n, noise, rng)
    return points, TWO_CLASSES.targets(labels, "hinge")


def circle(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """TensorFlow Playground's circle: +1 inside radius 2.5, -1 in the ring 3.5..5."""
    radius = np.r_[rng.uniform(0, 2.5, n // 2), rng.uniform(3.5, 5.0, n - n // 2)]
    angle = rng.uniform(0, 2 * np.pi, n)
    x = np.c_[radius * np.cos(angle), radius * np.sin(angle)]
    return x, np.r_[np.ones(n // 2), -np.ones(n - n // 2)]


# ---- the implementations: each returns a step and the weight arrays it updates in place ----


def initial_weights(p: Problem) -> list[np.ndarray]:
    """[W1, b1, W2, b2, ...] from the engine's shared initialisation."""
    net = Network(p.sizes[0], p.sizes[1:], p.activation, rng=p.seed)
    return [t.data.copy() for t in net.parameters()]


def numpy_by_hand(p: Problem) -> tuple[Step, list[np.ndarray]]:
    """Forward and backward written out in NumPy: the floor for an engine on NumPy.

    It makes the cheapest calls the engine makes (np.dot, np.add.reduce, np.vdot): still a floor.
    """
    params = initial_weights(p)
    ws, bs = params[0::2], params[1::2]
    relu, last, total = p.activation == "relu", len(ws) - 1, np.add.reduce

    def step(x: np.ndarray, y: np.ndarray) -> None:
        hs = [x]  # every layer's input, (batch, fan_in)
        for i in range(last):
            z = np.dot(hs[-1], ws[i]) + bs[i]
            hs.append(np.maximum(z, 0) if relu else np.tanh(z))
        s = np.dot(hs[-1], ws[last]) + bs[last]  # (batch, 1)
        y = y[:, None]
        if p.loss == "hinge":
            margin = 1 - y * s
            loss = total(np.maximum(margin, 0), axis=None) / len(x)
            d = np.where(margin > 0, -y, 0.0) / len(x)  # d loss / d s
        else:
            loss = total((s - y) ** 2, axis=None) / len(x)
            d = (s - y) * (2 / len(x))
        if p.l2_rate:
            loss += p.l2_rate * sum(np.vdot(a, a) for a in params)
        for i in range(last, -1, -1):
            dw, db = np.dot(hs[i].T, d), total(d, axis=0)
            if i:
                d = np.dot(d, ws[i].T)
                d = d * (hs[i] > 0) if relu else d * (1 - hs[i] * hs[i])
            if p.l2_rate:
                dw += 2 * p.l2_rate * ws[i]
                db += 2 * p.l2_rate * bs[i]
            ws[i] -= p.lr * dw
            bs[i] -= p.lr * db

    return step, params


def tensor_ops(p: Problem) -> tuple[Step, list[np.ndarray]]:
    """The network written with plain Tensor ops, as a user would."""
    params = [Tensor(a, requires_grad=True) for a in initial_weights(p)]
    optimizer = SGD(params, lr=p.lr)

    def step(x: np.ndarray, y: np.ndarray) -> None:
        h, y = Tensor(x), y[:, None]
        for i in range(0, len(params), 2):
            h = h @ params[i] + params[i + 1]
            if i + 2 < len(params):
                h = h.relu() if p.activation == "relu" else h.tanh()
        loss = (1 - y * h).relu().mean() if p.loss == "hinge" else ((h - y) ** 2).mean()
        if p.l2_rate:
            loss = loss + p.l2_rate * sum((w * w).sum() for w in params)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return step, [t.data for t in params]


def tensor_layers(p: Problem) -> tuple[Step, list[np.ndarray]]:
    """engine.layers.Network with engine.losses and engine.optim: the library's own path."""
    net = Network(p.sizes[0], p.sizes[1:], p.activation, rng=p.seed)
    params = net.parameters()
    optimizer, loss_fn = SGD(params, lr=p.lr), LOSSES[p.loss]

    def step(x: np.ndarray, y: np.ndarray) -> None:
        loss = loss_fn(net(Tensor(x)), y)
        if p.l2_rate:
            loss = loss + p.l2_rate * l2(params)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return step, [t.data for t in params]


def pytorch(p: Problem) -> tuple[Step, list[np.ndarray]]:
    """The same ops in PyTorch, float64, one thread (its fastest form here: no nn.Module)."""
    params = [torch.tensor(a, requires_grad=True) for a in initial_weights(p)]

    def step(x: np.ndarray, y: np.ndarray) -> None:
        h, y = torch.from_numpy(x), torch.from_numpy(y)[:, None]
        for i in range(0, len(params), 2):
            h = h @ params[i] + params[i + 1]
            if i + 2 < len(params):
                h = torch.relu(h) if p.activation == "relu" else torch.tanh(h)
        loss = torch.relu(1 - y * h).mean() if p.loss == "hinge" else ((h - y) ** 2).mean()
        if p.l2_rate:
            loss = loss + p.l2_rate * sum((w * w).sum() for w in params)
        for w in params:
            w.grad = None
        loss.backward()
        with torch.no_grad():
            for w in params:
                w -= p.lr * w.grad

    return step, [t.detach().numpy() for t in params]


TRAINERS = {"numpy (hand)": numpy_by_hand, "Tensor ops": tensor_ops,
            "Tensor layers": tensor_layers}
if torch is not None:
    TRAINERS["PyTorch"] = pytorch


def check_same_step(p: Problem, x: np.ndarray, y: np.ndarray) -> None:
    """Every implementation must compute the same update, or the timings compare nothing."""
    results = {}
    for name, make in TRAINERS.items():
        step, weights = make(p)
        step(x, y)
        results[name] = weights
    reference = results["numpy (hand)"]
    for name, weights in results.items():
        for a, b in zip(reference, weights, strict=True):
            assert np.allclose(a, b, rtol=1e-9, atol=1e-12), f"{name} disagrees with NumPy"


# ---- timing ---------------------------------------------------------------------------------


def measure(jobs: dict[str, Callable[[], object]], reps: int = 21,
            block: float = 0.01) -> dict[str, float]:
    """Median CPU seconds per call of each job; repetitions interleaved, order rotated."""
    clock = time.process_time
    loops = {}
    for name, job in jobs.items():
        job()  # warm up
        start, n = clock(), 0
        while clock() - start < block / 4:
            job()
            n += 1
        loops[name] = max(1, 4 * n)  # calls per block of about `block` seconds
    times: dict[str, list[float]] = {name: [] for name in jobs}
    names = list(jobs)
    for rep in range(reps):
        for name in names[rep % len(names):] + names[:rep % len(names)]:
            job, n = jobs[name], loops[name]
            start = clock()
            for _ in range(n):
                job()
            times[name].append((clock() - start) / n)
    return {name: statistics.median(t) for name, t in times.items()}


def fmt(seconds: float) -> str:
    """A duration in the unit that reads best."""
    return f"{seconds * 1e6:9.1f} µs" if seconds < 1e-2 else f"{seconds * 1e3:9.2f} ms"


def print_table(title: str, medians: dict[str, float], floor: str, peer: str | None) -> None:
    """One row per implementation with its ratio to the floor and to the peer."""
    print(f"\n{title}")
    columns = [f"vs {floor}", *([f"vs {peer}"] if peer in medians else [])]
    print(f"  {'implementation':<26}{'median':>12}" + "".join(f"{c:>28}" for c in columns))
    for name, t in medians.items():
        ratios = [t / medians[floor], *([t / medians[peer]] if peer in medians else [])]
        print(f"  {name:<26}{fmt(t):>12}" + "".join(f"{r:27.2f}x" for r in ratios))


# ---- workloads ------------------------------------------------------------------------------


def training(p: Problem, x: np.ndarray, y: np.ndarray, batch: int | None) -> dict[str, float]:
    """Median time of one step (full batch) or one epoch (minibatches) per implementation."""
    check_same_step(p, x[: batch or len(x)], y[: batch or len(y)])
    order = np.random.default_rng(1).permutation(len(x))
    batches = [order[i:i + batch] for i in range(0, len(x), batch)] if batch else None
    jobs = {}
    for name, make in TRAINERS.items():
        step, _ = make(p)
        if batches is None:
            jobs[name] = lambda step=step: step(x, y)
        else:
            jobs[name] = lambda step=step: [step(x[i], y[i]) for i in batches]
    return measure(jobs)


def grid_inference(p: Problem, resolution: int = 100) -> dict[str, float]:
    """Median time of the network's output on a resolution x resolution grid over [-6, 6]^2."""
    ticks = np.linspace(-6, 6, resolution)
    grid = np.stack(np.meshgrid(ticks, ticks), axis=-1).reshape(-1, 2)  # (res * res, 2)
    net = Network(p.sizes[0], p.sizes[1:], p.activation, rng=p.seed)

    def tensor_forward() -> np.ndarray:
        with no_grad():
            return net(Tensor(grid)).data

    jobs: dict[str, Callable[[], object]] = {
        "Network.predict float32": lambda: net.predict(grid, np.float32),
        "Network.predict float64": lambda: net.predict(grid, np.float64),
        "Tensor forward, no_grad": tensor_forward,
    }
    if torch is not None:
        weights = initial_weights(p)
        act = torch.relu if p.activation == "relu" else torch.tanh

        def torch_forward(dtype: torch.dtype) -> Callable[[], np.ndarray]:
            ws = [torch.tensor(a, dtype=dtype) for a in weights]
            xs = torch.tensor(grid, dtype=dtype)

            def forward() -> np.ndarray:
                with torch.no_grad():
                    h = xs
                    for i in range(0, len(ws), 2):
                        h = torch.addmm(ws[i + 1], h, ws[i])
                        h = act(h) if i + 2 < len(ws) else h
                    return h.numpy()

            return forward

        jobs["PyTorch float64"] = torch_forward(torch.float64)
        jobs["PyTorch float32"] = torch_forward(torch.float32)
    outputs = [np.asarray(job(), np.float64) for job in jobs.values()]
    assert all(np.allclose(o, outputs[1], atol=1e-4) for o in outputs), "outputs differ"
    return measure(jobs)


def main() -> None:
    """Run the four workloads and check the targets."""
    started = time.perf_counter()
    rng = np.random.default_rng(0)
    peer = "PyTorch" if torch is not None else None
    print(f"numpy {np.__version__}, torch {torch.__version__ if torch else 'absent (skipped)'}")

    demo = Problem((2, 16, 16, 1), "relu", "hinge", l2_rate=1e-4, lr=0.05)
    moons_x, moons_y = two_moons(100, 0.1, rng)
    w1 = training(demo, moons_x, moons_y, batch=None)
    print_table("1. micrograd demo step: 100 moons, 2-16-16-1 ReLU, hinge + 1e-4 L2, full batch",
                w1, "numpy (hand)", peer)

    playground = Problem((2, 4, 2, 1), "tanh", "mse", l2_rate=0.0, lr=0.03)
    circle_x, circle_y = circle(500, rng)
    w2 = training(playground, circle_x[:250], circle_y[:250], batch=10)
    print_table("2. TF Playground epoch: 250 circle points, 2-4-2-1 tanh, batch 10, mse",
                w2, "numpy (hand)", peer)

    w3 = {}
    for p in (playground, demo):
        w3[p.sizes] = grid_inference(p)
        name = "-".join(map(str, p.sizes))
        print_table(f"3. decision grid 100x100, {name} {p.activation}", w3[p.sizes],
                    "Network.predict float64", "PyTorch float64" if peer else None)

    print("\n4. step time (µs) as the micrograd demo grows; ratios to hand NumPy and PyTorch")
    print(f"  {'points':>7}{'width':>7}" + "".join(f"{n:>16}" for n in TRAINERS)
          + f"{'layers/numpy':>14}{'layers/torch' if peer else '':>14}")
    for n, width in [(100, 16), (1000, 16), (10_000, 16), (100, 8), (100, 64), (100, 256)]:
        x, y = two_moons(n, 0.1, rng)
        t = training(replace(demo, sizes=(2, width, width, 1)), x, y, batch=None)
        ratios = f"{t['Tensor layers'] / t['numpy (hand)']:13.2f}x"
        ratios += f"{t['Tensor layers'] / t[peer]:13.2f}x" if peer else ""
        print(f"  {n:>7}{width:>7}" + "".join(f"{t[k] * 1e6:16.1f}" for k in TRAINERS) + ratios)

    print("\ntargets (same run):")
    targets = [
        ("W1 Tensor ops <= 0.35x PyTorch", w1["Tensor ops"], 0.35, w1.get("PyTorch")),
        ("W1 Tensor ops <= 3x hand NumPy", w1["Tensor ops"], 3.0, w1["numpy (hand)"]),
        ("W1 Tensor layers <= 2x hand NumPy", w1["Tensor layers"], 2.0, w1["numpy (hand)"]),
    ]
    for sizes, grid in w3.items():
        name = "-".join(map(str, sizes))
        targets += [
            (f"W3 {name} grid float64 <= 1x PyTorch float64", grid["Network.predict float64"],
             1.0, grid.get("PyTorch float64")),
            (f"W3 {name} grid float32 <= 0.5x PyTorch float64", grid["Network.predict float32"],
             0.5, grid.get("PyTorch float64")),
        ]
    for label, t, limit, reference in targets:
        if reference is None:
            print(f"  SKIP {label} (PyTorch absent)")
            continue
        verdict = "PASS" if t <= limit * reference else "MISS"
        print(f"  {verdict} {label}: {t / reference:.2f}x")
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
