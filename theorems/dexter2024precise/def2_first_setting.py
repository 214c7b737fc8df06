r"""Dexter et al. (2024), Section 3.1: the first setting H_i = e₁e₁ᵀ has σ = n (printed √n).

Setting
-------
Every :math:`H_i=e_1e_1^T` (:math:`d\times d`, :math:`\lambda_1(H)=1`), coherence matrix
:math:`S_{ij}=\|H_i^{1/2}H_j^{1/2}\|_F` and coherence measure :math:`\sigma=\lambda_1(S)/\max_i\lambda_1(H_i)`
(Definition 2, :mod:`.def2`).

Statement
---------
(§3.1, Definition 2 discussion) :math:`S` is the all-ones matrix and the text says
:math:`\lambda_1(S)=\sqrt n`, hence :math:`\sigma=\sqrt n` (``dexter2024.def2.first_setting``); as proved,
:math:`S=\mathbf 1\mathbf 1^T`, :math:`\lambda_1(S)=n` and :math:`\sigma=n` (the value the proof of
Theorem 2 computes for a block of equal members; ``dexter2024.def2.first_setting.as_proved``).

Finding
-------
**Typo**: the text after Definition 2 says that for :math:`H_i=e_1e_1^T` the all-ones
:math:`S` has :math:`\lambda_1(S)=\sqrt n`, hence :math:`\sigma=\sqrt n`.  The all-ones
:math:`n\times n` matrix has :math:`\lambda_1=n`, so :math:`\sigma=n`; the proof of Theorem 2
computes exactly this (:math:`\lambda_1(S)=m\sigma` for a :math:`\sigma\times\sigma` block of
:math:`m`'s).  ``dexter2024.def2.first_setting`` fails at :math:`n=2` (:math:`\lambda_1(S)=2` vs
:math:`\sqrt2`); ``…first_setting.as_proved`` (σ = n) holds.  §3.2's remark built on σ = √n shares
this root (:mod:`.sec3_2_first_setting_condition`).

Evidence
--------
* ``exact``: the §3.1 example at :math:`n\in\{1,2,3,4,5,8,12\}`, :math:`d\le3` (σ through the engine's
  trace form).
* ``property``: Hypothesis over :math:`n\le30`, :math:`d\le4` for ``dexter2024.def2.first_setting.as_proved``.
* ``symbolic`` (sympy, symbolic entries): :math:`S=\mathbf 1\mathbf 1^T`,
  :math:`\det(\lambda I-S)=\lambda^{n-1}(\lambda-n)` and :math:`\sigma=n` (:math:`n\le4`), while the
  printed :math:`\lambda_1(S)=\sqrt n` fails at :math:`n=2` (as expected).

References
----------
[dexter2024precise, Section 3.1, Definition 2 discussion].
"""

from __future__ import annotations

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
    PropertyCheck,
    Source,
    SymbolicCheck,
)
from verifythm.claims.inputs import INT

from ._common import coherence_matrix, lambda1, sigma_of
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


def _first_setting_family(inst: dict[str, Any]) -> np.ndarray:
    Hs = np.zeros((inst["n"], inst["d"], inst["d"]))
    Hs[:, 0, 0] = 1.0
    return Hs


def _first_literal(inst: dict[str, Any]) -> Comparison:
    S = coherence_matrix(_first_setting_family(inst))
    return Comparison(lambda1(S), float(np.sqrt(inst["n"])), "==", "λ₁(S)", "√n")


def _first_as_proved(inst: dict[str, Any]) -> Comparison:
    return Comparison(sigma_of(_first_setting_family(inst)), float(inst["n"]), "==", "σ", "n")


_FIRST_FIXED = [{"n": n, "d": d} for n in (2, 1, 3, 4, 5, 8, 12) for d in (1, 2, 3)]
_SIZES = Hypothesis("n ≥ 1 and d ≥ 1 integers", lambda inst: inst["n"] >= 1 and inst["d"] >= 1)
_INPUTS = {"n": INT, "d": INT}

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
    inputs=_INPUTS,
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
    inputs=_INPUTS,
)

CLAIMS = [FIRST_SETTING, FIRST_SETTING_AS_PROVED]
