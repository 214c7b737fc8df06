r"""Dexter et al. (2024), §5.2 and Figures 1–2: the two theorems' regions on the §5.1 family.

Setting
-------
The §5.1 family (``dexter2024.sec5_1.*``): integers :math:`1\le\sigma\le n`, :math:`B\in[n]`,
:math:`m=2n/\sigma`, :math:`H_i=m\,e_1e_1^T` (:math:`i\le\sigma`), :math:`m\,e_{i-\sigma+1}e_{i-\sigma+1}^T`
otherwise, :math:`\lambda_1(H)=2`; Bernoulli sampling.  Every :math:`\hat J` is diagonal, with
:math:`\hat\jmath_1=1-\eta mK/B`, :math:`K\sim\mathrm{Bin}(\sigma,B/n)`, and
:math:`\hat\jmath_j=1-\eta m x/B`, :math:`x\sim\mathrm{Bern}(B/n)`, for :math:`j\ge2`.

Statement
---------
The experiments classify a tuple :math:`(\sigma,B,\eta)` as divergent when a typical trajectory's
norm grows (by 1000× within 1000 steps, majority of five runs) and report that

1. every tuple satisfying Theorem 1's condition (b), :math:`2>\frac\sigma\eta(\frac nB-1)^{-1/2}`
   (below the solid line), diverges;
2. every tuple satisfying Theorem 2's condition, :math:`2<\frac{2\sigma}\eta(\sigma+\frac nB-1)^{-1}`
   (above the dashed line), does not.

Encoded in the protocol's asymptotic form: a typical trajectory from a generic start grows
exponentially iff the top Lyapunov exponent
:math:`\gamma=\max_j\mathbb E\log|\hat\jmath_j|` is positive (diagonal products:
:math:`\frac1k\log|(P_k)_{jj}|\to\mathbb E\log|\hat\jmath_j|` almost surely).  The claims compare
the growth factor :math:`e^\gamma` with 1.

Evidence
--------
Why it matters: Theorem 1 only guarantees mean-square divergence (``dexter2024.thm1`` is an
erratum), which in general does not imply typical divergence; on this family it does, because coordinates
:math:`j\ge2` are single-sample coordinates whose mean-square and typical thresholds coincide
(:math:`\eta=\sigma B/n`), and :math:`\frac\sigma2(\frac nB-1)^{-1/2}\ge\sigma B/n`.  Item 2 follows
from ``dexter2024.sec5_1.threshold`` and Jensen
(:math:`2\mathbb E\log|\hat\jmath|\le\log\mathbb E\hat\jmath^2`).

* ``exact``: :math:`\mathbb E\log|\hat\jmath_j|` by exact enumeration of the binomial laws, at the
  paper's :math:`n=100` and at seeded :math:`n\le60`, with :math:`\eta` from 1.0001 to 2 times (item 1)
  or 0.5 to 0.9999 times (item 2) the theorem's boundary; tight at :math:`\sigma=1` (item 2) and
  :math:`n=2B` (item 1).  No Monte Carlo: the verdicts carry no false-alarm probability.
* ``property``: Hypothesis over :math:`2\le n\le300`, :math:`\sigma`, :math:`B` and the factor
  :math:`\eta/\text{boundary}` (1.0001–3 for item 1, 0.3–0.9999 for item 2), steered towards
  small slack; sizes beyond the seeded range.
* ``symbolic`` (the algebra of *Why it matters* above): item 1, a single-sample coordinate has
  :math:`\mathbb E\log|\hat\jmath_j|=p\log|1-\eta m/B|>0` iff :math:`\eta m/B>2`, and sympy proves
  :math:`2B/m=\sigma B/n` and :math:`(\frac\sigma2)^2(\frac nB-1)^{-1}-(\frac{\sigma B}n)^2=
  \frac{\sigma^2B(n-2B)^2}{4(n-B)n^2}\ge0` (symbolic :math:`n=B+r`).  Item 2: for
  :math:`\sigma\le3` (Bernoulli masks of the :math:`\sigma` shared members enumerated, symbolic
  :math:`\eta,n,B`), :math:`\mathbb E\hat\jmath_1^2-1=4\eta(\eta(\sigma+n/B-1)/\sigma-1)` and for
  :math:`j\ge2`, :math:`\mathbb E\hat\jmath_j^2-1=4\eta(\eta n/(\sigma B)-1)/\sigma`, both negative below
  Theorem 2's line (:math:`\sigma B/n\ge\sigma/(\sigma+n/B-1)`), after which Jensen
  (:math:`2\mathbb E\log|\hat\jmath|\le\log\mathbb E\hat\jmath^2`) gives a negative exponent.

References
----------
[dexter2024precise, Section 5.2, Figures 1 and 2].
"""

from __future__ import annotations

import math
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
from verifythm.claims.inputs import REAL

from ._common import is_int
from ._symbolic import bernoulli_mean

SOURCE = Source("dexter2024precise", "Section 5.2, Figures 1-2")


def growth_factor(n: int, sigma: int, B: int, eta: float) -> float:
    r""":math:`\exp\max_j\mathbb E\log|\hat\jmath_j|` for the §5.1 family (0 if some mass sits at 0)."""
    p = B / n
    m = 2.0 * n / sigma
    K = np.arange(sigma + 1)
    pk = np.array([math.comb(sigma, int(k)) for k in K], float) * p**K * (1 - p) ** (sigma - K)
    with np.errstate(divide="ignore"):
        logs = np.log(np.abs(1.0 - eta * m * K / B))
    gam = [float(np.sum(np.where(pk > 0, pk * logs, 0.0)))]
    if sigma < n:  # coordinates j ≥ 2: one sample each
        with np.errstate(divide="ignore"):
            gam.append(p * float(np.log(abs(1.0 - eta * m / B))))
    return float(np.exp(max(gam)))


def _ok(inst: dict[str, Any]) -> bool:
    n, s, B = inst["n"], inst["sigma"], inst["B"]
    return (
        is_int(n)
        and is_int(s)
        and is_int(B)
        and 1 <= int(s) <= int(n)
        and 1 <= int(B) <= int(n)
        and inst["eta"] > 0
    )


def thm1_eta(n: int, sigma: int, B: int) -> float:
    r"""Theorem 1's boundary in η at :math:`\lambda_1=2`: :math:`\frac\sigma2(\frac nB-1)^{-1/2}`."""
    return sigma / (2.0 * math.sqrt(n / B - 1.0)) if B < n else math.inf


def thm2_eta(n: int, sigma: int, B: int) -> float:
    r"""Theorem 2's boundary in η at :math:`\lambda_1=2`: :math:`\sigma/(\sigma+n/B-1)`."""
    return sigma / (sigma + n / B - 1.0)


def _below_thm1(inst: dict[str, Any]) -> bool:
    return _ok(inst) and inst["eta"] > thm1_eta(int(inst["n"]), int(inst["sigma"]), int(inst["B"]))


def _above_thm2(inst: dict[str, Any]) -> bool:
    return _ok(inst) and inst["eta"] < thm2_eta(int(inst["n"]), int(inst["sigma"]), int(inst["B"]))


def _concl(rel: str):
    def conclusion(inst: dict[str, Any]) -> Comparison:
        g = growth_factor(int(inst["n"]), int(inst["sigma"]), int(inst["B"]), inst["eta"])
        return Comparison(g, 1.0, rel, "exp(max_j E log|ĵ_j|) (typical growth per step)", "1")

    return conclusion


def _generate(which: int):
    def generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
        out = []
        for i in range(k):
            n = 100 if i % 3 == 0 else int(rng.integers(2, 61))
            if which == 1:
                B = n // 2 if i % 4 == 0 and n % 2 == 0 else int(rng.integers(1, n))
                s = int(rng.integers(1, n + 1))
                t = 1.0001 if i % 2 == 0 else float(rng.uniform(1.0001, 2.0))
                out.append({"n": n, "sigma": s, "B": B, "eta": t * thm1_eta(n, s, B)})
            else:
                B = int(rng.integers(1, n + 1))
                s = 1 if i % 4 == 0 else int(rng.integers(1, n + 1))
                t = 0.9999 if i % 2 == 0 else float(rng.uniform(0.5, 0.9999))
                out.append({"n": n, "sigma": s, "B": B, "eta": t * thm2_eta(n, s, B)})
        return out

    return generate


@st.composite
def _row(draw: Any, which: int) -> dict[str, Any]:
    n = draw(st.integers(2, 300))
    s = draw(st.integers(1, n))
    if which == 1:
        B = draw(st.integers(1, n - 1))
        return {"n": n, "sigma": s, "B": B, "eta": draw(st.floats(1.0001, 3.0)) * thm1_eta(n, s, B)}
    B = draw(st.integers(1, n))
    return {"n": n, "sigma": s, "B": B, "eta": draw(st.floats(0.3, 0.9999)) * thm2_eta(n, s, B)}


def _symbolic(which: int) -> Any:
    """Section 5.2 / Figures 1–2: the thresholds behind items 1 and 2 (see the module docstring)."""

    def build() -> list[Any]:
        import sympy as sp

        eta, n, B, sg = sp.symbols("eta n B sigma", positive=True)
        r = sp.Symbol("r", positive=True)  # n = B + r (B < n)
        m = 2 * n / sg
        if which == 1:
            gap = (sg / 2) ** 2 / (n / B - 1) - (sg * B / n) ** 2
            closed = sg**2 * B * (n - 2 * B) ** 2 / (4 * (n - B) * n**2)
            return [
                Identity(2 * B / m, sg * B / n, "single-sample coordinate: ηm/B > 2 iff η > 2B/m = σB/n"),
                Identity(sp.cancel(gap), sp.cancel(closed), "(σ/2)²(n/B − 1)^{-1} − (σB/n)² in closed form"),
                Nonnegative(sp.factor(closed.subs(n, B + r)), "(σ/2)(n/B − 1)^{-1/2} ≥ σB/n (n = B + r)"),
            ]
        out: list[Any] = []
        p = B / n
        for s in (1, 2, 3):
            ms = 2 * n / s

            def j1(x: tuple[int, ...], ms: Any = ms) -> Any:
                return (1 - eta * ms * sum(x) / B) ** 2

            e1 = bernoulli_mean(j1, s, p)
            want1 = 4 * eta * (eta * (s + n / B - 1) / s - 1)
            out.append(Identity(sp.expand(e1 - 1), sp.expand(want1), f"E[ĵ₁²] − 1, σ = {s}"))
        ej = p * (1 - eta * m / B) ** 2 + (1 - p)
        out.append(
            Identity(
                sp.expand(ej - 1), sp.expand(4 * eta * (eta * n / (sg * B) - 1) / sg), "E[ĵ_j²] − 1, j ≥ 2"
            )
        )
        q = sp.Symbol("q", nonnegative=True)  # σ = 1 + q
        order = (1 + q) * B / n - (1 + q) / ((1 + q) + n / B - 1)
        out.append(
            Nonnegative(sp.factor(order), "σB/n ≥ σ/(σ + n/B − 1): Theorem 2's line is the binding one")
        )
        return out

    return build


def _region_claim(
    id: str, theorem: int, title: str, statement: str, hypothesis: Hypothesis, op: str
) -> Claim:
    """A §5.2 claim: on the region of Theorem ``theorem``'s condition, growth ``op`` 1."""
    return Claim(
        id=id,
        title=title,
        source=SOURCE,
        statement=statement,
        hypotheses=(hypothesis,),
        conclusion=_concl(op),
        checks=(
            SymbolicCheck("symbolic", _symbolic(theorem)),
            ExactCheck("exact", _generate(theorem)),
            PropertyCheck("property", _row(theorem), max_examples=60),
        ),
        kind="limit",
        inputs={"eta": REAL},  # n, σ and B as drawn: _ok checks that they are integers
    )


THM1_REGION = _region_claim(
    "dexter2024.sec5_2.thm1_region",
    1,
    "on the §5.1 family, tuples meeting Theorem 1's condition (b) diverge typically (Figures 1–2)",
    r"For the §5.1 family ($\lambda_1(H)=2$), if $2>\frac\sigma\eta(\frac nB-1)^{-1/2}$ then the top "
    r"Lyapunov exponent $\max_j\mathbb E\log|\hat\jmath_j|$ is positive: typical trajectories diverge.",
    Hypothesis("§5.1 parameters and Theorem 1's condition (b)", _below_thm1),
    ">=",
)

THM2_REGION = _region_claim(
    "dexter2024.sec5_2.thm2_region",
    2,
    "on the §5.1 family, tuples meeting Theorem 2's condition do not diverge (Figures 1–2)",
    r"For the §5.1 family, if $2<\frac{2\sigma}\eta(\sigma+\frac nB-1)^{-1}$ then "
    r"$\max_j\mathbb E\log|\hat\jmath_j|<0$: typical trajectories converge.",
    Hypothesis("§5.1 parameters and Theorem 2's condition", _above_thm2),
    "<=",
)

CLAIMS = [THM1_REGION, THM2_REGION]
