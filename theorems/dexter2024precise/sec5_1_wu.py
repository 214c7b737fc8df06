r"""Dexter et al. (2024), §5.1: Wu et al.'s alignment factor on the experiments' family, as a regression.

Setting
-------
The §5.1 family (``dexter2024.sec5_1.*``): integers :math:`1\le\sigma\le n`, :math:`m=2n/\sigma`,
:math:`H_i=m\,e_{j(i)}e_{j(i)}^T` with :math:`j(i)=1` for :math:`i\le\sigma` and
:math:`j(i)=i-\sigma+1` otherwise, in dimension :math:`d=n-\sigma+1`.  §5.1 notes that an MSE
regression gives the same optimisation; we take the linear model :math:`f(x;w)=x^Tw` with
:math:`x_i=\sqrt m\,e_{j(i)}` and :math:`y_i=0`, so :math:`x_ix_i^T=H_i`, the model gradients are
:math:`g_i=x_i` and :math:`w^*=0` interpolates.  Wu et al.'s quantities (their Eq. (3), with
:math:`\ell_i=\frac12(f-y_i)^2`; Dexter et al.'s App. B drops the :math:`\frac12`, which doubles
:math:`\mu`): :math:`G=\frac1n\sum_ig_ig_i^T`, :math:`\Sigma(w)` the covariance of the per-sample
gradients, and :math:`\mu(w)=\operatorname{tr}(\Sigma G)/(2L\|G\|_F^2)`.

Statement
---------
§5.1: the loss is zero at the optimum, so the alignment factor is undefined there, and "the
condition of Theorem 3.3 in Wu et al. (2022) cannot be satisfied".  What is checkable:

* ``dexter2024.sec5_1.wu_mu_undefined`` — the stated reason: at :math:`w^*=0` both the numerator
  :math:`\operatorname{tr}(\Sigma G)` and the denominator :math:`2L\|G\|_F^2` of :math:`\mu` vanish
  (while :math:`G\ne0`), so :math:`\mu(w^*)` is :math:`0/0`.
* ``dexter2024.sec5_1.wu_mu0`` — off the optimum, where Wu et al.'s proof uses the condition
  (their Eq. (9) bounds :math:`\mathbb E[\mu(\theta_t)L(\theta_t)]` along the iterates), :math:`\mu` is
  defined, and its infimum over :math:`w\ne0` is, in closed form,

  .. math:: \mu_0=\inf_{w\ne0}\mu(w)=\frac{n-1}{\sigma^2+n-\sigma}\quad(\sigma<n),\qquad
            \mu_0=0\quad(\sigma=n).

  Derivation: :math:`L` and :math:`\operatorname{tr}(\Sigma G)` are diagonal quadratic forms in
  :math:`w`, with ratios :math:`\sigma(n-\sigma)/(\sigma^2+n-\sigma)` on :math:`e_1` and
  :math:`(n-1)/(\sigma^2+n-\sigma)` on :math:`e_j`, :math:`j\ge2`; the first is the larger since
  :math:`\sigma(n-\sigma)-(n-1)=(\sigma-1)(n-1-\sigma)\ge0`; at :math:`\sigma=n` only :math:`e_1`
  remains and all gradients coincide, so :math:`\Sigma\equiv0`.

Reading (a scope note, reported to the lead, not encoded as a failing claim): in Dexter et al.'s
reading (:math:`\mu` evaluated at the optimum) the remark holds.  Read as Wu et al. use the
condition (:math:`\mu(\theta)\ge\mu_0>0` for the points :math:`\theta\ne\theta^*` of the linearized
dynamics), it holds only for :math:`\sigma=n`: for :math:`\sigma<n` the condition is met with the
:math:`\mu_0>0` above (e.g. :math:`n=100`, :math:`\sigma=5`: :math:`\mu_0=99/120=0.825`).

Evidence
--------
* ``exact``: the paper's :math:`n=100` at :math:`\sigma\in\{99,100\}` (smaller :math:`\sigma` at
  :math:`n=100` cost the engine seconds; the closed form was compared there once, outside the
  checks, at :math:`\sigma\in\{1,5,50\}`) plus seeded :math:`(n,\sigma)`, :math:`n\le40`; the
  undefined-ness from the residuals and per-sample gradients at :math:`w^*`; :math:`\mu_0` from the
  exact extremes engine (:func:`verifythm.quantities.alignment_extremes`), independent of the
  closed form.
* ``symbolic``: the two coordinate ratios and
  :math:`\sigma(n-\sigma)-(n-1)=(\sigma-1)(n-1-\sigma)`, non-negative for :math:`1\le\sigma\le n-1`.
* ``property``: Hypothesis over :math:`(n,\sigma)`.
* Weakening: :math:`\mu_0` claimed 10 % larger, or the numerator/denominator claimed to be
  :math:`0.1\|G\|_F^2`, is refuted on every instance.

References
----------
[dexter2024precise, Section 5.1 and Appendix B; wu2022alignment, Eq. (3), Theorem 3.3, Eq. (9)].
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Hypothesis,
    Identity,
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.quantities import alignment_extremes
from verifythm.strategies import dexter2024_family

from ._common import is_int

SOURCE = Source("dexter2024precise", "Section 5.1 (remark on Wu et al.'s Theorem 3.3)")


def regression_gradients(n: int, sigma: int) -> np.ndarray:
    r"""Model gradients :math:`g_i=x_i=\sqrt m\,e_{j(i)}` as the columns of a ``(d, n)`` matrix."""
    Hs = dexter2024_family(n, sigma)
    return np.sqrt(np.diagonal(Hs, axis1=1, axis2=2)).T


def mu0_closed_form(n: int, sigma: int) -> float:
    r""":math:`(n-1)/(\sigma^2+n-\sigma)` for :math:`\sigma<n`, 0 for :math:`\sigma=n`."""
    return 0.0 if sigma == n else (n - 1) / (sigma * sigma + n - sigma)


def _ok(inst: dict[str, Any]) -> bool:
    n, s = inst["n"], inst["sigma"]
    return is_int(n) and is_int(s) and 1 <= int(s) <= int(n)


def _undefined(inst: dict[str, Any]) -> Comparison:
    Q = regression_gradients(int(inst["n"]), int(inst["sigma"]))
    n = Q.shape[1]
    w_star = np.zeros(Q.shape[0])
    e = Q.T @ w_star  # residuals f(x_i; w*) − y_i with y = 0
    grads = Q * e  # columns ∇ℓ_i = e_i g_i
    mean = grads.mean(axis=1)
    Sigma = grads @ grads.T / n - np.outer(mean, mean)
    G = Q @ Q.T / n
    loss = float(e @ e) / (2 * n)
    num, den = float(np.trace(Sigma @ G)), 2 * loss * float(np.sum(G * G))
    return Comparison(
        abs(num) + abs(den), 0.0, "==", "|tr(ΣG)| + |2L‖G‖_F²| at w*", "0", scale=float(np.sum(G * G))
    )


def _mu0(inst: dict[str, Any]) -> Comparison:
    n, s = int(inst["n"]), int(inst["sigma"])
    ex = alignment_extremes(regression_gradients(n, s))
    return Comparison(
        ex.mu_inf.value, mu0_closed_form(n, s), "==", "inf_{w≠0} μ(w) (engine)", "μ₀ (closed form)"
    )


def _symbolic() -> list[Any]:
    import sympy as sp

    s, n, a, b = sp.symbols("sigma n a b", positive=True)
    m = 2 * n / s
    G_fro2 = (m / n) ** 2 * (s**2 + n - s)  # G = diag(σm/n, m/n, …, m/n)
    # w = e_1: e_i = √m for i ≤ σ; Σ = m²(σ/n)(1 − σ/n)e₁e₁ᵀ, L = σm/(2n)
    mu_e1 = m**2 * (s / n) * (1 - s / n) * (s * m / n) / (2 * (s * m / (2 * n)) * G_fro2)
    # w = e_j (j ≥ 2): one sample with e_i = √m; Σ = m²(1/n)(1 − 1/n)e_je_jᵀ, L = m/(2n)
    mu_ej = m**2 * (1 / n) * (1 - 1 / n) * (m / n) / (2 * (m / (2 * n)) * G_fro2)
    gap = s * (n - s) - (n - 1)
    return [
        Identity(sp.simplify(mu_e1 - s * (n - s) / (s**2 + n - s)), 0, "μ(e₁) = σ(n−σ)/(σ²+n−σ)"),
        Identity(sp.simplify(mu_ej - (n - 1) / (s**2 + n - s)), 0, "μ(e_j) = (n−1)/(σ²+n−σ), j ≥ 2"),
        Identity(sp.expand(gap - (s - 1) * (n - 1 - s)), 0, "σ(n−σ) − (n−1) = (σ−1)(n−1−σ)"),
        Nonnegative(
            sp.expand(((s - 1) * (n - 1 - s)).subs({s: 1 + a, n: 2 + a + b})), "≥ 0 for 1 ≤ σ ≤ n − 1"
        ),
    ]


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = [{"n": 100, "sigma": s} for s in (99, 100)]  # σ ≪ n at n = 100 costs seconds in the engine
    for i in range(k):
        n = int(rng.integers(1, 41))
        s = n if i % 6 == 0 else int(rng.integers(1, n + 1))
        out.append({"n": n, "sigma": s})
    return out


@st.composite
def _strategy(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(1, 40))
    return {"n": n, "sigma": draw(st.integers(1, n))}


_ADMISSIBLE = (Hypothesis("integers 1 ≤ σ ≤ n", _ok),)


def _claim(cid: str, title: str, statement: str, concl: Any, symbolic: bool) -> Claim:
    checks: tuple[Any, ...] = (
        ExactCheck("exact", _generate),
        PropertyCheck("property", _strategy(), max_examples=40),
    )
    if symbolic:
        checks = (SymbolicCheck("symbolic", _symbolic), *checks)
    return Claim(
        id=cid,
        title=title,
        source=SOURCE,
        statement=statement,
        hypotheses=_ADMISSIBLE,
        conclusion=concl,
        checks=checks,
        kind="closed_form",
    )


CLAIMS = [
    _claim(
        "dexter2024.sec5_1.wu_mu_undefined",
        "at the optimum of the §5.1 regression, Wu et al.'s μ is 0/0",
        r"For the MSE regression realising the §5.1 family, $L(w^*)=0$ and $\Sigma(w^*)=0$ while "
        r"$G\ne0$: numerator and denominator of $\mu(w^*)=\operatorname{tr}(\Sigma G)/(2L\|G\|_F^2)$ both "
        r"vanish, so the alignment factor is undefined at the optimum.",
        _undefined,
        False,
    ),
    _claim(
        "dexter2024.sec5_1.wu_mu0",
        "off the optimum, the §5.1 regression has inf μ = (n − 1)/(σ² + n − σ) (σ < n), 0 (σ = n)",
        r"For the MSE regression realising the §5.1 family, "
        r"$\inf_{w\ne w^*}\mu(w)=\frac{n-1}{\sigma^2+n-\sigma}$ "
        r"when $\sigma<n$ and $=0$ when $\sigma=n$; so Wu et al.'s condition $\mu\ge\mu_0>0$ off the optimum "
        r"holds for every $\sigma<n$ and fails only at $\sigma=n$.",
        _mu0,
        True,
    ),
]
