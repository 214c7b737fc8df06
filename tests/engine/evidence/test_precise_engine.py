"""The engine in high precision: agreement with float64, exactness, the context switch, judge's re-check."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from verifythm import Claim, Comparison, ExactCheck, Source, Tolerance
from verifythm.dynamics import (
    SCHEMES,
    Family,
    NoiseModel,
    critical_learning_rate,
    critical_learning_rates,
    gd_threshold,
    spectral_radius,
    stability,
)
from verifythm.dynamics import precise as DP
from verifythm.dynamics.precise import (
    PrecisionLog,
    critical_learning_rate_precise,
    engine_precision,
    lambda_max_precise,
    spectral_radius_precise,
)
from verifythm.evidence.base import Context
from verifythm.evidence.numeric import NO_RECHECK, PrecisionDisagreement, judge
from verifythm.linalg import precise as P
from verifythm.quantities import (
    alignment_extremes,
    alignment_factors,
    coherence,
    feature_alignment_extremes,
    loss_alignment,
)
from verifythm.quantities.precise import alignment_factors_exact, coherence_precise
from verifythm.runner import run_claim

RTOL = 1e-10
SRC = Source("dexter2024precise", "test")


def _families(seed: int) -> dict[str, Family]:
    rng = np.random.default_rng(seed)
    n, d = 5, 3
    A = rng.standard_normal((n, d, 2))
    return {
        "dense": Family.from_hessians(np.einsum("nik,njk->nij", A, A)),
        "rank-one": Family.from_gradients(rng.standard_normal((n, 4))),
        "diagonal": Family.from_diagonals(rng.random((n, d))),
    }


def _rel(a: float, b: float) -> float:
    return abs(a - b) / max(abs(a), abs(b))


@pytest.mark.parametrize("seed", [0, 1])
def test_precise_eta_star_and_rho_agree_with_float64_for_every_scheme_and_kind(seed):
    for kind, fam in _families(seed).items():
        for s in SCHEMES:
            noise = NoiseModel.build(fam, 2, s)
            eta = critical_learning_rate(noise).value
            p = critical_learning_rate_precise(noise)
            assert _rel(float(p.value), eta) < RTOL, (kind, s)
            assert p.kind == ("exact" if kind == "diagonal" else "mpmath")
            for t in (0.5, 1.0, 1.5):
                rho = spectral_radius(noise, t * eta).value
                assert _rel(float(spectral_radius_precise(noise, t * eta).value), rho) < RTOL, (kind, s, t)
        assert _rel(float(lambda_max_precise(fam).value), fam.lambda_max) < RTOL


def test_exact_rationals_on_diagonal_families():
    # D has rational entries; h_j, the variances and the noise constants are rational, so η* and ρ
    # are the closed forms min_j 2h_j/q_j and max_j (1 − 2ηh_j + η²q_j), exactly.
    D = np.array([[1.0, 0.5], [0.0, 0.25], [3.0, 0.75]])
    fam = Family.from_diagonals(D)
    n = 3
    cols = [[Fraction(x) for x in D[:, j]] for j in range(2)]
    h = [sum(c) / n for c in cols]
    for s, c in (("with-replacement", Fraction(1, 2)), ("without-replacement", Fraction(1, 4))):
        v = [sum((x - h[j]) ** 2 for x in cols[j]) / n for j in range(2)]
        q = [h[j] ** 2 + c * v[j] for j in range(2)]
        noise = NoiseModel.build(fam, 2, s)
        assert critical_learning_rate_precise(noise).value == min(2 * h[j] / q[j] for j in range(2))
        eta = 0.375  # a float, hence the rational 3/8
        rho = max(1 - 2 * Fraction(eta) * h[j] + Fraction(eta) ** 2 * q[j] for j in range(2))
        assert spectral_radius_precise(noise, eta).value == rho
    bern = NoiseModel.build(fam, 2, "bernoulli")  # c = 1/B − 1/n, N = mean H_iWH_i
    q = [h[j] ** 2 + Fraction(1, 6) * sum(x * x for x in cols[j]) / n for j in range(2)]
    assert critical_learning_rate_precise(bern).value == min(2 * h[j] / q[j] for j in range(2))
    gd = NoiseModel.build(fam, None, "gd")
    assert critical_learning_rate_precise(gd).value == 2 / max(h)
    assert lambda_max_precise(fam).value == max(h) == Fraction(4, 3)


def test_sym_operator_is_the_sandwich_map_in_svec_coordinates():
    import mpmath

    from verifythm.dynamics.symeig import svec

    rng = np.random.default_rng(3)
    X, Y, W = (rng.standard_normal((3, 3)) for _ in range(3))
    X, Y, W = X + X.T, Y + Y.T, W + W.T
    with mpmath.workdps(30):
        S = P.sym_operator(P.mpf_array(X), P.mpf_array(Y))
        got = np.array([float(v) for v in S.dot(P.mpf_array(svec(W)))])
    assert np.allclose(got, svec((X @ W @ Y + Y @ W @ X) / 2), rtol=1e-13, atol=1e-13)


def test_context_switches_the_public_functions_and_logs_it():
    fam_args = np.stack([np.diag([1.0, 0.0]), np.diag([0.0, 1.0])])
    noise = NoiseModel.build(Family.from_hessians(fam_args), 1, "with-replacement")
    before = (critical_learning_rate(noise).value, spectral_radius(noise, 0.5).value, gd_threshold(fam_args))
    with engine_precision() as log:
        assert DP.active() is log
        inside = (
            critical_learning_rate(noise).value,
            spectral_radius(noise, 0.5).value,
            gd_threshold(fam_args),
        )
        stability(noise, 0.5)
        critical_learning_rates(noise.family, [1, 2], "without-replacement")
    assert DP.active() is None
    assert inside == before == (2.0, 0.625, 4.0)
    assert {q for q, _, _ in log.entries} == {"η*", "ρ", "λ₁(H)"}
    assert log.kinds == {"exact"} and log.summary() == "η*, ρ, λ₁(H) exactly (rationals)"
    # outside the context the float64 engine is bit-for-bit what it was
    assert (critical_learning_rate(noise).value, spectral_radius(noise, 0.5).value) == before[:2]


def test_families_built_inside_the_context_are_reduced_again_from_their_input():
    A = np.random.default_rng(10).standard_normal((4, 3, 2))
    Hs = np.einsum("nik,njk->nij", A, A)
    outside = NoiseModel.build(Family.from_hessians(Hs), 2, "bernoulli")
    with engine_precision() as log:
        critical_learning_rate(NoiseModel.build(Family.from_hessians(Hs), 2, "bernoulli"))
        critical_learning_rate(outside)
    methods = [m for q, _, m in log.entries if q == "η*"]
    assert "from the input" in methods[0] and "from the float64 reduced family" in methods[1]
    assert log.summary().endswith("reduction to range(H) taken from float64")


def test_context_switches_coherence_and_alignment():
    rng = np.random.default_rng(4)
    A = rng.standard_normal((5, 3, 2))
    Hs = np.einsum("nik,njk->nij", A, A)
    G, e = rng.standard_normal((5, 6)), rng.standard_normal(5)
    floats = (coherence(hessians=Hs).sigma, coherence(gradients=G).sigma, alignment_factors(G.T, e).mu)
    with engine_precision() as log:
        inside = (coherence(hessians=Hs).sigma, coherence(gradients=G).sigma, alignment_factors(G.T, e).mu)
        mu1 = loss_alignment(G.T, e)
    for a, b in zip(floats, inside, strict=True):
        assert _rel(a, b) < RTOL
    quantities = {q for q, _, _ in log.entries}
    assert {"λ₁(S)", "λ₁(H_i)", "K", "L, Tr(GΣₖ), ‖Σ‖_F"} <= quantities
    exact = alignment_factors_exact(G.T, e)
    assert _rel(float(exact.mu1), mu1) < RTOL
    assert _rel(float(coherence_precise(hessians=Hs).sigma), floats[0]) < RTOL
    assert _rel(float(coherence_precise(gradients=G).sigma), floats[1]) < RTOL


def test_context_switches_the_exact_extremes_over_theta():
    rng = np.random.default_rng(9)
    Q, Phi = rng.standard_normal((3, 6)), rng.standard_normal((5, 8))  # range(K) ≠ ℝⁿ, then = ℝⁿ
    floats = (alignment_extremes(Q), feature_alignment_extremes(Phi))
    with engine_precision() as log:
        inside = (alignment_extremes(Q), feature_alignment_extremes(Phi))
    for a, b in zip(floats, inside, strict=True):
        for f in ("mu_inf", "mu_sup", "mu1_inf", "mu1_sup", "mu2_inf", "mu2_sup"):
            assert abs(getattr(a, f).value - getattr(b, f).value) < 1e-13, f  # the factors are O(1)
    assert "inf/sup over θ of μ, μ₁, μ₂ in 50-digit mpmath" in log.summary()
    assert "alignment matrices D, M₂" in log.summary() and not log.failures


def test_alignment_factors_are_exact_rationals():
    Q = np.array([[1.0, 2.0, 0.0], [0.5, -1.0, 3.0]])  # p = 2, n = 3
    e = np.array([1.0, -2.0, 0.5])
    F = [[Fraction(x) for x in row] for row in Q]
    n = 3
    K = [[sum(F[k][i] * F[k][j] for k in range(2)) for j in range(n)] for i in range(n)]
    E = [Fraction(x) for x in e]
    loss = sum(x * x for x in E) / (2 * n)
    g2 = sum(K[i][j] ** 2 for i in range(n) for j in range(n)) / n**2
    chi = [sum(K[i][j] ** 2 for j in range(n)) / n for i in range(n)]
    tr1 = sum(E[i] ** 2 * chi[i] for i in range(n)) / n
    Ke = [sum(K[i][j] * E[j] for j in range(n)) for i in range(n)]
    tr2 = sum(x * x for x in Ke) / n**3
    f = alignment_factors_exact(Q, e)
    assert f.mu1 == tr1 / (2 * loss * g2)
    assert f.mu2 == tr2 / (2 * loss * g2)
    assert f.mu == f.mu1 - f.mu2  # Σ = Σ₁ − Σ₂, exactly
    floats = alignment_factors(Q, e)
    for name in ("mu", "mu1", "mu2", "alpha", "beta"):
        assert _rel(float(getattr(f, name)), getattr(floats, name)) < RTOL, name


def test_identical_rank_one_members_have_coherence_n_to_45_digits():
    assert abs(coherence_precise(gradients=np.ones((4, 1))).sigma - 4) < 1e-45
    S = np.stack([np.diag([1.0, 0.0]), np.diag([0.0, 1.0])])  # orthogonal, λ₁(H_i) = 1: σ = 1
    assert abs(coherence_precise(hessians=S).sigma - 1) < 1e-45


def test_large_families_fall_back_to_a_refined_rayleigh_quotient_and_say_so():
    rng = np.random.default_rng(5)
    A = rng.standard_normal((6, 11, 3))
    noise = NoiseModel.build(Family.from_hessians(np.einsum("nik,njk->nij", A, A)), 2, "bernoulli")
    assert noise.family.rank * (noise.family.rank + 1) // 2 > DP.DENSE_MP_MAX
    eta = critical_learning_rate(noise).value
    p = critical_learning_rate_precise(noise)
    assert p.kind == "refined" and _rel(float(p.value), eta) < RTOL
    with engine_precision() as log:
        critical_learning_rate(noise)
    assert log.kinds == {"refined"} and "Rayleigh quotients of float64 eigenvectors" in log.summary()


def test_precision_log_summary_groups_by_kind():
    log = PrecisionLog(50)
    log.record("ρ", "mpmath")
    log.record("η*", "mpmath")
    log.record("η*", "exact")
    log.record("ρ", "mpmath")
    assert log.summary() == "ρ, η* in 50-digit mpmath; η* exactly (rationals)"
    with pytest.raises(ValueError, match="kind"):
        log.record("ρ", "float")
    with pytest.raises(ValueError, match="dps"):
        with engine_precision(5):
            pass


# -- the re-check in judge ---------------------------------------------------------------------


def _eta(inst) -> float:
    return critical_learning_rate(
        NoiseModel.build(hessians=inst["H"], batch_size=2, sampling=inst["s"])
    ).value


def _planted(conclusion, tol: Tolerance | None = None, fixed=({},)) -> Claim:
    return Claim(
        id="test.precise_engine",
        title="planted",
        source=SRC,
        statement="planted",
        conclusion=conclusion,
        checks=(ExactCheck("exact", fixed=list(fixed)),),
        tolerance=tol or Tolerance(),
    )


def test_a_claim_built_on_eta_star_gets_its_precise_recheck_automatically():
    # "sampling without replacement is never more stable than with replacement": false (c is smaller)
    rng = np.random.default_rng(6)
    A = rng.standard_normal((4, 3, 2))
    inst = {"H": np.einsum("nik,njk->nij", A, A)}

    def wor_le_wr(i):
        wor, wr = _eta({**i, "s": "without-replacement"}), _eta({**i, "s": "with-replacement"})
        return Comparison(wor, wr, "<=", "η*_WOR", "η*_WR")

    claim = _planted(wor_le_wr, fixed=[inst])
    cmp, viol = judge(claim, inst)
    assert viol is not None and viol.precise is not None
    assert "η* in 50-digit mpmath" in viol.precision_note and "confirmed" in viol.precision_note
    assert abs(viol.precise.lhs - cmp.lhs) <= 1e-12 * cmp.lhs
    res = run_claim(claim, Context())
    assert res.counterexample is not None
    assert "50-digit mpmath" in res.checks[0].violation.precision_note


def test_a_rounding_artefact_of_the_float64_engine_is_dismissed():
    # A claim "η* ≤ X" with X the correctly rounded exact η* and a zero tolerance: wherever the
    # float64 engine lands an ulp above X, float64 "violates" it; the exact re-check does not.
    for seed in itertools.count():
        assert seed < 200, "no instance with a float64 η* above the correctly rounded exact value"
        D = np.random.default_rng(seed).random((4, 3))
        noise = NoiseModel.build(Family.from_diagonals(D), 2, "with-replacement")
        x = float(critical_learning_rate_precise(noise).value)
        if critical_learning_rate(noise).value > x:
            break
    inst = {"D": D}

    def at_most_exact(i):
        eta = critical_learning_rate(
            NoiseModel.build(Family.from_diagonals(i["D"]), 2, "with-replacement")
        ).value
        return Comparison(eta, x, "<=", "η*", "exact η*")

    claim = _planted(at_most_exact, tol=Tolerance(rtol=0.0, atol=0.0))
    assert not claim.evaluate(inst).holds(claim.tolerance)  # float64 says "violated"
    cmp, viol = judge(claim, inst)
    assert viol is None and cmp.lhs == x and cmp.holds(claim.tolerance)


def test_a_claim_without_engine_quantities_keeps_the_float64_note():
    claim = _planted(lambda i: Comparison(float(np.linalg.eigvalsh(i["H"])[-1]), 0.5, "<="))
    _, viol = judge(claim, {"H": np.eye(2)})
    assert viol is not None and viol.precise is None and viol.precision_note == NO_RECHECK


def test_an_engine_that_disagrees_with_its_precise_twin_is_an_error_not_a_pass():
    def drifting(i):
        eta = _eta(i)
        return Comparison(eta if DP.active() else 1.5 * eta, eta, "<=")  # float64 path off by 50 %

    A = np.random.default_rng(7).standard_normal((3, 2, 2))
    inst = {"H": np.einsum("nik,njk->nij", A, A), "s": "bernoulli"}
    with pytest.raises(PrecisionDisagreement, match="high-precision re-computation"):
        judge(_planted(drifting), inst)


def test_statistical_conclusions_get_no_engine_recheck():
    def stat(i):
        return Comparison(_eta(i), 0.0, "<=")

    stat.statistical = True  # type: ignore[attr-defined]
    A = np.random.default_rng(8).standard_normal((3, 2, 2))
    _, viol = judge(_planted(stat), {"H": np.einsum("nik,njk->nij", A, A), "s": "bernoulli"})
    assert viol is not None and viol.precision_note == NO_RECHECK
