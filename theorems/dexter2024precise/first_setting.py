r"""Dexter et al. (2024), Sections 3.1–3.2: the first setting H_i = e₁e₁ᵀ has σ = n (printed √n).

Setting
-------
Every :math:`H_i=e_1e_1^T` (:math:`d\times d`, :math:`\lambda_1(H)=1`), coherence matrix
:math:`S_{ij}=\|H_i^{1/2}H_j^{1/2}\|_F` and coherence measure :math:`\sigma=\lambda_1(S)/\max_i\lambda_1(H_i)`
(Definition 2, :mod:`.definition2`); for §3.2, :math:`1\le B<n`, :math:`\eta>0`, Bernoulli sampling, and
Theorem 1's conditions (a) :math:`\lambda_1(H)>2/\eta` and (b)
:math:`\lambda_1(H)>\frac\sigma\eta(\frac nB-1)^{-1/2}`.

Statement
---------
* (§3.1, Definition 2 discussion) :math:`S` is the all-ones matrix and the text says
  :math:`\lambda_1(S)=\sqrt n`, hence :math:`\sigma=\sqrt n` (``dexter2024.def2.first_setting``); as
  proved, :math:`S=\mathbf 1\mathbf 1^T`, :math:`\lambda_1(S)=n` and :math:`\sigma=n` (the value the
  proof of Theorem 2 computes for a block of equal members;
  ``dexter2024.def2.first_setting.as_proved``).
* (§3.2, paragraph before Theorem 1) with :math:`\sigma=\sqrt n`, condition (b) "cannot be met", i.e. it
  never certifies divergence beyond the GD condition (a): :math:`1>\frac{\sqrt n}\eta(\frac nB-1)^{-1/2}`
  implies :math:`\eta\ge2` (``dexter2024.sec3_2.first_setting_condition``); with the family's true
  coherence :math:`\sigma=n`: :math:`1>\frac n\eta(\frac nB-1)^{-1/2}` implies :math:`\eta\ge2`
  (``dexter2024.sec3_2.first_setting_condition.as_proved``).

Finding
-------
**Typo**: the text after Definition 2 says that for :math:`H_i=e_1e_1^T` the all-ones
:math:`S` has :math:`\lambda_1(S)=\sqrt n`, hence :math:`\sigma=\sqrt n`.  The all-ones
:math:`n\times n` matrix has :math:`\lambda_1=n`, so :math:`\sigma=n`; the proof of Theorem 2
computes exactly this (:math:`\lambda_1(S)=m\sigma` for a :math:`\sigma\times\sigma` block of
:math:`m`'s).  ``dexter2024.def2.first_setting`` fails at :math:`n=2` (:math:`\lambda_1(S)=2` vs
:math:`\sqrt2`); ``…first_setting.as_proved`` (σ = n) holds.  §3.2's remark built on σ = √n
shares this root: with :math:`\sigma=\sqrt n`, (b) holds at :math:`n=2`, :math:`B=1`,
:math:`\eta\in(\sqrt2,2)` while (a) fails.  With the family's true coherence :math:`\sigma=n` the
remark holds, because :math:`n(n/B-1)^{-1/2}\ge2B\ge2`
(``.first_setting_condition.as_proved``, tight at :math:`n=2`, :math:`B=1`).

Evidence
--------
* ``exact``: the §3.1 example at :math:`n\in\{1,2,3,4,5,8,12\}`, :math:`d\le3` (σ through the engine's
  trace form); for §3.2, closed forms over seeded :math:`(n,B)` (:math:`n\le30`, a fifth at
  :math:`n=2`, :math:`B=1`) with :math:`\eta` 1.0001–2 times condition (b)'s threshold.
* ``property``: Hypothesis over :math:`n\le30`, :math:`d\le4` for ``dexter2024.def2.first_setting.as_proved``.
* ``symbolic`` (sympy, symbolic entries): :math:`S=\mathbf 1\mathbf 1^T`,
  :math:`\det(\lambda I-S)=\lambda^{n-1}(\lambda-n)` and :math:`\sigma=n` (:math:`n\le4`), while the
  printed :math:`\lambda_1(S)=\sqrt n` fails at :math:`n=2` (as expected); for §3.2 the printed
  :math:`\sqrt n(n/B-1)^{-1/2}\ge2` fails at :math:`n=2,B=1` (as expected), and ``.as_proved``
  :math:`n^2-4B(n-B)=(n-2B)^2\ge0`.
* ``dexter2024.sec3_2.first_setting_condition`` re-checks a float64 violation independently
  (``precise_conclusion``): :math:`\eta\lambda_1(H)` in exact rationals.

References
----------
[dexter2024precise, Section 3.1, Definition 2 discussion]; [dexter2024precise, Section 3.2, paragraph
before Theorem 1].
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import (
    Claim,
    Comparison,
    ExactCheck,
    Expected,
    Hypothesis,
    Identity,
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
)

from ._common import coherence_matrix, f_threshold, lambda1, sigma_of
from ._symbolic import coherence_sym, top_eigenvalue

SOURCE_31 = Source("dexter2024precise", "Section 3.1, Definition 2 discussion")


def _sym_first(literal: bool) -> Any:
    """§3.1, first setting: H_i = e₁e₁ᵀ gives S = 11ᵀ; λ₁(S) = n (the text prints √n)."""

    def build() -> list[Any]:
        import sympy as sp

        lam = sp.Symbol("lambda")
        out: list[Any] = []
        for n in (2, 3, 4):
            Hs = [sp.diag(1, 0)] * n
            S = coherence_sym(Hs)
            out.append(Identity(S, sp.ones(n, n), f"S = 11ᵀ, n = {n}"))
            if literal:
                out.append(Identity(top_eigenvalue(S), sp.sqrt(n), f"printed: λ₁(S) = √n, n = {n}"))
            else:
                out.append(
                    Identity(
                        (lam * sp.eye(n) - S).det(), lam ** (n - 1) * (lam - n), f"det(λI − 11ᵀ), n = {n}"
                    )
                )
                out.append(
                    Identity(
                        top_eigenvalue(S) / top_eigenvalue(Hs[0]), n, f"σ = λ₁(S)/max λ₁(H_i) = n, n = {n}"
                    )
                )
        return out

    return build


# -- 2. the first setting: H_i = e_1 e_1ᵀ for all i ------------------------------------------
def _first_setting_family(inst: dict[str, Any]) -> np.ndarray:
    n, d = int(inst["n"]), int(inst["d"])
    Hs = np.zeros((n, d, d))
    Hs[:, 0, 0] = 1.0
    return Hs


def _first_literal(inst: dict[str, Any]) -> Comparison:
    S = coherence_matrix(_first_setting_family(inst))
    return Comparison(lambda1(S), float(np.sqrt(inst["n"])), "==", "λ₁(S)", "√n")


def _first_as_proved(inst: dict[str, Any]) -> Comparison:
    return Comparison(sigma_of(_first_setting_family(inst)), float(inst["n"]), "==", "σ", "n")


_FIRST_FIXED = [{"n": n, "d": d} for n in (2, 1, 3, 4, 5, 8, 12) for d in (1, 2, 3)]
_SIZES = Hypothesis("n ≥ 1 and d ≥ 1 integers", lambda inst: int(inst["n"]) >= 1 and int(inst["d"]) >= 1)

FIRST_SETTING = Claim(
    id="dexter2024.def2.first_setting",
    title="all H_i = e₁e₁ᵀ gives λ₁(S) = √n (as printed)",
    source=SOURCE_31,
    statement=(
        r"If $H_i=e_1e_1^T$ for every $i\in[n]$, then $S$ is the all-ones $n\times n$ matrix and "
        r"$\lambda_1(S)=\sqrt n$; since $\lambda_1(H_i)=1$, $\sigma=\sqrt n$."
    ),
    hypotheses=(_SIZES,),
    conclusion=_first_literal,
    checks=(
        SymbolicCheck("symbolic", _sym_first(True)),
        ExactCheck("exact", fixed=_FIRST_FIXED),
    ),
    expected=Expected.fails(
        "§3.1 prints λ₁(S) = √n for the all-ones S of identical H_i = e₁e₁ᵀ; the all-ones n×n matrix has "
        "λ₁ = n, so σ = n (n = 2: λ₁(S) = 2 vs √2); Theorem 2's proof computes λ₁(S) = mσ, consistent with "
        "n (`dexter2024.def2.first_setting.as_proved` holds)",
        "docs/errata/dexter2024.def2.first_setting__exact.md",
        finding="typo",
    ),
    kind="closed_form",
)

FIRST_SETTING_AS_PROVED = Claim(
    id="dexter2024.def2.first_setting.as_proved",
    title="all H_i = e₁e₁ᵀ gives σ = λ₁(S) = n",
    source=SOURCE_31,
    statement=(
        r"If $H_i=e_1e_1^T$ for every $i\in[n]$, then $S=\mathbf 1\mathbf 1^T$, $\lambda_1(S)=n$ and "
        r"$\sigma=n$ (the value the proof of Theorem 2 computes for a block of equal members)."
    ),
    hypotheses=(_SIZES,),
    conclusion=_first_as_proved,
    checks=(
        SymbolicCheck("symbolic", _sym_first(False)),
        ExactCheck("exact", fixed=_FIRST_FIXED),
        PropertyCheck(
            "property",
            st.fixed_dictionaries({"n": st.integers(1, 30), "d": st.integers(1, 4)}),
            max_examples=40,
        ),
    ),
    kind="closed_form",
)


# -- §3.2: in the first setting condition (b) adds nothing to condition (a) ----------------
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
    n = int(inst["n"])
    return math.sqrt(n) if literal else sigma_of(_e1_family(n))


def _first_hyp(literal: bool) -> Hypothesis:
    def ok(inst: dict[str, Any]) -> bool:
        n, B, eta = int(inst["n"]), int(inst["B"]), float(inst["eta"])
        if not (1 <= B < n and eta > 0):
            return False
        return 1.0 > f_threshold(eta, _first_sigma(inst, literal), n, B)  # λ₁(H) = 1

    which = "σ = √n (the text's value)" if literal else "σ = coherence of the family (= n)"
    return Hypothesis(f"H_i = e₁e₁ᵀ, B < n, condition (b) with {which}", ok)


def _first_concl(inst: dict[str, Any]) -> Comparison:
    return Comparison(float(inst["eta"]) * 1.0, 2.0, ">=", "η·λ₁(H)", "2 (condition (a))")


def _first_concl_exact(inst: dict[str, Any]) -> Comparison:
    """:func:`_first_concl` in exact rationals: λ₁(H) of the 1 × 1 family is its mean, η read exactly."""
    lam1 = sum((Fraction(float(h)) for h in _e1_family(int(inst["n"]))[:, 0, 0]), Fraction(0))
    lam1 /= int(inst["n"])
    return Comparison(Fraction(float(inst["eta"])) * lam1, 2, ">=", "η·λ₁(H)", "2 (condition (a))")


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


CLAIMS = [FIRST_SETTING, FIRST_SETTING_AS_PROVED, FIRST_SETTING_CONDITION, FIRST_SETTING_CONDITION_AS_PROVED]
