r"""The Hessian-based PAC-Bayes bound of li2019hessian, §6 and App. H.

Prior and posterior (li2019hessian, Assumption 2):

* prior :math:`\mathcal P = \mathcal N(\theta_0, \Sigma_{\mathcal P})`,
  :math:`\Sigma_{\mathcal P} = \operatorname{diag}(\sigma_1^2,\dots,\sigma_p^2)` (Eq. (42));
* posterior :math:`\mathcal Q_\theta = \mathcal N(\theta, \Sigma_{\mathcal Q_\theta})` with precision
  :math:`\Sigma_{\mathcal Q_\theta}^{-1} = \operatorname{diag}(\nu_1,\dots,\nu_p)`,
  :math:`\nu_j = \max\{H_f(\theta)[j,j], 1/\sigma_j^2\}` (Eqs. (43)-(44)).

Then (li2019hessian, Eq. (106), first line)

.. math:: 2\,KL(\mathcal Q_\theta\|\mathcal P) = \sum_j\Big(\frac1{\sigma_j^2\nu_j} - 1\Big)
          + \sum_j\frac{(\theta_j-\theta_{0,j})^2}{\sigma_j^2} + \sum_j\ln(\nu_j\sigma_j^2),

and since :math:`\sigma_j^2\nu_j\ge1` the first sum is :math:`\le 0`, while the log terms vanish
unless :math:`H_f[j,j] > 1/\sigma_j^2`, giving :math:`2KL\le` *effective curvature* +
*precision-weighted Frobenius norm*.  With the PAC-Bayes-kl inequality
:math:`kl(\hat\ell\|\ell)\le\frac1n[KL + \ln\frac{n+1}\delta]` (Eq. (105)) this is Theorem 4:

.. math:: kl(\ell(\mathcal Q_\theta,S)\|\ell(\mathcal Q_\theta,D)) \le
          \frac1{2n}\Big(\sum_{l\le\tilde d}\ln\frac{\tilde\nu_{(l)}}{1/\tilde\sigma_{(l)}^2}
          + \sum_j\frac{(\theta_j-\theta_{0,j})^2}{\sigma_j^2}\Big) + \frac{\ln\frac{n+1}\delta}n.

Each term is one function below; :func:`pacbayes_bound` assembles them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from verifythm.linalg.psd import Array, as_finite
from verifythm.linalg.validate import check_int, check_probability

# the Bernoulli kl of the bound's left side has its own module; its public names here stay
from verifythm.quantities.binary_kl import binary_kl as binary_kl
from verifythm.quantities.binary_kl import binary_kl_elementwise as binary_kl_elementwise
from verifythm.quantities.binary_kl import binary_kl_inverse

__all__ = [
    "PacBayesTerms",
    "binary_kl",
    "binary_kl_inverse",
    "confidence_term",
    "effective_curvature",
    "gaussian_kl",
    "gaussian_kl_diag",
    "pacbayes_bound",
    "pacbayes_kl",
    "posterior_precision",
    "weighted_frobenius_norm",
]


# ----------------------------------------------------------------------------- validation


def _positive_vec(x: ArrayLike, name: str, p: int | None = None) -> Array:
    a = as_finite(x, name)
    if a.ndim > 1:
        raise ValueError(f"{name}: expected a scalar or a 1-d array, got shape {a.shape}")
    if np.any(a <= 0):
        raise ValueError(f"{name}: variances must be > 0")
    if p is not None:
        if a.ndim == 0:
            a = np.full(p, float(a))
        elif a.shape[0] != p:
            raise ValueError(f"{name}: expected length {p}, got {a.shape[0]}")
    return a


def _vec(x: ArrayLike, name: str, p: int | None = None) -> Array:
    a = as_finite(x, name, ndim=1)
    if a.shape[0] == 0:
        raise ValueError(f"{name}: needs at least one coordinate")
    if p is not None and a.shape[0] != p:
        raise ValueError(f"{name}: expected length {p}, got {a.shape[0]}")
    return a


def _spd_cholesky(S: ArrayLike, name: str, p: int) -> NDArray[np.floating]:
    a = as_finite(S, name, ndim=2)
    if a.shape != (p, p):
        raise ValueError(f"{name}: expected a {p}x{p} covariance, got shape {a.shape}")
    scale = max(float(np.max(np.abs(a))), 1e-300)
    if np.max(np.abs(a - a.T)) > 1e-10 * scale:
        raise ValueError(f"{name}: covariance is not symmetric")
    try:
        return np.linalg.cholesky((a + a.T) / 2)
    except np.linalg.LinAlgError:
        raise ValueError(f"{name}: covariance is not positive definite") from None


# ----------------------------------------------------------------------------- Gaussian KL


def gaussian_kl(mu_q: ArrayLike, cov_q: ArrayLike, mu_p: ArrayLike, cov_p: ArrayLike) -> float:
    r"""Gaussian :math:`KL(\mathcal N(\mu_q,\Sigma_q)\|\mathcal N(\mu_p,\Sigma_p))` (li2019hessian, Eq. 103).

    :math:`\frac12\big(\operatorname{Tr}(\Sigma_p^{-1}\Sigma_q) + (\mu_p-\mu_q)^T\Sigma_p^{-1}(\mu_p-\mu_q)
    - p + \ln\det\Sigma_p - \ln\det\Sigma_q\big)`, via Cholesky factors.  (The paper's Eq. (103)
    writes :math:`d` for the dimension :math:`p`.)

    Parameters
    ----------
    mu_q, mu_p
        Means, shape ``(p,)``.
    cov_q, cov_p
        Symmetric positive-definite covariances, shape ``(p, p)``.

    Returns
    -------
    float
        The divergence (``>= 0`` up to rounding).

    Examples
    --------
    Shifting the mean of a standard normal by one costs :math:`1/2`:

    >>> gaussian_kl([1.0], [[1.0]], [0.0], [[1.0]])
    0.5
    >>> gaussian_kl([0.0, 0.0], [[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0], [[1.0, 0.0], [0.0, 1.0]])
    0.0
    """
    mq = _vec(mu_q, "mu_q")
    p = mq.shape[0]
    mp = _vec(mu_p, "mu_p", p)
    Lq = _spd_cholesky(cov_q, "cov_q", p)
    Lp = _spd_cholesky(cov_p, "cov_p", p)
    import scipy.linalg

    M = scipy.linalg.solve_triangular(Lp, Lq, lower=True)  # Lp^{-1} Lq: tr = ‖M‖_F²
    z = scipy.linalg.solve_triangular(Lp, mp - mq, lower=True)
    logdet = 2.0 * float(np.sum(np.log(np.diag(Lp))) - np.sum(np.log(np.diag(Lq))))
    return 0.5 * (float(np.sum(M * M)) + float(z @ z) - p + logdet)


def gaussian_kl_diag(mu_q: ArrayLike, var_q: ArrayLike, mu_p: ArrayLike, var_p: ArrayLike) -> float:
    r""":math:`KL` between Gaussians with diagonal covariances (li2019hessian, Eq. (103) specialised).

    :math:`\frac12\sum_j\big(v^q_j/v^p_j + (\mu^p_j-\mu^q_j)^2/v^p_j - 1 + \ln(v^p_j/v^q_j)\big)`.

    Parameters
    ----------
    mu_q, mu_p
        Means, shape ``(p,)``.
    var_q, var_p
        Positive variances, scalars or shape ``(p,)``.

    Returns
    -------
    float
        The divergence.
    """
    mq = _vec(mu_q, "mu_q")
    p = mq.shape[0]
    mp = _vec(mu_p, "mu_p", p)
    vq = _positive_vec(var_q, "var_q", p)
    vp = _positive_vec(var_p, "var_p", p)
    r = vq / vp
    return 0.5 * float(np.sum(r - 1.0 - np.log(r) + (mp - mq) ** 2 / vp))


# ----------------------------------------------------------------------------- the bound's terms


def posterior_precision(hess_diag: ArrayLike, sigma2: ArrayLike) -> Array:
    r"""Posterior precisions :math:`\nu_j = \max\{H_f(\theta)[j,j], 1/\sigma_j^2\}` (li2019hessian, Eq. (44)).

    Parameters
    ----------
    hess_diag
        Diagonal :math:`H_f(\theta)[j,j]` of the Hessian, shape ``(p,)`` (may be negative).
    sigma2
        Prior variances :math:`\sigma_j^2 > 0`, scalar or shape ``(p,)``.

    Returns
    -------
    numpy.ndarray
        :math:`\nu\in\mathbb R^p`, all :math:`\ge 1/\sigma_j^2 > 0`.
    """
    h = _vec(hess_diag, "hess_diag")
    s2 = _positive_vec(sigma2, "sigma2", h.shape[0])
    return np.maximum(h, 1.0 / s2)


def effective_curvature(hess_diag: ArrayLike, sigma2: ArrayLike) -> float:
    r"""Effective curvature, the first term of li2019hessian, Thm. 4 (Eq. (51)).

    :math:`\sum_{l\le\tilde d}\ln(\tilde\nu_{(l)}\tilde\sigma_{(l)}^2)`; the sum runs over the
    :math:`\tilde d` coordinates whose Hessian diagonal crosses the prior
    precision; equivalently :math:`\sum_j\ln(\nu_j\sigma_j^2)` (the other terms are :math:`\ln 1 = 0`).

    Parameters
    ----------
    hess_diag
        Hessian diagonal, shape ``(p,)``.
    sigma2
        Prior variances, scalar or shape ``(p,)``.

    Returns
    -------
    float
        The first term in the bracket of Eq. (51) (``>= 0``).
    """
    h = _vec(hess_diag, "hess_diag")
    s2 = _positive_vec(sigma2, "sigma2", h.shape[0])
    x = h * s2
    return float(np.sum(np.log(x[x > 1.0])))


def weighted_frobenius_norm(theta: ArrayLike, theta0: ArrayLike, sigma2: ArrayLike) -> float:
    r"""Precision-weighted norm :math:`\sum_j(\theta_j-\theta_{0,j})^2/\sigma_j^2` (li2019hessian, Thm. 4).

    Parameters
    ----------
    theta
        Learned parameters θ (posterior mean), shape ``(p,)``.
    theta0
        Prior mean :math:`\theta_0`, shape ``(p,)``.
    sigma2
        Prior variances, scalar or shape ``(p,)``.

    Returns
    -------
    float
        The second term in the bracket of Eq. (51).
    """
    t = _vec(theta, "theta")
    t0 = _vec(theta0, "theta0", t.shape[0])
    s2 = _positive_vec(sigma2, "sigma2", t.shape[0])
    return float(np.sum((t - t0) ** 2 / s2))


def pacbayes_kl(theta: ArrayLike, theta0: ArrayLike, hess_diag: ArrayLike, sigma2: ArrayLike) -> float:
    r"""Exact :math:`KL(\mathcal Q_\theta\|\mathcal P)` under Assumption 2 (li2019hessian, Eq. (106), line 1).

    :math:`\frac12\big[\sum_j(\frac1{\sigma_j^2\nu_j}-1) + \sum_j\frac{(\theta_j-\theta_{0,j})^2}{\sigma_j^2}
    + \sum_j\ln(\nu_j\sigma_j^2)\big]` with :math:`\nu` from :func:`posterior_precision`.

    Parameters
    ----------
    theta, theta0
        Posterior and prior means, shape ``(p,)``.
    hess_diag
        Hessian diagonal at θ, shape ``(p,)``.
    sigma2
        Prior variances, scalar or shape ``(p,)``.

    Returns
    -------
    float
        The divergence; never larger than ``(effective_curvature + weighted_frobenius_norm) / 2``.
    """
    t = _vec(theta, "theta")
    p = t.shape[0]
    t0 = _vec(theta0, "theta0", p)
    h = _vec(hess_diag, "hess_diag", p)
    s2 = _positive_vec(sigma2, "sigma2", p)
    x = np.maximum(h * s2, 1.0)  # ν_j σ_j² ≥ 1
    return 0.5 * float(np.sum(1.0 / x - 1.0 + np.log(x)) + np.sum((t - t0) ** 2 / s2))


def confidence_term(n: int, delta: float) -> float:
    r""":math:`\ln\frac{n+1}{\delta}\big/n`, the last term of li2019hessian, Eq. (51).

    Parameters
    ----------
    n
        Number of training samples, a positive integer.
    delta
        Failure probability :math:`\delta\in(0,1)`.

    Returns
    -------
    float
        The confidence term.
    """
    nn = _check_n(n)
    d = _check_delta(delta)
    return math.log((nn + 1) / d) / nn


def _check_n(n: int) -> int:
    return check_int(n, "n", low=1, expected="expected a positive integer sample size")


def _check_delta(delta: float) -> float:
    return check_probability(delta, "delta", open_interval=True)


# ----------------------------------------------------------------------------- the bound


@dataclass(frozen=True)
class PacBayesTerms:
    r"""The pieces of li2019hessian, Theorem 4 (Eq. (51)) at one θ.

    ``d_tilde`` counts coordinates with :math:`H_f[j,j] > 1/\sigma_j^2`; ``kl`` is the exact
    :math:`KL(\mathcal Q_\theta\|\mathcal P)`; ``rhs`` is the right-hand side of Eq. (51),
    :math:`(\text{effective\_curvature} + \text{weighted\_norm})/(2n) + \text{confidence}`.
    """

    n: int
    delta: float
    d_tilde: int
    effective_curvature: float
    weighted_norm: float
    kl: float
    confidence: float
    rhs: float

    @property
    def rhs_exact_kl(self) -> float:
        r"""The tighter :math:`\frac1n[KL + \ln\frac{n+1}\delta]` of Eq. (105) with the exact KL."""
        return self.kl / self.n + self.confidence

    def risk_bound(self, train_error: float) -> float:
        r"""Upper bound on :math:`\ell(\mathcal Q_\theta, D)` from :math:`kl(\hat\ell\|\ell)\le` ``rhs``.

        Parameters
        ----------
        train_error
            :math:`\ell(\mathcal Q_\theta, S)\in[0,1]` (a loss bounded in ``[0, 1]``).

        Returns
        -------
        float
            :func:`binary_kl_inverse` of ``train_error`` at ``rhs``.
        """
        return binary_kl_inverse(check_probability(train_error, "train_error"), self.rhs)


def pacbayes_bound(
    theta: ArrayLike, theta0: ArrayLike, hess_diag: ArrayLike, sigma2: ArrayLike, n: int, delta: float
) -> PacBayesTerms:
    r"""All terms of the scale-invariant PAC-Bayes bound (li2019hessian, Thm. 4, Eq. (51)).

    Parameters
    ----------
    theta
        Learned parameters (posterior mean), shape ``(p,)``.
    theta0
        Prior mean (e.g. the initialisation), shape ``(p,)``.
    hess_diag
        Hessian diagonal :math:`H_f(\theta)[j,j]`, shape ``(p,)``.
    sigma2
        Prior variances :math:`\sigma_j^2 > 0`, scalar (Corollary 4) or shape ``(p,)``.
    n
        Number of training samples.
    delta
        Confidence parameter :math:`\delta\in(0,1)`.

    Returns
    -------
    PacBayesTerms
        The terms, the right-hand side and the exact KL.
    """
    t = _vec(theta, "theta")
    p = t.shape[0]
    h = _vec(hess_diag, "hess_diag", p)
    s2 = _positive_vec(sigma2, "sigma2", p)
    t0 = _vec(theta0, "theta0", p)
    nn, d = _check_n(n), _check_delta(delta)
    ec = effective_curvature(h, s2)
    wf = weighted_frobenius_norm(t, t0, s2)
    conf = confidence_term(nn, d)
    return PacBayesTerms(
        n=nn,
        delta=d,
        d_tilde=int(np.sum(h * s2 > 1.0)),
        effective_curvature=ec,
        weighted_norm=wf,
        kl=pacbayes_kl(t, t0, h, s2),
        confidence=conf,
        rhs=(ec + wf) / (2 * nn) + conf,
    )


def pacbayes_rhs_rows(
    thetas: ArrayLike, theta0: ArrayLike, hess_diags: ArrayLike, sigma2: ArrayLike, n: int, delta: float
) -> Array:
    r"""The right side of Eq. (51) (:attr:`PacBayesTerms.rhs`) for each row of a stack, shape (N,).

    Row :math:`k` is ``pacbayes_bound(thetas[k], theta0, hess_diags[k], sigma2, n, delta).rhs``:
    effective curvature :math:`\sum_j\ln\max(H_{jj}\sigma_j^2,1)`, precision-weighted norm and
    confidence term, computed for all rows at once.

    Parameters
    ----------
    thetas, hess_diags
        Posterior means and Hessian diagonals, shape ``(N, p)`` (finite).
    theta0, sigma2
        Prior mean and variances (``sigma2 > 0``), broadcast against the rows.
    n, delta
        As in :func:`pacbayes_bound`.
    """
    t, h = np.asarray(thetas, dtype=float), np.asarray(hess_diags, dtype=float)
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(h))):
        raise ValueError("thetas, hess_diags: expected finite values")
    s2 = np.asarray(sigma2, dtype=float)
    if not np.all(s2 > 0):
        raise ValueError("sigma2: expected positive variances")
    x = h * s2
    ec = np.where(x > 1.0, np.log(np.where(x > 1.0, x, 1.0)), 0.0).sum(axis=-1)
    wf = ((t - np.asarray(theta0, dtype=float)) ** 2 / s2).sum(axis=-1)
    return (ec + wf) / (2 * _check_n(n)) + confidence_term(n, _check_delta(delta))
