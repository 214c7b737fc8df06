r"""Dexter et al. (2024), Eq. (2): the B ≪ n approximation of Lemma 4.1's noise term.

Setting
-------
PSD :math:`H_1,\dots,H_n` (:math:`d\times d`), :math:`\eta>0`, :math:`B\in[n]`, :math:`k\ge1`,
:math:`\Sigma_k=\sum_{y_1..y_k}\|H_{y_k}\cdots H_{y_1}\|_F^2=\operatorname{tr}\mathcal S^k(I)`
(``dexter2024.lemma4_1.product_sum``), :math:`A_t` i.i.d. uniform on :math:`\{H_i\}`.

Statement
---------
For :math:`B\ll n`,
:math:`(\frac{\eta^2}{nB}-\frac{\eta^2}{n^2})^k\Sigma_k\approx\frac{\eta^{2k}}{n^kB^k}\Sigma_k
=\frac{\eta^{2k}}{B^k}\mathbb E\|A_k\cdots A_1\|_F^2`.  The equality is the definition of the
uniform expectation.  The approximation is a ratio of exactly :math:`(1-B/n)^k`, so its
relative error is :math:`1-(1-B/n)^k\le kB/n`: it is accurate when :math:`kB\ll n`, and for a
fixed ratio :math:`B/n` it shrinks the growth *rate* by the factor :math:`1-B/n`, which does
not change whether the term diverges only in the limit :math:`B/n\to0`.

Encoded claim (measured, with the stated tolerance :math:`kB/n`):
:math:`|\text{exact}-\text{approx}|/\text{approx}\le kB/n`, both sides computed from
:math:`\Sigma_k` by iterating :math:`\mathcal S`.

Evidence
--------
* ``exact``: seeded families of every kind (:math:`n\le60`, :math:`d\le3`), :math:`k\le6`,
  :math:`B/n` from :math:`1/60` to 1; tight as :math:`kB/n\to0`.
* ``property``: Hypothesis over families, :math:`B`, :math:`k`.
* ``symbolic``: for :math:`k=1,\dots,4` with symbolic :math:`\eta`, :math:`n`, :math:`B`, sympy proves
  the two steps above: the exact-to-approximate ratio
  :math:`(\frac{\eta^2}{nB}-\frac{\eta^2}{n^2})^k/\frac{\eta^{2k}}{n^kB^k}=(1-\frac Bn)^k` (Lemma 4.1's
  factor to Eq. (2)), and the stated error budget :math:`\frac{kB}n-(1-(1-\frac Bn)^k)\ge0` (Bernoulli's
  inequality), written with :math:`n=B+m`, :math:`m\ge0`, as a polynomial with non-negative coefficients.

References
----------
[dexter2024precise, Section 4, Eq. (2)].
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
from verifythm.claims.common import psd_family
from verifythm.claims.inputs import INT
from verifythm.strategies import families, family_instance

from ._common import FAMILY_INPUTS, noise_factor, sandwich_power_trace


def _conclusion(inst: dict[str, Any]) -> Comparison:
    Hs, eta, B, k = inst["hessians"], inst["eta"], inst["B"], inst["k"]
    n = Hs.shape[0]
    sigma_k = sandwich_power_trace(Hs, k)
    exact = noise_factor(eta, n, B) ** k * sigma_k
    approx = eta ** (2 * k) / (n * B) ** k * sigma_k
    return Comparison(abs(exact - approx) / approx, k * B / n, "<=", "|exact − approx|/approx", "kB/n")


def _generate(rng: np.random.Generator, m: int) -> list[dict[str, Any]]:
    out = []
    for i in range(m):
        n, d = int(rng.integers(1, 61)), int(rng.integers(1, 4))
        Hs = family_instance(rng, i, n, d)
        B = 1 if i % 3 == 0 else int(rng.integers(1, n + 1))
        out.append(
            {"hessians": Hs, "eta": float(10 ** rng.uniform(-1, 1)), "B": B, "k": int(rng.integers(1, 7))}
        )
    return out


@st.composite
def _strategy(draw: Any) -> dict[str, Any]:
    Hs = draw(families(n=st.integers(1, 20), d=st.integers(1, 3)))
    return {
        "hessians": Hs,
        "eta": draw(st.floats(0.1, 10.0)),
        "B": draw(st.integers(1, Hs.shape[0])),
        "k": draw(st.integers(1, 6)),
    }


def _symbolic() -> list[Any]:
    """Section 4, Eq. (2): the exact/approximate ratio and the error budget kB/n, for k = 1..4."""
    import sympy as sp

    eta, n, B = sp.symbols("eta n B", positive=True)
    m = sp.Symbol("m", nonnegative=True)  # n = B + m, so B ≤ n
    out: list[Any] = []
    for k in range(1, 5):
        exact = (eta**2 / (n * B) - eta**2 / n**2) ** k
        approx = eta ** (2 * k) / (n**k * B**k)
        out.append(
            Identity(sp.cancel(exact / approx), ((n - B) / n) ** k, f"exact/approx = (1 − B/n)^k, k = {k}")
        )
        rel_err = 1 - ((n - B) / n) ** k
        budget = sp.expand(sp.cancel((k * B / n - rel_err) * n**k).subs(n, B + m))
        out.append(Nonnegative(budget, f"(kB/n − (1 − (1 − B/n)^k))·n^k ≥ 0 at n = B + m, k = {k}"))
    return out


def _nonzero_sum(inst: dict[str, Any]) -> bool:
    Hs = inst["hessians"]
    return bool(np.any(Hs != 0)) and 1 <= inst["B"] <= Hs.shape[0] and inst["k"] >= 1


CLAIM = Claim(
    id="dexter2024.eq2",
    title="(η²/(nB) − η²/n²)^k Σ_k ≈ η^{2k}/(nB)^k Σ_k, relative error 1 − (1 − B/n)^k ≤ kB/n",
    source=Source("dexter2024precise", "Section 4, Eq. (2)"),
    statement=(
        r"$(\frac{\eta^2}{nB}-\frac{\eta^2}{n^2})^k\sum_y\|H_{y_k}\cdots H_{y_1}\|_F^2\approx"
        r"\frac{\eta^{2k}}{n^kB^k}\sum_y\|H_{y_k}\cdots H_{y_1}\|_F^2=\frac{\eta^{2k}}{B^k}"
        r"\mathbb E\|A_k\cdots A_1\|_F^2$ for $B\ll n$; measured: relative error at most $kB/n$."
    ),
    hypotheses=(psd_family("hessians"), Hypothesis("H ≠ 0, 1 ≤ B ≤ n, k ≥ 1", _nonzero_sum)),
    conclusion=_conclusion,
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck("exact", _generate),
        PropertyCheck("property", _strategy(), max_examples=60),
    ),
    kind="approximation",
    inputs=FAMILY_INPUTS | {"k": INT},
)
