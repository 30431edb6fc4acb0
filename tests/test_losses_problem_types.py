"""The losses of the problem types (classes, regression) against finite differences and PyTorch.

Each loss is checked on Tensor (its fused batch node) and on Value (one sample's math), and one
sample's math on Tensors of one score per copy gives the batch node's per-sample losses.
"""

from __future__ import annotations

import numpy as np
import pytest
from gradcheck import check_grads, numeric_grad

from engine import Tensor, Value
from engine.losses import CLASS_LOSSES, HUBER_DELTA, LOSSES, SAMPLE_LOSSES, per_sample_losses

RNG = np.random.default_rng(11)
NEW_LOSSES = ("mae", "huber", "cross_entropy", "multiclass_hinge")


def batch(name: str, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Scores (N,) or (N, C) away from every kink, and targets for them."""
    if name in CLASS_LOSSES:
        scores = rng.normal(size=(7, 4)) * 2  # (N, C)
        targets = rng.integers(0, 4, 7)
        if name == "multiclass_hinge":  # margins s_j - s_y + 1 well away from 0
            right = scores[np.arange(7), targets][:, None]
            margins = scores - right + 1
            scores = np.where(np.abs(margins) < 0.05, scores + 0.2, scores)
        return scores, targets
    targets = rng.normal(size=9)
    errors = rng.choice([-1, 1], 9) * rng.uniform(0.1, 3.0, 9)  # |e| inside and beyond delta
    errors = np.where(np.abs(np.abs(errors) - HUBER_DELTA) < 0.05, errors * 1.2, errors)
    return targets + errors, targets


@pytest.mark.parametrize("name", NEW_LOSSES)
def test_tensor_loss_gradients_match_finite_differences(name: str) -> None:
    scores, targets = batch(name, RNG)
    check_grads(lambda s: LOSSES[name](s, targets), scores, rng=RNG)


@pytest.mark.parametrize("name", NEW_LOSSES)
def test_value_loss_gradients_match_finite_differences(name: str) -> None:
    scores, targets = batch(name, RNG)
    flat = scores.reshape(len(targets), -1)  # (N, outputs)

    def loss_of(values: list[list[Value]]) -> Value:
        if name in CLASS_LOSSES:
            return LOSSES[name](values, targets)
        return LOSSES[name]([row[0] for row in values], targets)

    leaves = [[Value(float(v)) for v in row] for row in flat]
    loss = loss_of(leaves)
    loss.backward()
    grads = np.array([[v.grad for v in row] for row in leaves])
    probe = flat.copy()
    expected = numeric_grad(lambda: loss_of([[Value(float(v)) for v in row] for row in probe]).data,
                            probe)
    np.testing.assert_allclose(grads, expected, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_one_samples_math_on_copies_gives_the_batch_nodes_losses(name: str) -> None:
    scores, targets = batch(name, RNG)
    if name in ("hinge", "bce"):  # labels -1/+1, or 0/1
        targets = np.where(targets > 0, 1.0, -1.0 if name == "hinge" else 0.0)
    columns = scores.reshape(len(targets), -1).T  # (outputs, N)
    per_sample = [SAMPLE_LOSSES[name]([Tensor(c) for c in columns], t).data[i]
                  for i, t in enumerate(targets)]  # sample i of the copies, its own target
    mean = LOSSES[name](Tensor(scores), targets).item()
    assert np.mean(per_sample) == pytest.approx(mean, rel=1e-12)


def test_class_loss_batch_node_is_one_mean_loss_node() -> None:
    scores, targets = batch("cross_entropy", RNG)
    t = Tensor(scores, requires_grad=True)
    loss = LOSSES["cross_entropy"](t, targets)
    assert loss._op == "mean_loss" and loss._prev == (t,)


def test_class_losses_are_stable_at_huge_scores() -> None:
    scores = np.array([[1000.0, 0.0, -1000.0]])
    t = Tensor(scores, requires_grad=True)
    loss = LOSSES["cross_entropy"](t, [1])
    loss.backward()
    assert loss.item() == pytest.approx(1000.0)
    np.testing.assert_allclose(t.grad, [[1.0, -1.0, 0.0]])
    hinge = LOSSES["multiclass_hinge"](Tensor(scores), [0])
    assert hinge.item() == 0.0  # every margin is met


@pytest.mark.parametrize("scale", [1.0, 30.0, 400.0, 1e4])  # the last two pass exp's range
def test_softmax_cross_entropy_of_each_row_at_any_scale(scale: float) -> None:
    rng = np.random.default_rng(8)
    scores, targets = rng.standard_normal((12, 5)) * scale, rng.integers(0, 5, 12)
    expected = np.logaddexp.reduce(scores, axis=1) - scores[np.arange(12), targets]
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # no overflow on the way
        for layout in (scores, np.asfortranarray(scores)):
            np.testing.assert_allclose(per_sample_losses("cross_entropy", layout, targets),
                                       expected, rtol=1e-12, atol=1e-12)


def torch_loss(torch, name: str, s, y):
    """PyTorch's form of each loss (its multi-class hinge averages over classes too)."""
    f = torch.nn.functional
    if name == "mae":
        return f.l1_loss(s, y)
    if name == "huber":
        return f.huber_loss(s, y, delta=HUBER_DELTA)
    if name == "cross_entropy":
        return f.cross_entropy(s, y)
    return f.multi_margin_loss(s, y) * s.shape[1]  # ours sums over the classes


@pytest.mark.parametrize("name", NEW_LOSSES)
def test_against_pytorch(name: str) -> None:
    torch = pytest.importorskip("torch")
    scores, targets = batch(name, RNG)
    t = Tensor(scores.copy(), requires_grad=True)
    loss = LOSSES[name](t, targets)
    loss.backward()
    ts = torch.tensor(scores, requires_grad=True)
    ty = torch.tensor(targets) if name in CLASS_LOSSES else torch.tensor(targets, dtype=ts.dtype)
    expected = torch_loss(torch, name, ts, ty)
    expected.backward()
    assert loss.item() == pytest.approx(expected.item(), rel=1e-12)
    np.testing.assert_allclose(t.grad, ts.grad.numpy(), rtol=1e-10, atol=1e-14)
