r"""Li et al. (2019), Corollary 4: Theorem 4 for an isotropic prior :math:`\mathcal N(\theta_0,\sigma^2I)`.

Setting
-------
Assumption 2 with :math:`\sigma_j=\sigma` for all :math:`j` (the setting of the experiments
of Section 6, with :math:`\theta_0=0`).  :math:`\tilde d` counts :math:`j` with
:math:`H_f(\theta)[j,j]>1/\sigma^2`.

Statement
---------
Eq. (52): the right-hand side of Eq. (51) becomes
:math:`\frac1{2n}\big(\sum_{l\le\tilde d}\ln\frac{\tilde\nu_{(l)}}{1/\sigma^2}
+\frac{\|\theta-\theta_0\|^2}{\sigma^2}\big)+\frac{\ln\frac{n+1}\delta}n`.  Encoded as the
identity between Eq. (52)'s right side, written out, and Theorem 4's right side as
assembled by :func:`verifythm.quantities.pacbayes.pacbayes_bound` with
:math:`\sigma_j^2\equiv\sigma^2`; the probabilistic part is Theorem 4's.

Typos (not claims): Eq. (52) writes :math:`KL(\cdot\|\cdot)` for the binary :math:`kl`, the
index :math:`\tilde\nu_{(s)}` for :math:`\tilde\nu_{(l)}`, :math:`\frac1{2(n)}`, the prior as
:math:`\mathcal N(\theta_0,\sigma^2)` for :math:`\mathcal N(\theta_0,\sigma^2I)`, and lists
thresholds :math:`1/\tilde\sigma_{(l)}` that are all :math:`1/\sigma^2`.

Evidence
--------
* ``symbolic`` (Theorem 4's proof, Eq. (106), specialised to :math:`\sigma_j\equiv\sigma`): for
  :math:`p=3` with two coordinates crossing (:math:`\nu_l=(1+t_l)/\sigma^2`, :math:`t_l\ge0`) and one not
  (:math:`\nu_3=1/\sigma^2`), sympy proves that (51)'s right side with
  :math:`\sigma_j^2:=\sigma^2` is (52)'s (thresholds :math:`1/\tilde\sigma_{(l)}^2` all :math:`1/\sigma^2`),
  that the non-crossing coordinate's :math:`2KL` term is :math:`(\theta_3-\theta_{0,3})^2/\sigma^2`, and
  that (52)'s bracket exceeds :math:`2KL(\mathcal Q\|\mathcal P)` by
  :math:`\sum_l t_l/(1+t_l)\ge0`.
* ``exact``: seeded instances (none, some, all coordinates crossing :math:`1/\sigma^2`).
* ``property``: Hypothesis over Hessian diagonals, :math:`\sigma^2`, :math:`\theta,\theta_0`,
  :math:`n,\delta`.

References
----------
[li2019hessian, Corollary 4, Eq. (52)].
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

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
from verifythm.claims.inputs import INT, REAL, array
from verifythm.quantities.pacbayes import pacbayes_bound

from ._util import pacbayes_instances


def conclusion(inst: dict[str, Any]) -> Comparison:
    """Eq. (52) written out against Theorem 4's right side with σ_j ≡ σ."""
    th, th0, h, s2, n, delta = (inst[k] for k in ("theta", "theta0", "hdiag", "sigma2", "n", "delta"))
    nu = h[h > 1.0 / s2]
    rhs52 = (float(np.sum(np.log(nu / (1.0 / s2)))) + float(np.sum((th - th0) ** 2)) / s2) / (
        2 * n
    ) + math.log((n + 1) / delta) / n
    rhs51 = pacbayes_bound(th, th0, h, np.full(th.size, s2), n, delta).rhs
    return Comparison(rhs52, rhs51, "==", "RHS of (52)", "RHS of (51), σ_j ≡ σ")


def _symbolic() -> list[Any]:
    """Eq. (51) → (52) with σ_j ≡ σ, and (52)'s bracket ≥ 2KL (Eq. (106)), p = 3."""
    import sympy as sp

    s2, n, delta = sp.symbols("sigma2 n delta", positive=True)
    t = sp.symbols("t1 t2", nonnegative=True)
    th = sp.symbols("theta1:4", real=True)
    th0 = sp.symbols("theta01:4", real=True)
    sj = sp.symbols("sigma2_1:4", positive=True)  # Theorem 4's σ_j², before the substitution
    nu = [(1 + t[0]) / s2, (1 + t[1]) / s2, 1 / s2]  # coordinates 1, 2 cross 1/σ²; 3 does not
    sq = [(a - b) ** 2 for a, b in zip(th, th0, strict=True)]
    tail = sp.log((n + 1) / delta) / n
    rhs51 = (sum(sp.log(nu[j] / (1 / sj[j])) for j in range(2)) + sum(sq[j] / sj[j] for j in range(3))) / (
        2 * n
    ) + tail
    rhs52 = (sum(sp.log(nu[j] / (1 / s2)) for j in range(2)) + sum(sq) / s2) / (2 * n) + tail

    def kl2(j: int) -> Any:  # 2 KL(N(θ_j, ν_j⁻¹) ‖ N(θ0_j, σ²)), one coordinate
        return 1 / (s2 * nu[j]) - 1 + sq[j] / s2 + sp.log(nu[j] * s2)

    bracket = sum(sp.log(nu[j] * s2) for j in range(2)) + sum(sq) / s2
    return [
        Identity(rhs51.subs(dict.fromkeys(sj, s2)), rhs52, "(51) with σ_j² ≡ σ² is (52)"),
        Identity(kl2(2), sq[2] / s2, "a coordinate below 1/σ² adds only (θ_j − θ0_j)²/σ²"),
        Nonnegative(sp.factor(sp.expand(bracket - sum(kl2(j) for j in range(3)))), "(106): bracket ≥ 2KL"),
    ]


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        p = int(rng.integers(1, 8))
        s2 = float(10 ** rng.uniform(-2, 2))
        h = [rng.uniform(-1, 1, p) / s2, (1 + 10 ** rng.uniform(-3, 3, p)) / s2, 10 ** rng.uniform(-3, 3, p)][
            i % 3
        ]
        out.append(
            {
                "theta": rng.standard_normal(p),
                "theta0": np.zeros(p) if i % 2 else rng.standard_normal(p),
                "hdiag": h,
                "sigma2": s2,
                "n": int(rng.integers(1, 10_000)),
                "delta": float(rng.uniform(1e-3, 0.5)),
            }
        )
    return out


CLAIM = Claim(
    id="li2019.cor4",
    aliases=("li2019.corollary4",),
    title="Isotropic prior: the bound of Theorem 4 with σ_j ≡ σ (Eq. (52))",
    source=Source("li2019hessian", "Corollary 4, Eq. (52)"),
    statement=(
        r"With $\sigma_j\equiv\sigma$ the right side of (51) is "
        r"$\frac1{2n}(\sum_{l\le\tilde d}\ln(\tilde\nu_{(l)}"
        r"\sigma^2)+\|\theta-\theta_0\|^2/\sigma^2)+\frac1n\ln\frac{n+1}\delta$."
    ),
    hypotheses=(
        Hypothesis(
            "finite inputs; σ² > 0; n ≥ 1; 0 < δ < 1",
            lambda i: bool(
                np.all(np.isfinite(i["theta"]))
                and np.all(np.isfinite(i["hdiag"]))
                and i["sigma2"] > 0
                and i["n"] >= 1
                and 0 < i["delta"] < 1
            ),
        ),
    ),
    conclusion=conclusion,
    inputs={**dict.fromkeys(("theta", "theta0", "hdiag"), array(1)), "sigma2": REAL, "n": INT, "delta": REAL},
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck(
            "exact",
            _generate,
            fixed=[
                {
                    "theta": np.array([1.0]),
                    "theta0": np.array([0.0]),
                    "hdiag": np.array([4.0]),
                    "sigma2": 1.0,
                    "n": 10,
                    "delta": 0.1,
                }
            ],
        ),
        PropertyCheck("property", pacbayes_instances(False)),
    ),
    kind="identity",
)
