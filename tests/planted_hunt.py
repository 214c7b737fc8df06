"""Planted claims for the counterexample hunter, of increasing difficulty, and true twins.

Each planted false claim comes with checks whose own instances never violate it: only
an active search finds the counterexample.

====================================  ======================================================
planted claim                         what the hunt must do
====================================  ======================================================
``hunt.off10.thm3_3``                 push η to the edge of stability (bound off by 10 %)
``hunt.b1.wor_noise``                 try B = 1 (false for B = 1 only)
``hunt.dim1.lambda_min``              shrink to one dimension (false for d = 1 only)
``hunt.theta.rayleigh``               aim θ at the bottom eigenvector (adversarial θ only)
``hunt.first_moment.abs_growth``      decide a first moment by Monte Carlo (true for the
                                      second moment)
``hunt.scheme.noise_over_b``          try the Bernoulli scheme on correlated gradients
                                      (false for one sampling scheme only)
====================================  ======================================================

``TRUE`` lists true claims on the same instances that no hunt may flag.  The module is
importable by the tests (pytest puts ``tests/`` on ``sys.path``) and by worker processes
and reproduce commands (``--import tests/planted_hunt.py``).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from verifythm_theorems.wu2022alignment import thm3_3
from verifythm_theorems.wu2022alignment._linear import facts
from verifythm_theorems.wu2022alignment._linear import generate as linear_generate

from verifythm import Claim, Comparison, ExactCheck, Hypothesis, Source, Tolerance
from verifythm.dynamics.sampling import batch_distribution
from verifythm.evidence.montecarlo import MonteCarloCheck, MonteCarloConclusion

SRC = Source("wu2022alignment", "planted hunt test")
ALL_SCHEMES = ("with-replacement", "without-replacement", "bernoulli")


# -- 1. Theorem 3.3 with the bound multiplied by 0.9 (seeds only at η ≤ 0.8 η*) -------------
def _low_eta(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = []
    for inst in linear_generate(rng, k):
        crit = facts(inst)["crit"]
        out.append({**inst, "eta": min(float(inst["eta"]), 0.8 * crit)})
    return out


def _thm33_09(inst: dict[str, Any]) -> Comparison:
    cmp = thm3_3.conclusion(inst)
    return Comparison(cmp.lhs, 0.9 * cmp.rhs, "<=", cmp.lhs_label, "0.9·√(B/μ₀)/η")


OFF10 = thm3_3.CLAIM_LITERAL.variant(
    id="hunt.off10.thm3_3",
    title="PLANTED (false): ‖H‖_F ≤ 0.9·√(B/μ₀)/η at linearly stable minima",
    conclusion=_thm33_09,
    precise_conclusion=None,
    checks=(ExactCheck("exact", _low_eta),),
    expected=thm3_3.CLAIM_LITERAL.expected,
)
THM33 = thm3_3.CLAIM_LITERAL.variant(
    id="hunt.true.thm3_3", checks=(ExactCheck("exact", _low_eta),), precise_conclusion=None
)


# -- gradient noise of a mini-batch, exactly by enumeration ---------------------------------
@functools.lru_cache(maxsize=256)
def _batches(sampling: str, n: int, B: int) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities and weight vectors (rows) of every batch of a scheme, as floats."""
    dist = batch_distribution(sampling, n, B)
    return np.array([float(p) for p, _ in dist]), np.array([[float(x) for x in w] for _, w in dist])


def noise_energy(Q: np.ndarray, B: int, sampling: str) -> float:
    r""":math:`\mathbb E\|\hat g-g\|^2` by enumerating every batch of the scheme."""
    Q = np.asarray(Q, dtype=float)
    probs, W = _batches(str(sampling), Q.shape[1], int(B))
    dev = W @ Q.T - Q.mean(axis=1)
    return float(probs @ np.sum(dev**2, axis=1))


def second_moment(Q: np.ndarray) -> float:
    r""":math:`\frac1n\sum_i\|g_i\|^2`: the size rounding errors of the noise energy scale with."""
    return float(np.mean(np.sum(np.asarray(Q, dtype=float) ** 2, axis=0)))


def per_sample_trace(Q: np.ndarray) -> float:
    r""":math:`\operatorname{tr}\Sigma_1=\frac1n\sum_i\|g_i-g\|^2`."""
    Q = np.asarray(Q, dtype=float)
    return float(np.mean(np.sum((Q - Q.mean(axis=1, keepdims=True)) ** 2, axis=0)))


def _gradients(rng: np.random.Generator, k: int, *, b_min: int = 1, schemes=ALL_SCHEMES) -> list[dict]:
    out = []
    for i in range(k):
        n = int(rng.integers(max(2, b_min), 7))
        p = int(rng.integers(1, 5))
        out.append(
            {
                "Q": rng.standard_normal((p, n)),
                "B": int(rng.integers(b_min, n + 1)),
                "sampling": schemes[i % len(schemes)],
            }
        )
    return out


GRAD_HYPS = (
    Hypothesis(
        "1 ≤ B ≤ n, n ≥ 2", lambda i: np.shape(i["Q"])[1] >= 2 and 1 <= int(i["B"]) <= np.shape(i["Q"])[1]
    ),
    Hypothesis("gradients not all equal (tr Σ₁ > 0)", lambda i: per_sample_trace(i["Q"]) > 1e-12),
)


def _wor_bound(factor: float):
    def conclusion(inst: dict[str, Any]) -> Comparison:
        n, B = np.shape(inst["Q"])[1], int(inst["B"])
        rhs = factor * (n - B) / ((B + 1) * (n - 1)) * per_sample_trace(inst["Q"])
        return Comparison(
            noise_energy(inst["Q"], B, "without-replacement"),
            rhs,
            "<=",
            "E‖ĝ−g‖² (without replacement)",
            f"{factor:g}(n−B)/((B+1)(n−1))·tr Σ₁",
            scale=second_moment(inst["Q"]),
        )

    return conclusion


B1 = Claim(
    id="hunt.b1.wor_noise",
    title="PLANTED (false for B = 1 only): without-replacement noise ≤ 1.9(n−B)/((B+1)(n−1))·tr Σ₁",
    source=SRC,
    statement=r"$\mathbb E\|\hat g_B-g\|^2\le 1.9\frac{n-B}{(B+1)(n-1)}\operatorname{tr}\Sigma_1$.",
    hypotheses=GRAD_HYPS,
    conclusion=_wor_bound(1.9),
    checks=(
        ExactCheck("exact", lambda rng, k: _gradients(rng, k, b_min=2, schemes=("without-replacement",))),
    ),
    tolerance=Tolerance(rtol=1e-9, atol=1e-12),
)
B1_TRUE = B1.variant(
    id="hunt.true.wor_noise",
    title="without-replacement noise ≤ 2(n−B)/((B+1)(n−1))·tr Σ₁ (true, equality at B = 1)",
    conclusion=_wor_bound(2.0),
)


# -- 3. λ_min(H) ≤ 0.99 tr H (false only for d = 1) -----------------------------------------
def _wishart(rng: np.random.Generator, k: int) -> list[dict]:
    out = []
    for _ in range(k):
        d = int(rng.integers(2, 6))
        a = rng.standard_normal((d, d + 2))
        out.append({"H": a @ a.T})
    return out


PSD_HYPS = (
    Hypothesis(
        "H symmetric PSD",
        lambda i: np.allclose(i["H"], np.asarray(i["H"]).T) and np.linalg.eigvalsh(i["H"])[0] >= -1e-12,
    ),
    Hypothesis("tr H > 0", lambda i: np.trace(i["H"]) > 1e-12),
)


def _lmin(factor: float | None):
    def conclusion(inst: dict[str, Any]) -> Comparison:
        H = np.asarray(inst["H"], dtype=float)
        f = factor if factor is not None else 1.0 / H.shape[0]
        return Comparison(np.linalg.eigvalsh(H)[0], f * np.trace(H), "<=", "λ_min(H)", "bound·tr H")

    return conclusion


DIM1 = Claim(
    id="hunt.dim1.lambda_min",
    title="PLANTED (false for d = 1 only): λ_min(H) ≤ 0.99·tr H",
    source=SRC,
    statement=r"For nonzero PSD $H$: $\lambda_{\min}(H)\le0.99\operatorname{tr}H$.",
    hypotheses=PSD_HYPS,
    conclusion=_lmin(0.99),
    checks=(ExactCheck("exact", _wishart),),
)
DIM1_TRUE = DIM1.variant(
    id="hunt.true.lambda_min", title="λ_min(H) ≤ tr H / d (true)", conclusion=_lmin(None)
)


# -- 4. θᵀHθ ≥ tr H/(10 d)·‖θ‖² (false only for adversarial θ) -----------------------------
def _spread(rng: np.random.Generator, k: int) -> list[dict]:
    out = []
    for _ in range(k):
        d = int(rng.integers(4, 7))
        u, _ = np.linalg.qr(rng.standard_normal((d, d)))
        w = np.geomspace(1.0, 1e-3, d)
        c = rng.standard_normal(d)
        c[0] = 2.0 + abs(c[0])  # weight on the top eigenvector: random θ is far from violating
        out.append({"H": (u * w) @ u.T, "theta": u @ c})
    return out


def _rayleigh(factor: float):
    def conclusion(inst: dict[str, Any]) -> Comparison:
        H = np.asarray(inst["H"], dtype=float)
        th = np.asarray(inst["theta"], dtype=float)
        q = float(th @ H @ th) / float(th @ th)
        if factor == 0.0:
            return Comparison(q, float(np.linalg.eigvalsh(H)[0]), ">=", "θᵀHθ/‖θ‖²", "λ_min(H)")
        return Comparison(q, factor * np.trace(H) / H.shape[0], ">=", "θᵀHθ/‖θ‖²", "tr H/(10d)")

    return conclusion


THETA = Claim(
    id="hunt.theta.rayleigh",
    title="PLANTED (false for adversarial θ only): θᵀHθ ≥ tr H/(10d)·‖θ‖² for every θ ≠ 0",
    source=SRC,
    statement=r"For PSD $H$ and every $\theta\ne0$: "
    r"$\theta^TH\theta\ge\frac{\operatorname{tr}H}{10d}\|\theta\|^2$.",
    hypotheses=(*PSD_HYPS, Hypothesis("θ ≠ 0", lambda i: float(np.dot(i["theta"], i["theta"])) > 0)),
    conclusion=_rayleigh(0.1),
    checks=(ExactCheck("exact", _spread),),
)
THETA_TRUE = THETA.variant(
    id="hunt.true.rayleigh", title="θᵀHθ ≥ λ_min(H)‖θ‖² (true)", conclusion=_rayleigh(0.0)
)


# -- 5. first moment versus second moment of one-dimensional linearized SGD -----------------
def _factors(inst: dict[str, Any]) -> tuple[np.ndarray, float]:
    """1 − ηĥ over every with-replacement batch (equally likely) and ρ = E[(1 − ηĥ)²]."""
    h = np.asarray(inst["h"], dtype=float)
    B, eta = int(inst["B"]), float(inst["eta"])
    _, W = _batches("with-replacement", h.size, B)
    f = 1.0 - eta * (W @ h)
    return f, float(np.mean(f**2))


def _abs_samples(inst: dict[str, Any], rng: np.random.Generator, m: int) -> np.ndarray:
    f, _ = _factors(inst)
    t = int(inst["t"])
    return np.prod(np.abs(f[rng.integers(f.size, size=(m, t))]), axis=1)


def _abs_range(inst: dict[str, Any]) -> float:
    f, _ = _factors(inst)
    return float(np.max(np.abs(f))) ** int(inst["t"])


def _growth_bound(inst: dict[str, Any]) -> float:
    return _factors(inst)[1] ** (int(inst["t"]) / 2)


def _scalar_sgd(rng: np.random.Generator, k: int) -> list[dict]:
    out = []
    for _ in range(k):
        n = int(rng.integers(2, 5))
        level = float(rng.uniform(0.2, 2.0))
        out.append(
            {
                # nearly equal curvatures: |w_t| is nearly deterministic, the first moment is
                # within Monte Carlo error of ρ^{t/2} and no decision can be made there
                "h": level * (1.0 + 0.01 * rng.uniform(-1.0, 1.0, n)),
                "eta": float(rng.uniform(0.2, 1.5)),
                "B": int(rng.integers(1, 3)) if n > 2 else 1,
                "t": int(rng.integers(1, 4)),
            }
        )
    return out


SCALAR_HYPS = (
    Hypothesis(
        "h_i ≥ 0, 1 ≤ B ≤ min(n, 3), n ≤ 5",
        lambda i: (
            bool(np.all(np.asarray(i["h"]) >= 0))
            and 1 <= int(i["B"]) <= min(np.size(i["h"]), 3)
            and np.size(i["h"]) <= 5
        ),
    ),
    Hypothesis("η > 0, 1 ≤ t ≤ 4", lambda i: float(i["eta"]) > 0 and 1 <= int(i["t"]) <= 4),
)

ABS_MC = MonteCarloConclusion(
    _abs_samples,
    _growth_bound,
    ">=",
    m=4000,
    value_range=_abs_range,
    lhs_label="E|w_t|",
    rhs_label="ρ^{t/2}|w_0|",
)
FIRST = Claim(
    id="hunt.first_moment.abs_growth",
    title="PLANTED (false for the first moment only): E|w_t| ≥ ρ(T)^{t/2}|w_0| for 1-D linearized SGD",
    source=SRC,
    statement=r"One-dimensional linearized SGD $w_{t+1}=(1-\eta\hat h_t)w_t$, $w_0=1$: "
    r"$\mathbb E|w_t|\ge\rho^{t/2}$ with $\rho=\mathbb E(1-\eta\hat h)^2$.",
    hypotheses=SCALAR_HYPS,
    conclusion=ABS_MC,
    precise_conclusion=ABS_MC.replicate,
    checks=(MonteCarloCheck("monte_carlo", _scalar_sgd),),
)
JENSEN_MC = MonteCarloConclusion(
    _abs_samples, _growth_bound, "<=", m=4000, value_range=_abs_range, lhs_label="E|w_t|", rhs_label="ρ^{t/2}"
)
FIRST_TRUE = FIRST.variant(
    id="hunt.true.abs_jensen",
    title="E|w_t| ≤ ρ^{t/2} (true, Jensen), decided by Monte Carlo",
    conclusion=JENSEN_MC,
    precise_conclusion=JENSEN_MC.replicate,
)


def _second_exact(inst: dict[str, Any]) -> Comparison:
    f, rho = _factors(inst)
    t = int(inst["t"])
    # E[w_t²] = (E f²)^t by independence, computed by enumerating the t-step products
    prods = np.ones(1)
    for _ in range(t):
        prods = np.outer(prods, f).ravel()
    return Comparison(float(np.mean(prods**2)), rho**t, ">=", "E[w_t²] (enumerated)", "ρ^t")


SECOND_TRUE = Claim(
    id="hunt.true.second_moment",
    title="E[w_t²] ≥ ρ^t (true, equality), by exact enumeration",
    source=SRC,
    statement=r"$\mathbb E[w_t^2]\ge\rho^t$.",
    hypotheses=SCALAR_HYPS,
    conclusion=_second_exact,
    checks=(ExactCheck("exact", _scalar_sgd),),
    kind="inequality",
)


# -- 6. E‖ĝ − g‖² ≤ tr Σ₁ / B for every scheme (false for Bernoulli only) -------------------
def _noise_over_b(inst: dict[str, Any]) -> Comparison:
    B = int(inst["B"])
    s = str(inst["sampling"])
    return Comparison(
        noise_energy(inst["Q"], B, s),
        per_sample_trace(inst["Q"]) / B,
        "<=",
        f"E‖ĝ−g‖² ({s})",
        "tr Σ₁/B",
        scale=second_moment(inst["Q"]),
    )


SCHEME = Claim(
    id="hunt.scheme.noise_over_b",
    title="PLANTED (false for Bernoulli only): E‖ĝ−g‖² ≤ tr Σ₁/B for every sampling scheme",
    source=SRC,
    statement=r"For every scheme (with, without replacement, Bernoulli): "
    r"$\mathbb E\|\hat g-g\|^2\le\operatorname{tr}\Sigma_1/B$.",
    hypotheses=GRAD_HYPS,
    conclusion=_noise_over_b,
    checks=(ExactCheck("exact", lambda rng, k: _gradients(rng, k, schemes=ALL_SCHEMES[:2])),),
    domains={"sampling": ALL_SCHEMES},
)
SCHEME_TRUE = SCHEME.variant(
    id="hunt.true.noise_over_b",
    title="E‖ĝ−g‖² ≤ tr Σ₁/B with and without replacement (true)",
    domains={"sampling": ALL_SCHEMES[:2]},
)

PLANTED = [OFF10, B1, DIM1, THETA, FIRST, SCHEME]
TRUE = [THM33, B1_TRUE, DIM1_TRUE, THETA_TRUE, FIRST_TRUE, SECOND_TRUE, SCHEME_TRUE]
CLAIMS = [*PLANTED, *TRUE]


# -- for the planted benchmark (benchmarks/bench_hunt.py, tests/catalogue/test_planted_benchmark.py) --
#: Known witnesses: instances that meet the hypotheses and violate the planted claim (the
#: Theorem 3.3 and first-moment claims are found by search only; the tests check the others).
WITNESSES: dict[str, dict[str, Any]] = {
    B1.id: {"Q": np.array([[1.0, -1.0]]), "B": 1},
    DIM1.id: {"H": np.array([[1.0]])},
    THETA.id: {"H": np.diag([1.0, 1.0, 1.0, 1e-3]), "theta": np.array([0.0, 0.0, 0.0, 1.0])},
    SCHEME.id: {"Q": np.array([[1.0, 2.0]]), "B": 1, "sampling": "bernoulli"},
}
#: The true twin of each planted claim (``SECOND_TRUE`` is a second twin of ``FIRST``).
TWIN_OF: dict[str, Claim] = {
    OFF10.id: THM33,
    B1.id: B1_TRUE,
    DIM1.id: DIM1_TRUE,
    THETA.id: THETA_TRUE,
    FIRST.id: FIRST_TRUE,
    SCHEME.id: SCHEME_TRUE,
}
