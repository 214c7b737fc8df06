r"""Private helpers of the Theorem 4 modules: the KL of Assumption 2 and the claim factory.

The exact :math:`KL(\mathcal Q_\theta\|\mathcal P)` (Cholesky route), the terms of Eqs. (106) and
(51) written out literally, the seeded instances, hypotheses and evidence shared by
:mod:`.thm4` (the deduction (105) ⇒ (51)) and :mod:`.thm4_kl` (Eq. (106)).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm import Claim, Hypothesis, Identity, Nonnegative, Source
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


def symbolic() -> list[Any]:
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


def generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
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


HYPOTHESES = (
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


def claim(cid: str, title: str, statement: str, concl: Any, kind: str) -> Claim:
    return Claim(
        id=cid,
        aliases=("li2019.theorem4" + cid.removeprefix("li2019.thm4"),),  # its id before the id rule
        title=title,
        source=SOURCE,
        statement=statement,
        hypotheses=HYPOTHESES,
        conclusion=concl,
        inputs=INPUTS,
        checks=symbolic_exact_property(symbolic, generate, pacbayes_instances(True), fixed=[FIXED]),
        kind=kind,
    )
