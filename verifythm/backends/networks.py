r"""Small real networks and data for end-to-end runs: the digits subset, a tanh MLP, a digits CNN.

Scalar outputs throughout, so the per-sample Hessians of the square loss at an interpolating
minimum are rank one, :math:`H_i = g_ig_i^T` (docs/guides/moment_engine.md), and the exact
engine works from the Gram matrix of the per-sample gradients alone.  The digits come with scikit-learn (never
downloaded); torch is imported on demand (:func:`~verifythm.backends.require_torch`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm.backends import require_torch

__all__ = ["digits_cnn", "load_digits_subset", "tanh_mlp"]


def tanh_mlp(d: int, width: int, seed: int) -> Any:
    r"""A float64 tanh MLP with two hidden layers of ``width`` units and one scalar output.

    linear(d→width) → tanh → linear(width→width) → tanh → linear(width→1), initialised by
    ``torch.manual_seed(seed)`` (so the same arguments always give the same network).
    """
    torch = require_torch()
    torch.manual_seed(seed)
    return torch.nn.Sequential(
        torch.nn.Linear(d, width),
        torch.nn.Tanh(),
        torch.nn.Linear(width, width),
        torch.nn.Tanh(),
        torch.nn.Linear(width, 1),
    ).double()


def load_digits_subset(n: int = 256, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""A seeded subset of scikit-learn's bundled digits (ships with the package; never downloads).

    Returns ``(X, y, labels)``: ``X`` of shape ``(n, 64)``, the 8×8 images flattened, pixel
    values scaled to [0, 1] and centred (per-pixel mean of the subset removed); the scalar
    regression target :math:`y_i = +1` for an even digit and :math:`-1` for an odd one;
    and the digit labels.  The same ``(n, seed)`` always gives the same subset.
    """
    from sklearn.datasets import load_digits

    data = load_digits()
    total = data.data.shape[0]
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= total:
        raise ValueError(f"n: expected an integer in [1, {total}], got {n!r}")
    idx = np.sort(np.random.default_rng(seed).permutation(total)[:n])
    X = data.data[idx].astype(np.float64) / 16.0
    labels = data.target[idx].astype(np.int64)
    y = np.where(labels % 2 == 0, 1.0, -1.0)
    return X - X.mean(axis=0), y, labels


def digits_cnn(seed: int, channels: tuple[int, int] = (6, 8), hidden: int = 16) -> Any:
    r"""A small CNN on 8×8 digit images (rows of 64 pixels): two 3×3 convolutions, tanh, two linear layers.

    conv(1→c₁, 3×3) → tanh → conv(c₁→c₂, 3×3) → tanh → linear(16c₂→hidden) → tanh →
    linear(hidden→1); with the defaults :math:`p = 2581`.  Inputs are flat ``(b, 64)`` rows
    (reshaped inside), so per-sample gradients through ``torch.func`` (``vmap`` of ``grad``
    of ``functional_call``) apply unchanged.
    """
    torch = require_torch()
    c1, c2 = channels

    Module: Any = torch.nn.Module  # a run-time base class: torch is imported lazily

    class DigitsCNN(Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv1 = torch.nn.Conv2d(1, c1, 3)
            self.conv2 = torch.nn.Conv2d(c1, c2, 3)
            self.fc1 = torch.nn.Linear(16 * c2, hidden)
            self.fc2 = torch.nn.Linear(hidden, 1)

        def forward(self, x: Any) -> Any:
            h = torch.tanh(self.conv1(x.reshape(-1, 1, 8, 8)))
            h = torch.tanh(self.conv2(h))
            return self.fc2(torch.tanh(self.fc1(h.flatten(1))))

    torch.manual_seed(seed)
    return DigitsCNN().double()
