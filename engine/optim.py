"""Optimizers that update anything with ``.data`` and ``.grad``: Values and Tensors alike.

SGD (plain or with momentum), Adam and AdamW, each step for step as its torch.optim twin.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Any

import numpy as np


def zero_grad(params: Iterable[Any]) -> None:
    """Set every parameter's gradient to zero (in place for arrays)."""
    for p in params:
        if isinstance(p.grad, np.ndarray):
            p.grad.fill(0.0)
        else:
            p.grad = 0.0


class Optimizer(ABC):
    """Holds the parameters and the learning rate; subclasses define step()."""

    def __init__(self, params: Iterable[Any], lr: float) -> None:
        self.params = list(params)
        self.lr = lr

    def zero_grad(self) -> None:
        """Reset the gradients before the next backward()."""
        zero_grad(self.params)

    @abstractmethod
    def step(self) -> None:
        """Move every parameter against its gradient."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lr={self.lr:g}, params={len(self.params)})"


class SGD(Optimizer):
    """Plain gradient descent, or heavy-ball momentum when momentum > 0."""

    def __init__(self, params: Iterable[Any], lr: float = 0.01, momentum: float = 0.0) -> None:
        super().__init__(params, lr)
        self.momentum = momentum
        self.velocity: list[Any] = [0.0 * p.data for p in self.params]

    def step(self) -> None:
        """p -= lr * v, with v = momentum * v + grad."""
        if self.momentum == 0.0:
            for p in self.params:
                p.data -= self.lr * p.grad
            return
        for i, p in enumerate(self.params):
            self.velocity[i] = self.momentum * self.velocity[i] + p.grad
            p.data -= self.lr * self.velocity[i]


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015) with bias-corrected moments, step for step as torch.optim.Adam."""

    def __init__(self, params: Iterable[Any], lr: float = 0.001,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8) -> None:
        super().__init__(params, lr)
        self.betas = betas
        self.eps = eps
        self.t = 0
        self.m: list[Any] = [0.0 * p.data for p in self.params]
        self.v: list[Any] = [0.0 * p.data for p in self.params]

    def step(self) -> None:
        """p -= lr * m_hat / (sqrt(v_hat) + eps), with the running moments bias-corrected."""
        b1, b2 = self.betas
        self.t += 1
        step_size = self.lr / (1 - b1**self.t)
        root_correction = (1 - b2**self.t) ** 0.5
        for i, p in enumerate(self.params):
            g = p.grad
            self.m[i] = b1 * self.m[i] + (1 - b1) * g
            self.v[i] = b2 * self.v[i] + (1 - b2) * g * g
            p.data -= step_size * self.m[i] / (self.v[i] ** 0.5 / root_correction + self.eps)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019), as torch.optim.AdamW.

    The decay shrinks each parameter directly, p -= lr * weight_decay * p, before Adam's step,
    instead of adding weight_decay * p to the gradient (which Adam would rescale).
    """

    def __init__(self, params: Iterable[Any], lr: float = 0.001,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.01) -> None:
        super().__init__(params, lr, betas, eps)
        self.weight_decay = weight_decay

    def step(self) -> None:
        """p *= 1 - lr * weight_decay, then Adam's step."""
        keep = 1.0 - self.lr * self.weight_decay
        for p in self.params:
            p.data *= keep  # in place for arrays, so views into a shared buffer see it
        super().step()

    def __repr__(self) -> str:
        return (f"AdamW(lr={self.lr:g}, weight_decay={self.weight_decay:g}, "
                f"params={len(self.params)})")
