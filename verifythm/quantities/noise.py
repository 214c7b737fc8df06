r"""SGD noise covariances for any loss, from per-sample loss gradients.

Let :math:`a_i = \nabla L_i(\theta)\in\mathbb R^p` be the per-sample loss gradients,
stacked as the rows of :math:`A\in\mathbb R^{n\times p}`, and
:math:`\nabla L = \frac1n\sum_i a_i`.  Following (wu2022alignment, §2) and
(wang2023noise, Eq. (7)):

* :math:`\Sigma_1 = \frac1n\sum_i a_ia_i^T = \frac1n A^TA` (the second moment
  :math:`M` of li2019hessian, Eq. (7));
* :math:`\Sigma_2 = \nabla L\nabla L^T`;
* :math:`\Sigma = \Sigma_1 - \Sigma_2 = \frac1n A^TPA` with the centring projection
  :math:`P = I_n - \frac1n\mathbf 1\mathbf 1^T` (the centred covariance of li2019hessian,
  Eq. (5)).

Notation differs between the papers: wang2023noise writes :math:`\Sigma` for
:math:`\Sigma_1` and :math:`\Sigma_0` for :math:`\Sigma_1-\Sigma_2` (wang2023noise, §2),
whereas wu2022alignment and li2019hessian write :math:`\Sigma` for the centred
covariance.  Here ``sigma`` always means :math:`\Sigma_1-\Sigma_2`.

Mini-batch noise.  The mini-batch gradient :math:`\hat g` of a batch drawn by scheme
:math:`s` (see :mod:`verifythm.dynamics.sampling`) is unbiased and its noise
:math:`\xi = \hat g - \nabla L` has covariance

.. math:: C_s = c_s\,(\Sigma_1 - [s\ne\text{bernoulli}]\,\Sigma_2),

with :math:`c_s` = :func:`~verifythm.dynamics.sampling.noise_constant`.  For sampling
with replacement this is :math:`\Sigma/B` (wu2022alignment, §1) and the second
moment :math:`\mathbb E[\hat g\hat g^T] = C_s + \Sigma_2` is li2019hessian's
:math:`M^{(m)}_t = \frac1m\Sigma_t + \mu_t\mu_t^T` (li2019hessian, Eq. (26)).

Gram form.  Traces and Frobenius norms only need the :math:`n\times n` Gram matrix
:math:`K = AA^T` (cost :math:`O(n^2p)`; no :math:`p\times p` matrix is formed):
:math:`\operatorname{Tr}\Sigma_1 = \operatorname{Tr}K/n`,
:math:`\|\Sigma_1\|_F^2 = \|K\|_F^2/n^2`,
:math:`\operatorname{Tr}\Sigma_2 = \mathbf 1^TK\mathbf 1/n^2`,
:math:`\|\Sigma_2\|_F = \operatorname{Tr}\Sigma_2`,
:math:`\operatorname{Tr}\Sigma = \operatorname{Tr}(PK)/n` and
:math:`\|\Sigma\|_F^2 = \|PKP\|_F^2/n^2`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from verifythm.dynamics.sampling import Sampling, noise_constant, parse_sampling, subtracts_mean
from verifythm.linalg.psd import Array, as_finite, check_symmetric, check_vector

__all__ = [
    "CovarianceTraces",
    "covariance_traces",
    "minibatch_noise_covariance",
    "minibatch_noise_traces",
    "minibatch_second_moment",
    "noise_covariances",
    "noise_hessian_trace",
    "noise_quadratic_form",
]


def _check_grads(grads: ArrayLike, name: str = "grads") -> Array:
    A = as_finite(grads, name, ndim=2)
    if A.shape[0] == 0:
        raise ValueError(f"{name}: needs at least one per-sample gradient (row), got shape {A.shape}")
    if A.shape[1] == 0:
        raise ValueError(f"{name}: parameter dimension p must be >= 1, got shape {A.shape}")
    return A


def _scheme(sampling: Sampling | str | None, n: int, batch_size: int | None) -> tuple[float, bool]:
    """``(c_s, subtracts Σ₂)``; ``sampling=None`` means the plain Σ = Σ₁ − Σ₂ (c = 1)."""
    if sampling is None:
        return 1.0, True
    s = parse_sampling(sampling)
    if batch_size is None and s is not Sampling.GD:
        raise ValueError(f"batch_size: required for sampling scheme {s.value!r}")
    return float(noise_constant(s, n, n if batch_size is None else batch_size)), subtracts_mean(s)


def noise_covariances(grads: ArrayLike) -> tuple[Array, Array, Array]:
    r"""Dense :math:`(\Sigma_1, \Sigma_2, \Sigma_1-\Sigma_2)`, each :math:`p\times p`.

    :math:`\Sigma_1 = \frac1n\sum_i\nabla L_i\nabla L_i^T`, :math:`\Sigma_2 = \nabla L\nabla L^T`
    (wu2022alignment, §2; wang2023noise, Eq. (7)).  :math:`\Sigma_1-\Sigma_2` is computed as
    :math:`\frac1n A^TPA` (centred rows), which stays PSD in floating point.

    Parameters
    ----------
    grads
        Per-sample loss gradients :math:`\nabla L_i(\theta)` as rows, shape ``(n, p)``.

    Returns
    -------
    sigma1, sigma2, sigma
        The three :math:`p\times p` matrices.

    Examples
    --------
    >>> s1, s2, s = noise_covariances([[1.0, 0.0], [-1.0, 0.0]])
    >>> float(s1[0, 0]), float(s2[0, 0]), float(s[0, 0])
    (1.0, 0.0, 1.0)
    """
    A = _check_grads(grads)
    n = A.shape[0]
    mean = A.mean(axis=0)
    sigma1 = A.T @ A / n
    sigma2 = np.outer(mean, mean)
    C = A - mean
    sigma = C.T @ C / n
    return sigma1, sigma2, sigma


def minibatch_noise_covariance(grads: ArrayLike, sampling: Sampling | str, batch_size: int) -> Array:
    r"""Covariance :math:`C_s = c_s(\Sigma_1 - [s\ne\text{bernoulli}]\Sigma_2)` of the mini-batch noise.

    The noise is :math:`\xi = \hat g - \nabla L` for the mini-batch gradient :math:`\hat g` of a
    batch of size :math:`B` drawn by scheme :math:`s` (wu2022alignment, §1 for sampling with
    replacement, :math:`C = \Sigma/B`).  ``gd`` gives the zero matrix.

    Parameters
    ----------
    grads
        Per-sample loss gradients as rows, shape ``(n, p)``.
    sampling
        A :class:`~verifythm.dynamics.sampling.Sampling` scheme (or its name).
    batch_size
        :math:`B` with :math:`1\le B\le n` (ignored for ``gd``).

    Returns
    -------
    numpy.ndarray
        The :math:`p\times p` covariance :math:`\mathbb E[\xi\xi^T]`.
    """
    A = _check_grads(grads)
    c = float(noise_constant(sampling, A.shape[0], batch_size))
    sigma1, _, sigma = noise_covariances(A)
    return c * (sigma if subtracts_mean(sampling) else sigma1)


def minibatch_second_moment(grads: ArrayLike, sampling: Sampling | str, batch_size: int) -> Array:
    r"""Second moment :math:`\mathbb E[\hat g\hat g^T] = C_s + \nabla L\nabla L^T` of the mini-batch gradient.

    For sampling with replacement and batch size :math:`m` this is
    :math:`M_t^{(m)} = \frac1m\Sigma_t + \mu_t\mu_t^T` (li2019hessian, Eq. (26)).  The
    arguments are those of :func:`minibatch_noise_covariance`.

    Returns
    -------
    numpy.ndarray
        A :math:`p\times p` PSD matrix.
    """
    A = _check_grads(grads)
    mean = A.mean(axis=0)
    return minibatch_noise_covariance(A, sampling, batch_size) + np.outer(mean, mean)


@dataclass(frozen=True)
class CovarianceTraces:
    r"""Traces and squared Frobenius norms of :math:`\Sigma_1`, :math:`\Sigma_2`, :math:`\Sigma`.

    Computed in Gram form by :func:`covariance_traces` (no :math:`p\times p` matrix formed).
    """

    tr_sigma1: float
    tr_sigma2: float
    tr_sigma: float
    fro2_sigma1: float
    fro2_sigma2: float
    fro2_sigma: float

    def scaled(self, sampling: Sampling | str, n: int, batch_size: int) -> tuple[float, float]:
        r"""``(Tr C_s, ‖C_s‖_F²)`` of the mini-batch noise covariance for scheme ``sampling``.

        Parameters
        ----------
        sampling
            The sampling scheme :math:`s`.
        n
            Number of samples.
        batch_size
            :math:`B` with :math:`1\le B\le n` (ignored for ``gd``).

        Returns
        -------
        tuple of float
            :math:`(c_s\operatorname{Tr}X, c_s^2\|X\|_F^2)` with :math:`X = \Sigma` or
            :math:`\Sigma_1` (Bernoulli).
        """
        c = float(noise_constant(sampling, n, batch_size))
        if subtracts_mean(sampling):
            return c * self.tr_sigma, c * c * self.fro2_sigma
        return c * self.tr_sigma1, c * c * self.fro2_sigma1


def covariance_traces(grads: ArrayLike) -> CovarianceTraces:
    r"""Traces and Frobenius norms of :math:`\Sigma_1, \Sigma_2, \Sigma` from the Gram matrix :math:`AA^T`.

    Uses :math:`\operatorname{Tr}\Sigma_1 = \operatorname{Tr}K/n`,
    :math:`\|\Sigma_1\|_F^2 = \|K\|_F^2/n^2`, :math:`\operatorname{Tr}\Sigma_2 = \|\nabla L\|^2
    = \mathbf 1^TK\mathbf 1/n^2 = \|\Sigma_2\|_F`, :math:`\operatorname{Tr}\Sigma = \operatorname{Tr}(PK)/n`
    and :math:`\|\Sigma\|_F^2 = \|PKP\|_F^2/n^2` (notation of wu2022alignment, §2).  Cost
    :math:`O(n^2p)`, memory :math:`O(n^2)`: suited to :math:`p\gg n`.  :math:`K` comes from
    :func:`verifythm.linalg.gram.gram_from_gradients` (scaled by a power of two, so squaring
    does not overflow prematurely).

    Parameters
    ----------
    grads
        Per-sample loss gradients as rows, shape ``(n, p)``.

    Returns
    -------
    CovarianceTraces
        The six scalars.
    """
    from verifythm.linalg.gram import gram_from_gradients

    A = _check_grads(grads)
    n = A.shape[0]
    gram = gram_from_gradients(A, name="grads")  # blocked, power-of-two scaled K
    K, c = gram.khat, gram.scale
    Kc = K - K.mean(axis=0, keepdims=True)
    PKP = Kc - Kc.mean(axis=1, keepdims=True)
    c2, c4 = c * c, c**4
    tr2 = float(K.sum()) / n**2
    return CovarianceTraces(
        tr_sigma1=float(np.trace(K)) / n * c2,
        tr_sigma2=tr2 * c2,
        tr_sigma=float(np.trace(PKP)) / n * c2,
        fro2_sigma1=float((K * K).sum()) / n**2 * c4,
        fro2_sigma2=tr2 * tr2 * c4,
        fro2_sigma=float((PKP * PKP).sum()) / n**2 * c4,
    )


def minibatch_noise_traces(
    grads: ArrayLike, sampling: Sampling | str, batch_size: int
) -> tuple[float, float]:
    r"""``(Tr C_s, ‖C_s‖_F²)`` of the mini-batch noise covariance :math:`C_s`, in Gram form.

    The arguments are those of :func:`minibatch_noise_covariance`.

    Returns
    -------
    tuple of float
        Trace and squared Frobenius norm of :math:`C_s = c_s(\Sigma_1-[s\ne\text{bernoulli}]\Sigma_2)`.
    """
    A = _check_grads(grads)
    return covariance_traces(A).scaled(sampling, A.shape[0], batch_size)


def noise_quadratic_form(
    grads: ArrayLike,
    v: ArrayLike,
    sampling: Sampling | str | None = None,
    batch_size: int | None = None,
) -> float:
    r"""Noise energy :math:`v^TCv = \mathbb E[(\xi^Tv)^2]` along :math:`v`, in :math:`O(np)`.

    With ``sampling=None`` returns :math:`v^T\Sigma v = \frac1n\sum_i(a_i^Tv)^2 - (\nabla L^Tv)^2`
    (the batch-size-1 energy of wang2023noise, §4); otherwise :math:`v^TC_sv` for the mini-batch
    scheme.  Never forms a :math:`p\times p` matrix.

    Parameters
    ----------
    grads
        Per-sample loss gradients as rows, shape ``(n, p)``.
    v
        Direction, shape ``(p,)``.
    sampling
        Optional sampling scheme (then ``batch_size`` is required unless ``gd``).
    batch_size
        :math:`B` for the scheme.

    Returns
    -------
    float
        The quadratic form (non-negative up to rounding).
    """
    A = _check_grads(grads)
    va = check_vector(v, A.shape[1], "v")
    c, centre = _scheme(sampling, A.shape[0], batch_size)
    b = A @ va
    if centre:
        b = b - b.mean()
    return c * float(b @ b) / A.shape[0]


def noise_hessian_trace(
    grads: ArrayLike,
    H: ArrayLike,
    sampling: Sampling | str | None = None,
    batch_size: int | None = None,
) -> float:
    r"""Noise contribution :math:`\gamma = \mathbb E[\xi^TH\xi] = \operatorname{Tr}(CH)` (wang2023noise, (3)).

    With ``sampling=None``, :math:`C = \Sigma_1 - \Sigma_2`; otherwise the mini-batch covariance
    :math:`C_s`.  Computed as :math:`\frac1n\sum_i c_i^THc_i` over centred (or, for Bernoulli,
    uncentred) rows :math:`c_i`, in :math:`O(np^2)` without forming :math:`C`.

    Parameters
    ----------
    grads
        Per-sample loss gradients as rows, shape ``(n, p)``.
    H
        Symmetric :math:`p\times p` matrix (e.g. the Hessian).
    sampling
        Optional sampling scheme.
    batch_size
        :math:`B` for the scheme.

    Returns
    -------
    float
        :math:`\operatorname{Tr}(CH)`.
    """
    A = _check_grads(grads)
    Ha = check_symmetric(H, "H")
    if Ha.shape[0] != A.shape[1]:
        raise ValueError(f"H: expected a {A.shape[1]}x{A.shape[1]} matrix, got shape {Ha.shape}")
    c, centre = _scheme(sampling, A.shape[0], batch_size)
    R = A - A.mean(axis=0) if centre else A
    return c * float(np.sum((R @ Ha) * R)) / A.shape[0]
