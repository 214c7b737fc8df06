r"""SGD-noise traces of square loss at one point from the Gram matrix :math:`K` (no ``p × p`` matrix).

With residuals :math:`e`, every trace or norm involving :math:`\Sigma_1,\Sigma_2,\Sigma`
(wu2022alignment, Appendix A) is a quadratic form in :math:`e` built from :math:`K`;
:func:`noise_traces` evaluates them from a :class:`~verifythm.linalg.gram.Gram` in
:math:`O(n^2)`.  Re-exported by :mod:`verifythm.linalg.gram`, which this module does not import:
it reads a Gram through :class:`GramKernel`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import ArrayLike

from verifythm.linalg.psd import Array, as_finite


class GramKernel(Protocol):
    """What :func:`noise_traces` reads of a :class:`~verifythm.linalg.gram.Gram` (which satisfies it)."""

    @property
    def n(self) -> int:
        """Number of samples :math:`n`."""

    @property
    def khat(self) -> Array:
        r""":math:`\hat K = K/c^2`, symmetric ``(n, n)`` float64."""

    @property
    def scale(self) -> float:
        """The power-of-two scale :math:`c > 0`."""


@dataclass(frozen=True)
class NoiseTraces:
    r"""SGD-noise traces for square loss at one point, computed from the Gram matrix.

    With :math:`S = Q\,\mathrm{diag}(e)` and :math:`P = I - \frac1n\mathbf 1\mathbf 1^T`
    (wu2022alignment, Appendix A): :math:`\Sigma_1 = \frac1nSS^T`,
    :math:`\Sigma_2 = \nabla L\nabla L^T` with :math:`\nabla L = \frac1nQe`,
    :math:`\Sigma = \frac1nSPS^T`, and

    * :math:`\operatorname{Tr}(G\Sigma_1) = \frac1n\sum_ie_i^2\chi_i`,
    * :math:`\operatorname{Tr}(G\Sigma_2) = \frac1{n^3}\|Ke\|^2`,
    * :math:`\operatorname{Tr}(G\Sigma) = \frac1{n^2}\|P\,\mathrm{diag}(e)K\|_F^2`,
    * :math:`\|\Sigma\|_F = \frac1n\|P\,\mathrm{diag}(e)K\mathrm{diag}(e)P\|_F`.
    """

    loss: float
    Sigma_frobenius: float
    Sigma1_frobenius: float
    tr_G_Sigma: float
    tr_G_Sigma1: float
    tr_G_Sigma2: float


def noise_traces(gram: GramKernel, residuals: ArrayLike, *, name: str = "e") -> NoiseTraces:
    r"""Noise-covariance norms and traces :math:`\operatorname{Tr}(G\Sigma_k)` from :math:`K` and :math:`e`.

    Implements the :math:`n\times n` identities of wu2022alignment (Appendix A, Eq. (10);
    the :math:`\|\Sigma\|_F` identity uses :math:`\|PAP\|_F` with
    :math:`A = \mathrm{diag}(e)K\mathrm{diag}(e)`, which is what the printed
    :math:`\|PS^TS\|_F` should read).  Cost :math:`O(n^2)` beyond :math:`K`.

    Parameters
    ----------
    gram
        Gram matrix of the model gradients.
    residuals
        :math:`e_i = f(x_i;\theta) - y_i`, shape ``(n,)``.
    name
        Argument name used in error messages.

    Raises
    ------
    ValueError
        Naming ``name`` on a wrong length or NaN/inf residuals.
    """
    e = as_finite(residuals, name, ndim=1)
    n = gram.n
    if e.shape[0] != n:
        raise ValueError(f"{name}: expected {n} residuals (one per sample), got {e.shape[0]}")
    ce = float(np.max(np.abs(e))) if e.size else 0.0
    eh = e / ce if ce > 0 else e
    ce = ce if ce > 0 else 1.0
    K = gram.khat
    DK = eh[:, None] * K  # diag(e) K = S^T Q
    A = DK * eh[None, :]  # diag(e) K diag(e) = S^T S
    PDK = DK - DK.mean(axis=0, keepdims=True)
    PAP = A - A.mean(axis=0, keepdims=True)
    PAP = PAP - PAP.mean(axis=1, keepdims=True)
    rows = (K * K).sum(axis=1) / n  # χ̂_i
    Ke = K @ eh
    with np.errstate(over="ignore", under="ignore"):
        c2, e2 = np.float64(gram.scale) ** 2, np.float64(ce) ** 2
        return NoiseTraces(
            loss=float(eh @ eh / (2 * n) * e2),
            Sigma_frobenius=float(np.sqrt(np.sum(PAP * PAP)) / n * c2 * e2),
            Sigma1_frobenius=float(np.sqrt(np.sum(A * A)) / n * c2 * e2),
            tr_G_Sigma=float(np.sum(PDK * PDK) / n**2 * c2 * c2 * e2),
            tr_G_Sigma1=float((eh * eh) @ rows / n * c2 * c2 * e2),
            tr_G_Sigma2=float(Ke @ Ke / n**3 * c2 * c2 * e2),
        )
