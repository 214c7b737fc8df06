r"""Dexter et al. (2024), Section 3.2: in the first setting, condition (b) of Theorem 1 needs σ = n.

Setting
-------
Every :math:`H_i=e_1e_1^T` (:math:`\lambda_1(H)=1`), whose coherence is :math:`\sigma=n`
(:mod:`.def2_first_setting`; the text prints :math:`\sqrt n`), :math:`1\le B<n`, :math:`\eta>0`, Bernoulli
sampling, and Theorem 1's conditions (a) :math:`\lambda_1(H)>2/\eta` and (b)
:math:`\lambda_1(H)>\frac\sigma\eta(\frac nB-1)^{-1/2}`.

Statement
---------
(§3.2, paragraph before Theorem 1) with :math:`\sigma=\sqrt n`, condition (b) "cannot be met", i.e. it
never certifies divergence beyond the GD condition (a): :math:`1>\frac{\sqrt n}\eta(\frac nB-1)^{-1/2}`
implies :math:`\eta\ge2` (``dexter2024.sec3_2.first_setting_condition``); with the family's true
coherence :math:`\sigma=n`: :math:`1>\frac n\eta(\frac nB-1)^{-1/2}` implies :math:`\eta\ge2`
(``dexter2024.sec3_2.first_setting_condition.as_proved``).

Finding
-------
**Typo**, the same root as ``dexter2024.def2.first_setting`` (σ = n, printed √n): with
:math:`\sigma=\sqrt n`, (b) holds at :math:`n=2`, :math:`B=1`, :math:`\eta\in(\sqrt2,2)` while (a)
fails.  With the family's true coherence :math:`\sigma=n` the remark holds, because
:math:`n(n/B-1)^{-1/2}\ge2B\ge2` (``.first_setting_condition.as_proved``, tight at :math:`n=2`,
:math:`B=1`).

Evidence
--------
* ``exact``: closed forms over seeded :math:`(n,B)` (:math:`n\le30`, a fifth at :math:`n=2`, :math:`B=1`)
  with :math:`\eta` 1.0001–2 times condition (b)'s threshold.
* ``symbolic``: the printed :math:`\sqrt n(n/B-1)^{-1/2}\ge2` fails at :math:`n=2,B=1` (as expected), and
  ``.as_proved`` :math:`n^2-4B(n-B)=(n-2B)^2\ge0`.
* ``dexter2024.sec3_2.first_setting_condition`` re-checks a float64 violation independently
  (``precise_conclusion``): :math:`\eta\lambda_1(H)` in exact rationals.

References
----------
[dexter2024precise, Section 3.2, paragraph before Theorem 1].
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Expected,
    Hypothesis,
    Identity,
    Nonnegative,
    Source,
    SymbolicCheck,
)
from verifythm.claims.inputs import INT, REAL

from ._common import f_threshold, sigma_of


def _symbolic_literal() -> list[Any]:
    """Printed σ = √n; (b) at λ₁ = 1 reads η > σ(n/B − 1)^{-1/2}: √n(n/B − 1)^{-1/2} ≥ 2 fails at n = 2."""
    import sympy as sp

    return [
        Nonnegative(
            sp.sqrt(2) / sp.sqrt(sp.Integer(2) / 1 - 1) - 2,
            "printed: √n(n/B − 1)^{-1/2} ≥ 2 at n = 2, B = 1",
        )
    ]


def _symbolic_as_proved() -> list[Any]:
    """σ = n: n(n/B − 1)^{-1/2} ≥ 2B ≥ 2, i.e. n² ≥ 4B(n − B) and B ≥ 1."""
    import sympy as sp

    n, B = sp.symbols("n B", positive=True)
    b = sp.Symbol("b", nonnegative=True)
    return [
        Identity(
            sp.expand(n**2 - 4 * B * (n - B)), sp.expand((n - 2 * B) ** 2), "n² − 4B(n − B) = (n − 2B)²"
        ),
        Nonnegative((n - 2 * B) ** 2, "n²B/(n − B) ≥ 4B² (squared, n > B)"),
        Nonnegative(2 * (1 + b) - 2, "2B ≥ 2 for B = 1 + b ≥ 1"),
    ]


# -- 4. §3.2: in the first setting condition (b) adds nothing to condition (a) ----------------
def _e1_family(n: int) -> np.ndarray:
    Hs = np.zeros((n, 1, 1))
    Hs[:, 0, 0] = 1.0
    return Hs


def _first_sigma(inst: dict[str, Any], literal: bool) -> float:
    n = inst["n"]
    return math.sqrt(n) if literal else sigma_of(_e1_family(n))


def _first_hyp(literal: bool) -> Hypothesis:
    def ok(inst: dict[str, Any]) -> bool:
        n, B, eta = inst["n"], inst["B"], inst["eta"]
        if not (1 <= B < n and eta > 0):
            return False
        return 1.0 > f_threshold(eta, _first_sigma(inst, literal), n, B)  # λ₁(H) = 1

    which = "σ = √n (the text's value)" if literal else "σ = coherence of the family (= n)"
    return Hypothesis(f"H_i = e₁e₁ᵀ, B < n, condition (b) with {which}", ok)


def _first_concl(inst: dict[str, Any]) -> Comparison:
    return Comparison(inst["eta"] * 1.0, 2.0, ">=", "η·λ₁(H)", "2 (condition (a))")


def _first_concl_exact(inst: dict[str, Any]) -> Comparison:
    """:func:`_first_concl` in exact rationals: λ₁(H) of the 1 × 1 family is its mean, η read exactly."""
    lam1 = sum((Fraction(float(h)) for h in _e1_family(inst["n"])[:, 0, 0]), Fraction(0)) / inst["n"]
    return Comparison(Fraction(inst["eta"]) * lam1, 2, ">=", "η·λ₁(H)", "2 (condition (a))")


def _first_generate(literal: bool):
    def generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
        out = []
        for i in range(k):
            n = 2 if i % 5 == 0 else int(rng.integers(2, 31))
            B = 1 if i % 5 == 0 else int(rng.integers(1, n))
            s = math.sqrt(n) if literal else float(n)
            t = 1.0001 if i % 3 == 0 else float(rng.uniform(1.0001, 2.0))
            out.append({"n": n, "B": B, "eta": t * s / math.sqrt(n / B - 1.0)})
        return out

    return generate


def _first_setting_claim(literal: bool, **fields: Any) -> Claim:
    """The first-setting claim with the text's σ = √n (``literal``) or the family's coherence."""
    return Claim(
        **fields,
        source=Source("dexter2024precise", "Section 3.2, paragraph before Theorem 1"),
        hypotheses=(_first_hyp(literal),),
        conclusion=_first_concl,
        precise_conclusion=_first_concl_exact if literal else None,
        checks=(
            SymbolicCheck("symbolic", _symbolic_literal if literal else _symbolic_as_proved),
            ExactCheck("exact", _first_generate(literal)),
        ),
        inputs={"n": INT, "B": INT, "eta": REAL},
    )


FIRST_SETTING_CONDITION = _first_setting_claim(
    True,
    id="dexter2024.sec3_2.first_setting_condition",
    title="H_i = e₁e₁ᵀ, σ = √n: condition (b) of Theorem 1 cannot hold without (a) (as printed)",
    statement=(
        r"When every $H_i=e_1e_1^T$ and $\sigma=\sqrt n$, the second condition of Theorem 1 cannot be met "
        r"(only the GD condition $\lambda_1(H)>2/\eta$ can certify divergence): "
        r"$1>\frac{\sqrt n}\eta(\frac nB-1)^{-1/2}\Rightarrow\eta\ge2$."
    ),
    expected=Expected.fails(
        "same root as `dexter2024.def2.first_setting`: with the printed σ = √n, condition (b) holds at n = "
        "2, B = 1, η ∈ (√2, 2) while λ₁(H) = 1 < 2/η; with the family's true coherence σ = n, (b) does "
        "imply η > 2 (`dexter2024.sec3_2.first_setting_condition.as_proved` holds)",
        "docs/errata/dexter2024.sec3_2.first_setting_condition__exact.md",
        finding="typo",
    ),
)

FIRST_SETTING_CONDITION_AS_PROVED = _first_setting_claim(
    False,
    id="dexter2024.sec3_2.first_setting_condition.as_proved",
    title="H_i = e₁e₁ᵀ (σ = n): condition (b) of Theorem 1 implies condition (a)",
    statement=(
        r"For $H_i=e_1e_1^T$ ($\lambda_1(H)=1$, coherence $\sigma=n$) and $B<n$: "
        r"$1>\frac n\eta(\frac nB-1)^{-1/2}$ implies $\eta\ge2$, since $n(\frac nB-1)^{-1/2}\ge2B\ge2$; "
        r"equality at $n=2$, $B=1$."
    ),
)


CLAIMS = [FIRST_SETTING_CONDITION, FIRST_SETTING_CONDITION_AS_PROVED]
