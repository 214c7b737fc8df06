r"""Wang & Wu (2023), Eq. (13) (proof of Theorem 5.2): one-step lower bound on :math:`D_{t+1,k}`.

Setting
-------
Linearized dynamics at an interpolating minimum, :math:`w_{t+1}=w_t-\eta(Gw_t+\xi_t)`,
:math:`G=\sum_i\lambda_iu_iu_i^T` (:math:`\lambda_1\ge\dots\ge\lambda_d>0`),
:math:`\mathcal L(w)=\frac12w^TGw`; second moments :math:`m_{t,i}=\mathbb Ew_{t,i}^2` follow (8);
:math:`X_t=\sum_{i\le k}\lambda_im_{t,i}`, :math:`Y_t=\sum_{i>k}\lambda_im_{t,i}`, :math:`D_{t,k}=Y_t/X_t`,
:math:`W_t=X_t/(X_t+Y_t)`, :math:`\Sigma_s=\sum_{i\le k}\lambda_i^2`, :math:`\Sigma_f=\sum_{i>k}\lambda_i^2`,
:math:`\alpha_k=\max_{i\le k}(1-\eta\lambda_i)^2`.  Assumption 5.1:
:math:`A_1\lambda_i\mathcal L(w)\le\mathbb E(u_i^T\xi(w))^2\le A_2\lambda_i\mathcal L(w)`.  Encoded with noise
:math:`\mathbb E(u_i^T\xi(w))^2=a_i\lambda_i\mathcal L(w)`, :math:`A_1\le a_i\le A_2` (any such constants,
not only the tightest), for which (8) closes exactly:
:math:`m_{t+1,i}=(1-\eta\lambda_i)^2m_{t,i}+\frac{\eta^2}2a_i\lambda_i(X_t+Y_t)`.

Statement
---------
As printed, from (12):
:math:`D_{t+1,k}\ge\frac{A_1\Sigma_f}{A_2\Sigma_s}\cdot\big(1+\frac{\alpha_k}{A_2\eta^2\Sigma_s}W_t\big)^{-1}`.
(The middle line of (13) prints :math:`\sum_{i=k+1}^d\lambda_i^2` in the inner denominator; the line after has
:math:`\sum_{i\le k}`, which is what the algebra gives: **typo**.)

As proved
---------
``wang2023.eq13.as_proved``: with the factor restored, (12) reads
:math:`X_{t+1}\le\alpha_kX_t+\frac{A_2}2\eta^2\Sigma_s(X_t+Y_t)`,
:math:`Y_{t+1}\ge\frac{A_1}2\eta^2\Sigma_f(X_t+Y_t)`, and the same algebra gives
:math:`D_{t+1,k}\ge\frac{A_1\Sigma_f}{A_2\Sigma_s}\big(1+\frac{2\alpha_k}{A_2\eta^2\Sigma_s}W_t\big)^{-1}`,
with equality at the counterexample under Finding.

Finding
-------
**Proof-gap** (``wang2023.eq13``, expected to fail; same root as ``wang2023.thm5_2.eq12``): the printed bound
fails under Assumption 5.1: it rests on (12), which drops the 1/2 of :math:`\mathcal L=(X_t+Y_t)/2`
(``wang2023.thm5_2.eq12``).  Smallest counterexample (:data:`COUNTEREXAMPLE`): :math:`d=2`, :math:`k=1`,
:math:`\lambda=(1,\frac12)`, :math:`a=(1,1)` (:math:`A_1=A_2=1`), :math:`\eta=2` (so
:math:`1-\eta\lambda_2=0`), :math:`m_t=(1,1)`: :math:`D_{t+1,1}=0.1875` against the printed :math:`0.2143`
(ratio 0.875); :func:`literal` computes both sides.  Only absolute constants of Theorem 5.2 are affected
(category as for ``wang2023.thm5_2.eq12``).

Evidence
--------
* ``symbolic``: the algebraic step from the corrected (12) to the bound (an identity in positive symbols).
* ``exact``: one exact step of (8) on seeded :math:`d\le6`, every :math:`k<d`, log-uniform spectra and
  coefficients, η from :math:`0.05/\lambda_1` to :math:`3/\lambda_1`, and tight instances (flat eigenvalues
  :math:`=1/\eta`, :math:`a=A_1` on flat and :math:`A_2` on sharp directions).
* ``property``: Hypothesis over :math:`d\le4`, steered to small slack.
  Weakened by 10 %: counterexample (the tight instances attain equality).

References
----------
[wang2023noise, Assumption 5.1, Eq. (8); Appendix D.1, Eqs. (12)–(13)].
"""

from __future__ import annotations

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
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.inputs import INT, REAL, array

from ._common import KEY

SOURCE = Source(KEY, "Appendix D.1, Eq. (13)", page=27)


def _step(inst: dict[str, Any]) -> dict[str, float]:
    lam, a, m, eta, k, A1, A2 = (inst[c] for c in ("lam", "a", "m", "eta", "k", "A1", "A2"))
    XY = float(lam @ m)  # X_t + Y_t = 2L
    m1 = (1 - eta * lam) ** 2 * m + 0.5 * eta**2 * a * lam * XY
    Ss, Sf = float(lam[:k] @ lam[:k]), float(lam[k:] @ lam[k:])
    return {
        "D1": float(lam[k:] @ m1[k:]) / float(lam[:k] @ m1[:k]),
        "lead": A1 * Sf / (A2 * Ss),
        "q": float(np.max((1 - eta * lam[:k]) ** 2)) / (A2 * eta**2 * Ss) * float(lam[:k] @ m[:k]) / XY,
    }


def _step_exact(inst: dict[str, Any]) -> dict[str, Fraction]:
    """:func:`_step` in exact rationals (the float inputs read exactly)."""
    lam, a, m = ([Fraction(float(x)) for x in inst[c]] for c in ("lam", "a", "m"))
    eta, A1, A2 = (Fraction(inst[c]) for c in ("eta", "A1", "A2"))
    k = inst["k"]
    XY = sum(li * mi for li, mi in zip(lam, m, strict=True))
    m1 = [(1 - eta * li) ** 2 * mi + eta**2 * ai * li * XY / 2 for li, ai, mi in zip(lam, a, m, strict=True)]
    Ss, Sf = sum(li * li for li in lam[:k]), sum(li * li for li in lam[k:])
    X = sum(li * mi for li, mi in zip(lam[:k], m[:k], strict=True))
    return {
        "D1": sum(li * mi for li, mi in zip(lam[k:], m1[k:], strict=True))
        / sum(li * mi for li, mi in zip(lam[:k], m1[:k], strict=True)),
        "lead": A1 * Sf / (A2 * Ss),
        "q": max((1 - eta * li) ** 2 for li in lam[:k]) / (A2 * eta**2 * Ss) * X / XY,
    }


def literal_exact(inst: dict[str, Any]) -> Comparison:
    """:func:`literal` in exact rational arithmetic (the high-precision re-check)."""
    s = _step_exact(inst)
    return Comparison(s["D1"], s["lead"] / (1 + s["q"]), ">=", "D_{t+1,k}", "(13) as printed")


def literal(inst: dict[str, Any]) -> Comparison:
    """D_{t+1,k} against the printed right side of (13) (false: see the module docstring)."""
    s = _step(inst)
    return Comparison(s["D1"], s["lead"] / (1 + s["q"]), ">=", "D_{t+1,k}", "(13) as printed")


def as_proved(inst: dict[str, Any]) -> Comparison:
    """D_{t+1,k} against the right side of (13) with α_k doubled (the factor 1/2 of (12) restored)."""
    s = _step(inst)
    return Comparison(
        s["D1"], s["lead"] / (1 + 2 * s["q"]), ">=", "D_{t+1,k}", "A₁Σ_f/(A₂Σ_s)·(1 + 2α_kW_t/(A₂η²Σ_s))⁻¹"
    )


def _ok(inst: dict[str, Any]) -> bool:
    lam, a, m, k, A1, A2 = (inst[c] for c in ("lam", "a", "m", "k", "A1", "A2"))
    return bool(
        lam.ndim == 1
        and lam.shape == a.shape == m.shape
        and 1 <= k < lam.size
        and np.all(lam > 0)
        and np.all(np.diff(lam) <= 0)
        and 0 < A1 <= a.min()
        and a.max() <= A2
        and np.all(m >= 0)
        and float(lam @ m) > 0
        and inst["eta"] > 0
    )


def _tight(lam1: float, lamf: float, A1: float, A2: float, m: np.ndarray, d: int) -> dict[str, Any]:
    """Flat eigenvalues all 1/η (no gradient part there), a = A₁ on flat, A₂ on the sharp direction."""
    lam = np.r_[lam1, np.full(d - 1, lamf)]
    return {
        "lam": lam,
        "a": np.r_[A2, np.full(d - 1, A1)],
        "m": m,
        "eta": 1 / lamf,
        "k": 1,
        "A1": A1,
        "A2": A2,
    }


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        d = int(rng.integers(2, 7))
        lam = np.sort(np.exp(rng.uniform(-3, 0, d)))[::-1]
        m = np.exp(rng.uniform(-4, 1, d)) * (rng.random(d) < 0.8)
        m[0] = max(m[0], 1e-3)
        A1 = float(np.exp(rng.uniform(-2, 1)))
        A2 = A1 * float(np.exp(rng.uniform(0, 2)))
        if i % 3 == 0:
            out.append(_tight(lam[0], float(lam[1]) / 2 + 1e-3, A1, A2, m, d))
            continue
        a = rng.uniform(A1, A2, d)
        eta = float(np.exp(rng.uniform(np.log(0.05), np.log(3.0)))) / lam[0]
        out.append({"lam": lam, "a": a, "m": m, "eta": eta, "k": int(rng.integers(1, d)), "A1": A1, "A2": A2})
    return out


def _strategy() -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def build(draw: Any) -> dict[str, Any]:
        d = draw(st.integers(2, 4))
        vec = st.lists(st.floats(-3.0, 0.0), min_size=d, max_size=d)
        lam = np.sort(np.exp(draw(vec)))[::-1]
        A1, spread = float(np.exp(draw(st.floats(-2.0, 1.0)))), float(np.exp(draw(st.floats(0.0, 2.0))))
        u = np.asarray(draw(st.lists(st.floats(0.0, 1.0), min_size=d, max_size=d)))
        m = np.exp(np.asarray(draw(vec)) * 2)
        eta = float(np.exp(draw(st.floats(-3.0, 1.1)))) / lam[0]
        k = draw(st.integers(1, d - 1))
        return {"lam": lam, "a": A1 * spread**u, "m": m, "eta": eta, "k": k, "A1": A1, "A2": A1 * spread}

    return build()


def _symbolic() -> list[Any]:
    import sympy as sp

    A1, A2, eta, Ss, Sf, X, Y, alpha = sp.symbols("A1 A2 eta S_s S_f X Y alpha", positive=True)
    step = (A1 / 2 * eta**2 * Sf * (X + Y)) / (alpha * X + A2 / 2 * eta**2 * Ss * (X + Y))
    bound = A1 * Sf / (A2 * Ss) / (1 + 2 * alpha / (A2 * eta**2 * Ss) * X / (X + Y))
    return [Identity(step, bound, "(A₁/2)η²Σ_f(X+Y)/(αX + (A₂/2)η²Σ_s(X+Y)) = bound of (13) with 2α")]


COUNTEREXAMPLE = {
    "lam": np.array([1.0, 0.5]),
    "a": np.array([1.0, 1.0]),
    "m": np.array([1.0, 1.0]),
    "eta": 2.0,
    "k": 1,
    "A1": 1.0,
    "A2": 1.0,
}

INPUTS = {"lam": array(), "a": array(), "m": array(), "eta": REAL, "k": INT, "A1": REAL, "A2": REAL}

AS_PROVED = Claim(
    id="wang2023.eq13.as_proved",
    title="D_{t+1,k} ≥ A₁Σ_f/(A₂Σ_s)·(1 + 2α_kW_t/(A₂η²Σ_s))⁻¹ (Eq. (13) with (12)'s factor 2 restored)",
    source=SOURCE,
    statement=r"$D_{t+1,k}\ge\frac{A_1\sum_{i>k}\lambda_i^2}{A_2\sum_{i\le k}\lambda_i^2}\Big(1+"
    r"\frac{2\max_{i\le k}(1-\eta\lambda_i)^2}{A_2\eta^2\sum_{i\le k}\lambda_i^2}"
    r"\frac{X_t}{X_t+Y_t}\Big)^{-1}$.",
    hypotheses=(
        Hypothesis("λ decreasing > 0, 1 ≤ k < d, 0 < A₁ ≤ a_i ≤ A₂, m ≥ 0, X_t + Y_t > 0, η > 0", _ok),
    ),
    conclusion=as_proved,
    inputs=INPUTS,
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck("exact", _generate, fixed=[COUNTEREXAMPLE]),
        PropertyCheck("property", _strategy(), max_examples=80),
    ),
    tolerance=Tolerance(rtol=1e-9, atol=1e-14),
)

LITERAL = Claim(
    id="wang2023.eq13",
    title="D_{t+1,k} ≥ A₁Σ_f/(A₂Σ_s)·(1 + α_kW_t/(A₂η²Σ_s))⁻¹ (Eq. (13) as printed)",
    source=SOURCE,
    statement=r"$D_{t+1,k}\ge\frac{A_1\sum_{i>k}\lambda_i^2}{A_2\sum_{i\le k}\lambda_i^2}\Big(1+"
    r"\frac{\max_{i\le k}(1-\eta\lambda_i)^2}{A_2\eta^2\sum_{i\le k}\lambda_i^2}"
    r"\frac{X_t}{X_t+Y_t}\Big)^{-1}$ under Assumption 5.1.",
    hypotheses=AS_PROVED.hypotheses,
    conclusion=literal,
    inputs=INPUTS,
    precise_conclusion=literal_exact,
    checks=(ExactCheck("exact", _generate, fixed=[COUNTEREXAMPLE]),),
    tolerance=Tolerance(rtol=1e-9, atol=1e-14),
    expected=Expected.fails(
        "same root as `wang2023.thm5_2.eq12`: Eq. (13) is derived from (12), which drops the 1/2 of "
        "L = (X_t+Y_t)/2; d = 2, k = 1, λ = (1, 1/2), A₁ = A₂ = a_i = 1, η = 2, m_t = (1, 1): "
        "D_{t+1,1} = 0.1875 < 0.2143 printed; with the factor restored it holds "
        "(`wang2023.eq13.as_proved`)",
        "docs/errata/wang2023.eq13__exact.md",
        finding="proof-gap",
    ),
)

CLAIMS = [AS_PROVED, LITERAL]
