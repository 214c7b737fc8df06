r"""Li et al. (2019), Theorem 4: the scale-invariant PAC-Bayes bound — its KL algebra.

Setting
-------
Assumption 2: prior :math:`\mathcal P=\mathcal N(\theta_0,\mathrm{diag}(\sigma_1^2,\dots,\sigma_p^2))`
(Eq. (42)), posterior :math:`\mathcal Q_\theta=\mathcal N(\theta,\mathrm{diag}(\nu_j^{-1}))`,
:math:`\nu_j=\max\{H_f(\theta)[j,j],1/\sigma_j^2\}` (Eq. (44)).  Let
:math:`\tilde d=|\{j:H_f(\theta)[j,j]>1/\sigma_j^2\}|` and :math:`\tilde\nu_{(l)}`,
:math:`\tilde\sigma_{(l)}^2` the precisions and prior variances of those coordinates.

Statement
---------
Theorem 4 (Eq. (51)): with probability :math:`\ge1-\delta` over :math:`S`,
:math:`kl(\ell(\mathcal Q_\theta,S)\|\ell(\mathcal Q_\theta,D))\le\frac1{2n}\big(
\sum_{l\le\tilde d}\ln\frac{\tilde\nu_{(l)}}{1/\tilde\sigma_{(l)}^2}
+\sum_j\frac{(\theta_j-\theta_{0,j})^2}{\sigma_j^2}\big)+\frac{\ln\frac{n+1}\delta}n`.
The proof applies the PAC-Bayes-kl inequality (105) (cited, not re-checked here) and
bounds the KL (Eq. (106)).  Encoded:

* ``li2019.theorem4.kl_identity`` — Eq. (106), first line:
  :math:`2KL(\mathcal Q\|\mathcal P)=\sum_j(\frac1{\sigma_j^2\nu_j}-1)
  +\sum_j\frac{(\theta_j-\theta_{0,j})^2}{\sigma_j^2}+\sum_j\ln\frac{\nu_j}{1/\sigma_j^2}`;
* ``li2019.theorem4.kl_bound`` — Eq. (106), second line: :math:`2KL\le` effective curvature
  + precision-weighted norm (equality when no coordinate crosses its threshold);
* ``li2019.theorem4`` — the deduction (105) ⇒ (51): the right side of (105) with the exact
  KL is at most the right side of (51).

Finding
-------
**Typos** (not claims): the statement lists the thresholds as :math:`1/\tilde\sigma_{(l)}` but
the formula (correctly) uses :math:`1/\tilde\sigma_{(l)}^2`; Eq. (42) indexes the prior
variances :math:`\sigma_1^2,\dots,\sigma_n^2` where :math:`p` (the number of parameters, not
samples) is meant; the text after Eq. (44) calls :math:`\sigma_j^2` a variance of "the
posterior :math:`\mathcal P`" (the prior); Theorem 4 writes the prior as
:math:`\mathcal N(\theta_0,\Sigma_{\mathcal P}\mathbb I)`; Eq. (103) writes :math:`d` for
:math:`p`.

Evidence
--------
End to end: the probabilistic statement itself, over draws of :math:`S` with exact Gibbs train and test
errors, is ``li2019.theorem4.bound`` (and ``li2019.corollary4.bound``) in
:mod:`theorems.li2019hessian.theorem4_bound`.  Here:

* ``symbolic``: per coordinate, :math:`1-\frac1{\sigma^2\nu}\ge0` and :math:`\ln(\nu\sigma^2)\ge0`
  for :math:`\nu=(1+t)/\sigma^2`, :math:`t\ge0`, and the one-dimensional KL identity.
* ``exact``: the KL from Cholesky factors (:func:`~verifythm.quantities.pacbayes.gaussian_kl`,
  full matrices) against the terms written out literally, on seeded instances with no,
  some and all coordinates crossing the threshold, tiny and huge Hessian diagonals,
  negative diagonals.
* ``property``: Hypothesis over Hessian diagonals, prior variances, :math:`\theta,\theta_0`.

References
----------
[li2019hessian, Assumption 2, Eqs. (42)–(44); Theorem 4, Eq. (51); Appendix H.2, Eqs. (105)–(106)].
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from verifythm import (
    Claim,
    Comparison,
    Hypothesis,
    Identity,
    Nonnegative,
    Source,
)
from verifythm.claims.common import symbolic_exact_property
from verifythm.claims.inputs import INT, REAL, array
from verifythm.quantities.pacbayes import gaussian_kl

from ._util import pacbayes_instances

SOURCE = Source("li2019hessian", "Theorem 4, Eq. (51); Appendix H.2, Eq. (106)")
#: θ, θ₀, diag H_f and the prior variances σ_j²: the instance's vectors.
VECTORS = ("theta", "theta0", "hdiag", "sigma2")
INPUTS = {**dict.fromkeys(VECTORS, array(1)), "n": INT, "delta": REAL}


def exact_kl(inst: dict[str, Any]) -> float:
    """KL(Q_θ‖P) from full covariance matrices (Cholesky route)."""
    th, th0, h, s2 = (inst[k] for k in VECTORS)
    nu = np.maximum(h, 1.0 / s2)
    return gaussian_kl(th, np.diag(1.0 / nu), th0, np.diag(s2))


def terms(inst: dict[str, Any]) -> dict[str, float]:
    """The terms of Eqs. (106) and (51), written out literally."""
    th, th0, h, s2 = (inst[k] for k in VECTORS)
    nu = np.maximum(h, 1.0 / s2)
    cross = h > 1.0 / s2
    return {
        "trace": float(np.sum(1.0 / (s2 * nu) - 1.0)),
        "wf": float(np.sum((th - th0) ** 2 / s2)),
        "logs": float(np.sum(np.log(nu / (1.0 / s2)))),
        "ec": float(np.sum(np.log(nu[cross] / (1.0 / s2[cross])))),
    }


def _identity(inst: dict[str, Any]) -> Comparison:
    t = terms(inst)
    return Comparison(
        2 * exact_kl(inst),
        t["trace"] + t["wf"] + t["logs"],
        "==",
        "2KL(Q‖P)",
        "Σ(1/(σ²ν) − 1) + Σ(θ−θ₀)²/σ² + Σ ln(νσ²)",
    )


def _bound(inst: dict[str, Any]) -> Comparison:
    t = terms(inst)
    return Comparison(
        2 * exact_kl(inst), t["ec"] + t["wf"], "<=", "2KL(Q‖P)", "effective curvature + weighted norm"
    )


def _theorem(inst: dict[str, Any]) -> Comparison:
    t = terms(inst)
    n, delta = inst["n"], inst["delta"]
    conf = math.log((n + 1) / delta) / n
    return Comparison(
        exact_kl(inst) / n + conf,
        (t["ec"] + t["wf"]) / (2 * n) + conf,
        "<=",
        "(KL + ln((n+1)/δ))/n  [Eq. (105)]",
        "RHS of Eq. (51)",
    )


def _symbolic() -> list[Any]:
    import sympy as sp

    s2 = sp.Symbol("sigma2", positive=True)
    t = sp.Symbol("t", nonnegative=True)
    nu = (1 + t) / s2
    th, th0 = sp.symbols("theta theta0", real=True)
    kl1 = (1 / nu) / s2 + (th - th0) ** 2 / s2 - 1 + sp.log(s2 / (1 / nu))  # 2KL, one coordinate
    return [
        Nonnegative(sp.simplify(1 - 1 / (s2 * nu)), "1 − 1/(σ²ν) ≥ 0 when ν ≥ 1/σ²"),
        Nonnegative(sp.log(1 + t), "ln(νσ²) ≥ 0 when ν ≥ 1/σ²"),
        Identity(
            kl1, (1 / (s2 * nu) - 1) + (th - th0) ** 2 / s2 + sp.log(nu / (1 / s2)), "(106), one coordinate"
        ),
    ]


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        p = int(rng.integers(1, 8))
        s2 = 10 ** rng.uniform(-2, 2, p) if i % 2 else np.full(p, float(10 ** rng.uniform(-2, 2)))
        mode = i % 4
        if mode == 0:  # nothing crosses: the bound is an equality
            h = rng.uniform(-1, 1, p) / s2
        elif mode == 1:  # everything crosses, some by a lot
            h = (1 + 10 ** rng.uniform(-3, 3, p)) / s2
        else:
            h = 10 ** rng.uniform(-3, 3, p) * rng.choice([-1.0, 1.0], p, p=[0.2, 0.8])
        out.append(
            {
                "theta": rng.standard_normal(p) * 3,
                "theta0": rng.standard_normal(p) * (0 if i % 3 == 0 else 1),
                "hdiag": h,
                "sigma2": s2,
                "n": int(rng.integers(1, 10_000)),
                "delta": float(rng.uniform(0.001, 0.5)),
            }
        )
    return out


_HYP = (
    Hypothesis(
        "finite θ, θ₀, H_f diagonal; σ_j² > 0; n ≥ 1; 0 < δ < 1",
        lambda i: bool(
            all(np.all(np.isfinite(i[k])) for k in VECTORS)
            and np.all(i["sigma2"] > 0)
            and i["n"] >= 1
            and 0 < i["delta"] < 1
        ),
    ),
)

FIXED = {
    "theta": np.array([1.0]),
    "theta0": np.array([0.0]),
    "hdiag": np.array([0.5]),
    "sigma2": np.array([1.0]),
    "n": 10,
    "delta": 0.05,
}


def _claim(cid: str, title: str, statement: str, concl: Any, kind: str) -> Claim:
    return Claim(
        id=cid,
        title=title,
        source=SOURCE,
        statement=statement,
        hypotheses=_HYP,
        conclusion=concl,
        inputs=INPUTS,
        checks=symbolic_exact_property(_symbolic, _generate, pacbayes_instances(True), fixed=[FIXED]),
        kind=kind,
    )


KL_IDENTITY = _claim(
    "li2019.theorem4.kl_identity",
    "2KL(Q_θ‖P) under Assumption 2 in closed form (Eq. (106), first line)",
    r"$2KL(\mathcal Q_\theta\|\mathcal P)=\sum_j(\frac1{\sigma_j^2\nu_j}-1)"
    r"+\sum_j\frac{(\theta_j-\theta_{0,j})^2}"
    r"{\sigma_j^2}+\sum_j\ln\frac{\nu_j}{1/\sigma_j^2}$.",
    _identity,
    "identity",
)

KL_BOUND = _claim(
    "li2019.theorem4.kl_bound",
    "2KL(Q_θ‖P) ≤ effective curvature + precision-weighted norm (Eq. (106), second line)",
    r"$2KL(\mathcal Q_\theta\|\mathcal P)\le"
    r"\sum_{l\le\tilde d}\ln\frac{\tilde\nu_{(l)}}{1/\tilde\sigma_{(l)}^2}"
    r"+\sum_j\frac{(\theta_j-\theta_{0,j})^2}{\sigma_j^2}$.",
    _bound,
    "inequality",
)

THEOREM = _claim(
    "li2019.theorem4",
    "Eq. (105) with the exact KL implies the right-hand side of Eq. (51)",
    r"$\frac1n[KL(\mathcal Q_\theta\|\mathcal P)+\ln\frac{n+1}\delta]\le\frac1{2n}(\text{eff. curvature}"
    r"+\text{weighted norm})+\frac1n\ln\frac{n+1}\delta$, so (105) implies (51).",
    _theorem,
    "inequality",
)

CLAIMS = [THEOREM, KL_IDENTITY, KL_BOUND]
