r"""Wang & Wu (2023), Theorem 5.2 with the explicit constants of its proof (App. D.1).

Setting
-------
Linearized dynamics at an interpolating minimum, :math:`w_{t+1}=w_t-\eta(Gw_t+\xi_t)`,
:math:`G=\sum_i\lambda_iu_iu_i^T` (:math:`\lambda_1\ge\dots\ge\lambda_d>0`),
:math:`\mathcal L(w)=\frac12w^TGw`, :math:`\eta=\beta/\|G\|_F`, mean-zero noise obeying Assumption 5.1:
:math:`A_1\lambda_i\mathcal L(w)\le\mathbb E(u_i^T\xi)^2\le A_2\lambda_i\mathcal L(w)`.  Second moments
:math:`m_{t,i}=\mathbb Ew_{t,i}^2` follow (8); :math:`X_t=\sum_{i\le k}\lambda_im_{t,i}`,
:math:`Y_t=\sum_{i>k}\lambda_im_{t,i}`, :math:`D_{t,k}=Y_t/X_t`, :math:`W_0=X_0/(X_0+Y_0)`,
:math:`\Sigma_s=\sum_{i\le k}\lambda_i^2`, :math:`\Sigma_f=\sum_{i>k}\lambda_i^2`.

Statement
---------
App. D.1, last display: if :math:`\beta\ge1.1/\sqrt{A_1}`, then for every
:math:`t\ge\max\{1,\log(1/(W_0A_2\eta^2\Sigma_s))/\log(A_1\beta^2)\}`, :math:`D_{t+1,k}\ge
A_1\Sigma_f/(\max\{3A_2,A_2+1\}\Sigma_s)`.

As proved
---------
``wang2023.thm5_2.constants.as_proved`` (holds): with :math:`a_1=A_1/2`, :math:`a_2=A_2/2`: if
:math:`\beta\ge1.1/\sqrt{a_1}` and :math:`t\ge\max\{1,\log(1/(W_0a_2\eta^2\Sigma_s))/\log(a_1\beta^2)\}`,
then :math:`D_{t+1,k}\ge a_1\Sigma_f/(\max\{(1+\frac1{1-\rho})a_2,\,a_2+1\}\Sigma_s)`.  Tightest ratio
found 1.019 (:math:`\lambda=(1,0.0566)`, :math:`a=(1.023,0.0204)`, β = 77.3, Case II), so the
constants of the corrected argument are nearly attained.

Finding
-------
**Proof-gap** (the proof's explicit constants, not the theorem's absolute ones): ``wang2023.thm5_2.constants``
(expected to fail) is false.  Smallest clean counterexample :math:`d=2`, :math:`k=1`,
:math:`\lambda=(1,\frac12)`, :math:`a=(\frac12,\frac12)`, β = 10, :math:`m_0=(1,1)`:
:math:`\inf_tD_{t+1}=0.0740` against the bound :math:`1/12=0.0833` (ratio 0.89); the ratio falls to 0.52
(:math:`\lambda_2=0.05`, :math:`a=0.02`, β = 100).  Two steps of App. D.1 fail: (i) Eq. (12) drops the factor
1/2 of :math:`\mathcal L=(X_t+Y_t)/2` (``wang2023.thm5_2.eq12``), so the lower bounds hold with :math:`A_1/2`;
(ii) Case I bounds :math:`\frac{1-A^t}{1-A}B` by :math:`B`, but :math:`\frac{1-A^t}{1-A}\ge1`; the geometric
sum gives :math:`B/(1-A)` with :math:`A\le\rho=1/(a_1\beta^2)`, which turns the factor 3 into
:math:`1+1/(1-\rho)` (up to 6.8 at :math:`\beta=1.1/\sqrt{a_1}`). (Exact batch-one SGD noise did not violate
the printed constants in the exploration recorded in ``thm5_2.py``; this noise is not of the diagonal form
used here.)

Evidence
--------
Encoding: the proof uses only (8) and Assumption 5.1, so the claims are checked on noise that meets the
assumption exactly: :math:`\xi\sim\mathcal N(0,\mathcal L(w)\sum_ia_i\lambda_iu_iu_i^T)`, i.e. :math:`\mathbb
E(u_i^T\xi)^2=a_i\lambda_i\mathcal L(w)` for all :math:`w`, with :math:`A_1=\min_ia_i`, :math:`A_2=\max_ia_i`
(the best constants).  Then (8) closes exactly:
:math:`m_{t+1,i}=(1-\eta\lambda_i)^2m_{t,i}+\frac{\eta^2}2a_i\lambda_i\sum_j\lambda_jm_{t,j}`.  The
conclusion's :math:`\inf_{t\ge t^*}D_{t+1,k}` is the minimum over :math:`t^*\le t\le t^*+200` (normalised
iteration) and the limit :math:`t\to\infty` (the Perron vector of the positive recursion matrix).

* ``symbolic`` (``as_proved``): the corrected proof steps — Case II's :math:`\eta^2\lambda_1^2\ge
  \max\{1,(\eta\lambda_1-1)^2\}`, the geometric sum :math:`B\frac{1-A^t}{1-A}\le\frac B{1-A}`, and the final
  :math:`1+\alpha_kW_t/(a_2\eta^2\Sigma_s)\le1+\frac1{1-\rho}` — as sign conditions in positive symbols.
* ``exact``: the fixed instances above and seeded :math:`d\le5`, all :math:`k<d`, log-uniform spectra and
  noise coefficients (equal in one instance of three), β from the threshold to :math:`e^2` times it.
* ``property``: Hypothesis over :math:`d\le4` spectra, coefficients, β and :math:`m_0`, steered to small
  ratio.
* A violation of the printed constants is re-checked in mpmath at 50 digits (:func:`literal_mp`: η, t*,
  the moment recursion and its Perron vector at that precision).

References
----------
[wang2023noise, Theorem 5.2, Assumption 5.1; Appendix D.1, Eqs. (12)–(13) and the final display].
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
    Nonnegative,
    PropertyCheck,
    Source,
    SymbolicCheck,
    Tolerance,
)
from verifythm.claims.inputs import INT, REAL, array
from verifythm.linalg.precise import DPS, mpf_array

from ._common import KEY

SOURCE = Source(KEY, "Theorem 5.2; App. D.1 (final display)", page=27)
HORIZON, T_MAX = 200, 10_000


def _parts(inst: dict[str, Any], halved: bool) -> dict[str, Any]:
    lam, a, m0, k, beta = (inst[c] for c in ("lam", "a", "m0", "k", "beta"))
    A1, A2 = (a.min() / 2, a.max() / 2) if halved else (a.min(), a.max())
    eta = beta / float(np.sqrt(lam @ lam))
    Ss, Sf = float(lam[:k] @ lam[:k]), float(lam[k:] @ lam[k:])
    X0, Y0 = float(lam[:k] @ m0[:k]), float(lam[k:] @ m0[k:])
    W0 = X0 / (X0 + Y0)
    tlog = np.log(1 / (W0 * A2 * eta**2 * Ss)) / np.log(A1 * beta**2) if A1 * beta**2 > 1 else np.inf
    return {
        "lam": lam,
        "a": a,
        "m0": m0,
        "k": k,
        "beta": beta,
        "A1": A1,
        "A2": A2,
        "eta": eta,
        "Ss": Ss,
        "Sf": Sf,
        "W0": W0,
        "tstar": max(1, int(np.ceil(tlog))) if np.isfinite(tlog) else T_MAX + 1,
    }


def inf_ratio_d(p: dict[str, Any]) -> float:
    r""":math:`\inf_{t\ge t^*}D_{t+1,k}`: min over a window of the exact moment recursion and its limit."""
    lam, a, eta, k = p["lam"], p["a"], p["eta"], p["k"]
    M = np.diag((1 - eta * lam) ** 2) + 0.5 * eta**2 * np.outer(a * lam, lam)
    m = p["m0"] / p["m0"].sum()
    ds = []
    for t in range(p["tstar"] + HORIZON + 1):
        m = M @ m
        m /= m.sum()
        if t + 1 >= p["tstar"] + 1:
            ds.append(float(lam[k:] @ m[k:]) / float(lam[:k] @ m[:k]))
    vals, vecs = np.linalg.eig(M)
    v = np.abs(np.real(vecs[:, int(np.argmax(np.real(vals)))]))
    ds.append(float(lam[k:] @ v[k:]) / float(lam[:k] @ v[:k]))
    return min(ds)


def literal(inst: dict[str, Any]) -> Comparison:
    """inf_{t ≥ t*} D_{t+1,k} against A₁Σ_f/(max{3A₂, A₂+1}Σ_s) (printed constants)."""
    p = _parts(inst, halved=False)
    bound = p["A1"] * p["Sf"] / (max(3 * p["A2"], p["A2"] + 1) * p["Ss"])
    return Comparison(inf_ratio_d(p), bound, ">=", "inf_{t≥t*} D_{t+1,k}", "A₁Σ_f/(max{3A₂,A₂+1}Σ_s)")


def literal_mp(inst: dict[str, Any]) -> Comparison:
    """:func:`literal` in mpmath at 50 digits: η = β/‖G‖_F, t*, the recursion and its Perron vector.

    The float inputs are read exactly; t* is recomputed at that precision too.  The high-precision
    re-check of ``wang2023.thm5_2.constants``.
    """
    import mpmath

    with mpmath.workdps(DPS):
        lam, a, m0 = (mpf_array(inst[c]) for c in ("lam", "a", "m0"))
        k, beta = inst["k"], mpmath.mpf(inst["beta"])
        A1, A2 = min(a), max(a)
        eta = beta / mpmath.sqrt(mpmath.fsum(lam * lam))
        Ss, Sf = mpmath.fsum(lam[:k] ** 2), mpmath.fsum(lam[k:] ** 2)
        X0, Y0 = mpmath.fsum(lam[:k] * m0[:k]), mpmath.fsum(lam[k:] * m0[k:])
        W0 = X0 / (X0 + Y0)
        if A1 * beta**2 > 1:
            tlog = mpmath.log(1 / (W0 * A2 * eta**2 * Ss)) / mpmath.log(A1 * beta**2)
            tstar = max(1, int(mpmath.ceil(tlog)))
        else:
            tstar = T_MAX + 1
        d = lam.shape[0]
        M = np.array(
            [
                [(1 - eta * lam[i]) ** 2 * (i == j) + eta**2 * a[i] * lam[i] * lam[j] / 2 for j in range(d)]
                for i in range(d)
            ],
            dtype=object,
        )

        def ratio(v: Any) -> Any:
            return mpmath.fsum(lam[k:] * v[k:]) / mpmath.fsum(lam[:k] * v[:k])

        m = m0 / mpmath.fsum(m0)
        ds = []
        for t in range(tstar + HORIZON + 1):
            m = M.dot(m)
            m = m / mpmath.fsum(m)
            if t >= tstar:
                ds.append(ratio(m))
        vals, vecs = mpmath.eig(mpmath.matrix(M.tolist()))
        top = max(range(d), key=lambda i: mpmath.re(vals[i]))
        ds.append(ratio(np.array([abs(mpmath.re(vecs[i, top])) for i in range(d)], dtype=object)))
        bound = A1 * Sf / (max(3 * A2, A2 + 1) * Ss)
        return Comparison(min(ds), bound, ">=", "inf_{t≥t*} D_{t+1,k}", "A₁Σ_f/(max{3A₂,A₂+1}Σ_s)")


def as_proved(inst: dict[str, Any]) -> Comparison:
    """inf_{t ≥ t*} D_{t+1,k} against a₁Σ_f/(max{(1+1/(1−ρ))a₂, a₂+1}Σ_s), a = A/2, ρ = 1/(a₁β²)."""
    p = _parts(inst, halved=True)
    rho = 1 / (p["A1"] * p["beta"] ** 2)
    bound = p["A1"] * p["Sf"] / (max((1 + 1 / (1 - rho)) * p["A2"], p["A2"] + 1) * p["Ss"])
    return Comparison(
        inf_ratio_d(p), bound, ">=", "inf_{t≥t*} D_{t+1,k}", "a₁Σ_f/(max{(1+1/(1−ρ))a₂,a₂+1}Σ_s)"
    )


INPUTS = {"lam": array(), "a": array(), "m0": array(), "k": INT, "beta": REAL}


def _hyp(halved: bool) -> Hypothesis:
    def ok(i: dict[str, Any]) -> bool:
        lam, a, m0, k = (i[c] for c in ("lam", "a", "m0", "k"))
        if not (lam.ndim == 1 and lam.shape == a.shape == m0.shape and 1 <= k < lam.size):
            return False
        if np.any(lam <= 0) or np.any(np.diff(lam) > 0) or np.any(a <= 0) or np.any(m0 < 0):
            return False
        if float(lam[:k] @ m0[:k]) <= 0 or float(lam[k:] @ m0[k:]) < 0:
            return False
        p = _parts(i, halved)
        return bool(p["beta"] >= 1.1 / np.sqrt(p["A1"]) and p["tstar"] <= T_MAX)

    name = "a₁ = A₁/2" if halved else "A₁"
    return Hypothesis(f"λ decreasing > 0, a > 0, 1 ≤ k < d, X₀ > 0, β ≥ 1.1/√{name}, t* ≤ {T_MAX}", ok)


def _generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for i in range(k):
        d = int(rng.integers(2, 6))
        lam = np.sort(np.exp(rng.uniform(-3, 0, d)))[::-1]
        lam[0] = 1.0
        a = np.exp(rng.uniform(-4, 2, d))
        if i % 3 == 0:
            a[:] = a[0]
        beta = 1.1 * np.sqrt(2 / a.min()) * float(np.exp(rng.uniform(0, 2)))  # above both thresholds
        out.append(
            {
                "lam": lam,
                "a": a,
                "beta": beta,
                "m0": np.exp(rng.uniform(-6, 0, d)),
                "k": int(rng.integers(1, d)),
            }
        )
    return out


SMALLEST = {"lam": np.array([1.0, 0.5]), "a": np.array([0.5, 0.5]), "beta": 10.0, "m0": np.ones(2), "k": 1}
WORST = {
    "lam": np.array([1.0, 0.05]),
    "a": np.array([0.02, 0.02]),
    "beta": 100.0,
    "m0": np.array([1.0, 0.01]),
    "k": 1,
}
TIGHT = {
    "lam": np.array([1.0, 0.05657401]),
    "a": np.array([1.02274504, 0.02038083]),
    "beta": 77.31720188333266,
    "m0": np.array([0.12822124, 0.00435586]),
    "k": 1,
}


def _strategy() -> Any:
    def build(d: int) -> Any:
        pos = st.floats(-3.0, 0.0)
        return st.fixed_dictionaries(
            {
                "loglam": st.lists(pos, min_size=d - 1, max_size=d - 1),
                "loga": st.lists(st.floats(-4.0, 2.0), min_size=d, max_size=d),
                "mult": st.floats(1.0, 8.0),
                "logm": st.lists(st.floats(-6.0, 0.0), min_size=d, max_size=d),
                "k": st.integers(1, d - 1),
            }
        ).map(
            lambda r: {
                "lam": np.r_[1.0, np.sort(np.exp(r["loglam"]))[::-1]],
                "a": np.exp(r["loga"]),
                "beta": 1.1 * np.sqrt(2 / np.exp(min(r["loga"]))) * r["mult"],
                "m0": np.exp(r["logm"]),
                "k": r["k"],
            }
        )

    return st.integers(2, 4).flatmap(build)


def _symbolic() -> list[Any]:
    """The corrected steps of App. D.1, for positive symbols (r = ηλ₁ = 1 + s, A = ρ = 1/(1 + s), …)."""
    import sympy as sp

    s, a, b, B, t = sp.symbols("s a b B t", positive=True)
    return [
        Nonnegative((1 + s) ** 2 - 1, "Case II: η²λ₁² ≥ 1 for ηλ₁ = 1 + s ≥ 1"),
        Nonnegative((1 + s) ** 2 - s**2, "Case II: η²λ₁² ≥ (ηλ₁ − 1)²"),
        Nonnegative(
            B / (1 - 1 / (1 + s)) - B * (1 - (1 + s) ** (-t)) / (1 - 1 / (1 + s)),
            "Case I: B(1 − Aᵗ)/(1 − A) ≤ B/(1 − A) for 0 < A < 1 (not ≤ B, as printed)",
        ),
        Nonnegative(
            (1 + s) / s - 1 / ((1 + a) * (1 + b)) * (1 + s) / s,
            "Case I: αW/(a₂η²Σ_s) ≤ 1/(1 − ρ) for α ≤ 1, W ≤ a₂η²Σ_s/(1 − ρ)",
        ),
    ]


_TOL = Tolerance(rtol=1e-9, atol=1e-14)

LITERAL = Claim(
    id="wang2023.thm5_2.constants",
    title="D_{t+1,k} ≥ A₁Σ_{i>k}λ_i²/(max{3A₂, A₂+1}Σ_{i≤k}λ_i²), β ≥ 1.1/√A₁, t ≥ t* (App. D.1 as printed)",
    source=SOURCE,
    statement=(
        r"If $\eta=\beta/\|G\|_F$, $\beta\ge1.1/\sqrt{A_1}$, then for $t\ge\max\{1,\log(1/(W_0A_2\eta^2"
        r"\sum_{i\le k}\lambda_i^2))/\log(A_1\beta^2)\}$, $D_{t+1,k}\ge A_1\sum_{i>k}\lambda_i^2/"
        r"(\max\{3A_2,A_2+1\}\sum_{i\le k}\lambda_i^2)$."
    ),
    hypotheses=(_hyp(False),),
    conclusion=literal,
    precise_conclusion=literal_mp,
    inputs=INPUTS,
    checks=(ExactCheck("exact", _generate, fixed=[SMALLEST, WORST]),),
    tolerance=_TOL,
    expected=Expected.fails(
        "the explicit constants of App. D.1's last display (not Theorem 5.2's absolute c₁, c₂) fail: besides "
        "Eq. (12)'s factor 1/2, Case I bounds (1−Aᵗ)/(1−A)·B by B; noise with E(u_iᵀξ)² = ½λ_iL, "
        "λ = (1, ½), β = 10, m₀ = (1, 1): inf D = 0.0740 < 1/12 (`…constants.as_proved` holds)",
        "docs/errata/wang2023.thm5_2.constants__exact.md",
        finding="proof-gap",
    ),
)

AS_PROVED = Claim(
    id="wang2023.thm5_2.constants.as_proved",
    title="D_{t+1,k} ≥ a₁Σ_f/(max{(1+1/(1−ρ))a₂, a₂+1}Σ_s), a = A/2, ρ = 1/(a₁β²) (App. D.1 corrected)",
    source=SOURCE,
    statement=(
        r"With $a_1=A_1/2$, $a_2=A_2/2$, $\rho=1/(a_1\beta^2)$: if $\beta\ge1.1/\sqrt{a_1}$ and "
        r"$t\ge\max\{1,\log(1/(W_0a_2\eta^2\Sigma_s))/\log(a_1\beta^2)\}$, then "
        r"$D_{t+1,k}\ge a_1\Sigma_f/(\max\{(1+\frac1{1-\rho})a_2,a_2+1\}\Sigma_s)$."
    ),
    hypotheses=(_hyp(True),),
    conclusion=as_proved,
    inputs=INPUTS,
    checks=(
        SymbolicCheck("symbolic", _symbolic),
        ExactCheck("exact", _generate, fixed=[TIGHT, SMALLEST, WORST]),
        PropertyCheck("property", _strategy(), max_examples=60),
    ),
    tolerance=_TOL,
)

CLAIMS = [LITERAL, AS_PROVED]
