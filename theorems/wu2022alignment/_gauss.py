r"""Exact Gaussian expectations of low-degree polynomials by tensor Gauss–Hermite quadrature.

Not collected (leading underscore).  For :math:`x\sim\mathcal N(0,S)` write
:math:`x=Az` with :math:`AA^T=S` and :math:`z\sim\mathcal N(0,I_d)`; the 3-point
probabilists' Gauss–Hermite rule (nodes :math:`0,\pm\sqrt3`, weights
:math:`2/3,1/6,1/6`) integrates every polynomial of degree ≤ 5 in each coordinate exactly,
so its :math:`3^d`-point tensor product gives every expectation of degree ≤ 5 per
coordinate exactly (up to rounding).  This is independent of Isserlis' theorem, which is
what the claims using it check.
"""

from __future__ import annotations

import itertools

import numpy as np

_NODES = np.array([-np.sqrt(3.0), 0.0, np.sqrt(3.0)])
_WEIGHTS = np.array([1.0 / 6.0, 2.0 / 3.0, 1.0 / 6.0])


def gaussian_points(S: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""Points :math:`x_k` (rows, shape ``(3^d, d)``) and weights :math:`w_k` for :math:`\mathcal N(0,S)`."""
    S = np.asarray(S, dtype=float)
    lam, V = np.linalg.eigh((S + S.T) / 2)
    A = V * np.sqrt(np.clip(lam, 0.0, None))[None, :]
    d = S.shape[0]
    idx = np.array(list(itertools.product(range(3), repeat=d)), dtype=int)
    Z = _NODES[idx]
    w = np.prod(_WEIGHTS[idx], axis=1)
    return Z @ A.T, w
