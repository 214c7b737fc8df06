r"""Alignment quantities of SGD noise for square loss (wu2022alignment, Section 2).

Setting: square loss :math:`L(\theta) = \frac1n\sum_i L_i`, :math:`L_i = \frac12 e_i^2`
with residuals :math:`e_i = f(x_i;\theta) - y_i` and model gradients
:math:`g_i = \nabla f(x_i;\theta)`, collected as the columns of
:math:`Q = (g_1,\dots,g_n) \in \mathbb{R}^{p\times n}`.  Then

* Fisher matrix :math:`G = \frac1n QQ^T`;
* :math:`\Sigma_1 = \frac1n\sum_i \nabla L_i\nabla L_i^T = \frac1n\sum_i e_i^2 g_ig_i^T`,
  :math:`\Sigma_2 = \nabla L\nabla L^T`, :math:`\Sigma = \Sigma_1 - \Sigma_2`;
* :math:`\mu = \operatorname{Tr}(\Sigma G)/(2L\|G\|_F^2)`, and :math:`\mu_1, \mu_2` with
  :math:`\Sigma_1, \Sigma_2` in place of :math:`\Sigma` (Eq. (3));
* norm uniformity (Definition 2.1): :math:`\chi_i = g_i^TGg_i`,
  :math:`\bar\chi = \frac1n\sum_i\chi_i`, :math:`\gamma = \min_i \chi_i/\bar\chi`.

* the Fisher-spectrum ratio of Lemma 2.4: :math:`\tau(G) = \lambda_1^2(G)/\sum_j\lambda_j^2(G)`,
  with :math:`\mu_1\ge\gamma`, :math:`\mu_2\le\tau(G)` and :math:`\mu\ge\gamma-\tau(G)`
  for feature models (:func:`alignment_bounds`).

Everything is computed in :math:`n\times n` form from :math:`K = Q^TQ` (cost
:math:`O(n^2p)`), never forming a :math:`p\times p` matrix; :math:`K` is accumulated
over parameter blocks (:mod:`verifythm.linalg.gram`), so wherever ``Q`` is accepted a
float32/float64 memmap or a precomputed :class:`~verifythm.linalg.gram.Gram` also
works.  The ``*_dense`` functions build the :math:`p\times p` matrices as
references for tests.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from verifythm.linalg.gram import Gram, gram_from_Q, noise_traces
from verifythm.linalg.psd import Array, as_finite


def _check_Qe(Q: ArrayLike, e: ArrayLike | None = None) -> tuple[Array, Array | None]:
    Qa = as_finite(Q, "Q", ndim=2)
    if Qa.shape[1] == 0:
        raise ValueError("Q: needs at least one sample (column)")
    if e is None:
        return Qa, None
    ea = as_finite(e, "e", ndim=1)
    if ea.shape[0] != Qa.shape[1]:
        raise ValueError(f"e: expected {Qa.shape[1]} residuals (one per column of Q), got {ea.shape[0]}")
    return Qa, ea


def centering(n: int) -> Array:
    r"""The centring projection :math:`P = I_n - \frac1n\mathbf{1}\mathbf{1}^T`."""
    return np.eye(n) - np.full((n, n), 1.0 / n)


def fisher_dense(Q: ArrayLike) -> Array:
    r""":math:`G = \frac1n QQ^T` (a :math:`p\times p` matrix; reference use)."""
    Qa, _ = _check_Qe(Q)
    return Qa @ Qa.T / Qa.shape[1]


def noise_covariances_dense(Q: ArrayLike, e: ArrayLike) -> tuple[Array, Array, Array]:
    r"""Dense :math:`(\Sigma_1, \Sigma_2, \Sigma)`, each :math:`p\times p` (reference use).

    The square-loss case of :func:`verifythm.quantities.noise.noise_covariances`, with
    per-sample loss gradients :math:`\nabla L_i = e_ig_i`.
    """
    from verifythm.quantities.noise import noise_covariances

    Qa, ea = _check_Qe(Q, e)
    assert ea is not None
    return noise_covariances((Qa * ea).T)


@dataclass(frozen=True)
class AlignmentFactors:
    r"""The alignment quantities of wu2022alignment Eq. (3) at one point θ.

    The traces and norms are stored for :math:`\hat Q = Q/c_Q` and :math:`\hat e = e/c_e`
    (``c_e`` the largest absolute residual, ``c_Q`` the power of two in
    :math:`(\max|Q_{ij}|/2, \max|Q_{ij}|]`), so the factors — homogeneous of
    degree 0 in :math:`Q` and in :math:`e` — never under- or overflow; the absolute
    quantities are available as properties.  Asking for a factor at a global minimum
    (:math:`L=0`) or with :math:`G=0` raises ``ValueError``.
    """

    c_Q: float
    c_e: float
    n_loss: float
    n_G_fro2: float
    n_Sigma_fro2: float
    n_tr_G_Sigma: float
    n_tr_G_Sigma1: float

    @property
    def loss(self) -> float:
        r""":math:`L(\theta) = \frac1{2n}\sum_i e_i^2`."""
        return self.n_loss * np.power(self.c_e, 2.0)

    @property
    def G_fro2(self) -> float:
        r""":math:`\|G\|_F^2`."""
        return self.n_G_fro2 * np.power(self.c_Q, 4.0)

    @property
    def Sigma_fro2(self) -> float:
        r""":math:`\|\Sigma\|_F^2`."""
        return self.n_Sigma_fro2 * np.power(self.c_Q, 4.0) * np.power(self.c_e, 4.0)

    @property
    def tr_G_Sigma(self) -> float:
        r""":math:`\operatorname{Tr}(G\Sigma)`."""
        return self.n_tr_G_Sigma * np.power(self.c_Q, 4.0) * np.power(self.c_e, 2.0)

    @property
    def tr_G_Sigma1(self) -> float:
        r""":math:`\operatorname{Tr}(G\Sigma_1)`."""
        return self.n_tr_G_Sigma1 * np.power(self.c_Q, 4.0) * np.power(self.c_e, 2.0)

    @property
    def tr_G_Sigma2(self) -> float:
        r""":math:`\operatorname{Tr}(G\Sigma_2) = \nabla L^TG\nabla L`."""
        return self.tr_G_Sigma1 - self.tr_G_Sigma

    def _denominator(self) -> float:
        if self.n_loss <= 0:
            raise ValueError("e: L(θ) = 0 (a global minimum); the alignment factors are undefined")
        if self.n_G_fro2 <= 0:
            raise ValueError("Q: G = 0 (all model gradients vanish); alignment factors undefined")
        return 2 * self.n_loss * self.n_G_fro2

    @property
    def mu(self) -> float:
        r""":math:`\mu = \operatorname{Tr}(\Sigma G)/(2L\|G\|_F^2)`."""
        return self.n_tr_G_Sigma / self._denominator()

    @property
    def mu1(self) -> float:
        r""":math:`\mu_1 = \operatorname{Tr}(\Sigma_1 G)/(2L\|G\|_F^2)`."""
        return self.n_tr_G_Sigma1 / self._denominator()

    @property
    def mu2(self) -> float:
        r""":math:`\mu_2 = \operatorname{Tr}(\Sigma_2 G)/(2L\|G\|_F^2)`."""
        return (self.n_tr_G_Sigma1 - self.n_tr_G_Sigma) / self._denominator()

    @property
    def alpha(self) -> float:
        r""":math:`\alpha = \operatorname{Tr}(G\Sigma)/(\|G\|_F\|\Sigma\|_F)`."""
        if self.n_G_fro2 <= 0 or self.n_Sigma_fro2 <= 0:
            raise ValueError("α is undefined when G = 0 or Σ = 0")
        return float(self.n_tr_G_Sigma / np.sqrt(self.n_G_fro2 * self.n_Sigma_fro2))

    @property
    def beta(self) -> float:
        r""":math:`\beta = \|\Sigma\|_F/(2L\|G\|_F)`."""
        return float(np.sqrt(self.n_Sigma_fro2 * self.n_G_fro2)) / self._denominator()


def _normalise(a: Array) -> tuple[Array, float]:
    c = float(np.max(np.abs(a))) if a.size else 0.0
    return (a / c, c) if c > 0 else (a, 1.0)


def _gram(Q: ArrayLike | Gram) -> Gram:
    return Q if isinstance(Q, Gram) else gram_from_Q(Q, name="Q")


def alignment_factors(Q: ArrayLike | Gram, e: ArrayLike) -> AlignmentFactors:
    r"""Alignment quantities from the :math:`n\times n` Gram matrix :math:`K = Q^TQ`.

    Uses :math:`\|G\|_F^2 = \|K\|_F^2/n^2`,
    :math:`\|\Sigma\|_F^2 = \|PAP\|_F^2/n^2` with :math:`A = S^TS = \mathrm{diag}(e)K\mathrm{diag}(e)`,
    :math:`\operatorname{Tr}(G\Sigma) = \|PS^TQ\|_F^2/n^2` (wu2022alignment, Appendix A; the
    middle identity corrects the printed :math:`\|PS^TS\|_F^2/n^2`, see ``wu2022.eq10.sigma``).
    Cost :math:`O(n^2p)`; no :math:`p\times p` matrix is formed.

    Parameters
    ----------
    Q
        Model gradients as columns, shape ``(p, n)`` (any real dtype, a memmap, or a
        precomputed :class:`~verifythm.linalg.gram.Gram`).
    e
        Residuals :math:`e_i = f(x_i;\theta) - y_i`, shape ``(n,)``.

    Examples
    --------
    >>> import numpy as np
    >>> Q = np.array([[1.0, 0.0], [0.0, 1.0]]); e = np.array([1.0, 1.0])
    >>> round(alignment_factors(Q, e).mu1, 12)
    1.0
    """
    g = _gram(Q)
    ea = as_finite(e, "e", ndim=1)
    if ea.shape[0] != g.n:
        raise ValueError(f"e: expected {g.n} residuals (one per column of Q), got {ea.shape[0]}")
    ea, ce = _normalise(ea)
    # the traces of the normalised Q̂ = Q/c_Q, ê = e/c_e (c_Q a power of two ≥ max|Q_ij|/2)
    unit = Gram(khat=g.khat, scale=1.0, p=g.p)
    nt = noise_traces(unit, ea)
    n = g.n
    return AlignmentFactors(
        c_Q=g.scale,
        c_e=ce,
        n_loss=nt.loss,
        n_G_fro2=float((g.khat * g.khat).sum()) / n**2,
        n_Sigma_fro2=nt.Sigma_frobenius**2,
        n_tr_G_Sigma=nt.tr_G_Sigma,
        n_tr_G_Sigma1=nt.tr_G_Sigma1,
    )


@dataclass(frozen=True)
class NormUniformity:
    r"""Norm uniformity of model gradients (wu2022alignment, Definition 2.1)."""

    chi: Array
    chi_bar: float
    gamma: float
    r""":math:`\gamma = \min_i \chi_i/\bar\chi` (computed scale-free)."""


def norm_uniformity(Q: ArrayLike | Gram) -> NormUniformity:
    r""":math:`\chi_i = g_i^TGg_i = \frac1n\sum_j K_{ij}^2` and :math:`\bar\chi = \|G\|_F^2`.

    Norm uniformity of wu2022alignment (Definition 2.1); ``Q`` is ``(p, n)`` (array,
    memmap) or a :class:`~verifythm.linalg.gram.Gram`.

    Raises
    ------
    ValueError
        If every gradient is zero (:math:`\bar\chi = 0`, γ undefined).
    """
    g = _gram(Q)
    if g.is_zero:
        raise ValueError("Q: all model gradients are zero; γ is undefined")
    chi = g.chi  # absolute χ_i may overflow; γ is computed scale-free
    return NormUniformity(chi, float(chi.mean()), g.gamma)


def fisher_tau(Q: ArrayLike | Gram) -> float:
    r""":math:`\tau(G) = \lambda_1^2(G)/\sum_j\lambda_j^2(G) = \lambda_1(K)^2/\|K\|_F^2`.

    Defined in wu2022alignment (Lemma 2.4) as the bound on :math:`\mu_2`.
    Equals :math:`1/\mathrm{stable\ rank}(G)`; lies in :math:`[1/\mathrm{rank}(G), 1]`.

    Parameters
    ----------
    Q
        Model gradients as columns, shape ``(p, n)``, or a :class:`~verifythm.linalg.gram.Gram`.

    Raises
    ------
    ValueError
        Naming ``Q`` if every gradient is zero (τ undefined).

    Examples
    --------
    >>> import numpy as np
    >>> fisher_tau(np.eye(4))
    0.25
    """
    return _gram(Q).tau


@dataclass(frozen=True)
class AlignmentBounds:
    r"""The θ-free bounds of wu2022alignment, Lemma 2.4, for models with constant :math:`G`.

    :math:`\mu_1(\theta)\ge\gamma`, :math:`\mu_2(\theta)\le\tau(G)` and
    :math:`\mu(\theta)\ge\gamma-\tau(G)` for every θ with :math:`L(\theta)>0`.
    """

    gamma: float
    tau: float

    @property
    def mu1_lower(self) -> float:
        r"""Lower bound :math:`\gamma` on :math:`\mu_1`."""
        return self.gamma

    @property
    def mu2_upper(self) -> float:
        r"""Upper bound :math:`\tau(G)` on :math:`\mu_2`."""
        return self.tau

    @property
    def mu_lower(self) -> float:
        r"""Lower bound :math:`\gamma - \tau(G)` on :math:`\mu` (may be negative, hence vacuous)."""
        return self.gamma - self.tau


def alignment_bounds(Q: ArrayLike | Gram) -> AlignmentBounds:
    r"""γ and τ(G) — the quantities Lemma 2.4 of wu2022alignment bounds the alignment factors by.

    Parameters
    ----------
    Q
        Model gradients (features) as columns, shape ``(p, n)``, or a Gram matrix.

    Raises
    ------
    ValueError
        Naming ``Q`` if every gradient is zero.

    Examples
    --------
    >>> import numpy as np
    >>> b = alignment_bounds(np.eye(2))
    >>> (b.mu1_lower, b.mu2_upper, b.mu_lower)
    (1.0, 0.5, 0.5)
    """
    g = _gram(Q)
    if g.is_zero:
        raise ValueError("Q: all model gradients are zero; γ and τ(G) are undefined")
    return AlignmentBounds(gamma=g.gamma, tau=g.tau)
