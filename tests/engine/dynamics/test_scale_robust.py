"""Scale invariance of the exact moment engine (issue 17, item 2).

:math:`\\mathcal T_\\eta` depends on the family only through the products :math:`\\eta H_i`, so
for every :math:`t>0`

.. math::

   \\rho(\\mathcal T_{\\eta/t}(tH)) = \\rho(\\mathcal T_\\eta(H)),\\qquad
   \\eta^*(tH) = \\eta^*(H)/t.

The engine normalises every family by a power of two, so these identities hold to rounding
for any representable ``t`` and *exactly* (bit for bit) when ``t`` is a power of two; the
results never go NaN, ``rho >= 0`` and ``eta* <= 2/lambda_1``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from support import deterministic

from verifythm.dynamics import (
    SCHEMES,
    Family,
    NoiseModel,
    critical_learning_rate,
    critical_learning_rates,
    moment_operator,
    moment_trajectory,
    simulate,
    spectral_radius,
    stability,
)
from verifythm.quantities.spectral import effective_rank, hessian_spectrum, stable_rank

SCALES = [1e-300, 1e-200, 1e-190, 1e-100, 1e-10, 1.0, 1e10, 1e100, 1e190, 1e300]
POW2 = [-1000, -600, 600, 1000]
KINDS = ["diagonal", "dense", "rank_one", "gram"]
REL = 1e-12


def _base(kind: str) -> np.ndarray:
    """A small fixed family at scale 1: diagonals (n, d), Hessians (n, d, d) or gradients (n, p)."""
    rng = np.random.default_rng(17)
    if kind == "diagonal":
        return rng.uniform(0.1, 2.0, size=(4, 3))
    if kind == "dense":
        A = rng.standard_normal((4, 3, 3))
        return np.einsum("iab,icb->iac", A, A) / 3
    return rng.standard_normal((4, 3))  # gradients; "gram" uses K = G Gᵀ


def _family(kind: str, x: np.ndarray, t: float) -> Family:
    """The base family scaled to t·H (gradients by √t, so that H_i = g_i g_iᵀ scales by t)."""
    if kind == "diagonal":
        return Family.from_diagonals(x * t)
    if kind == "dense":
        return Family.from_hessians(x * t)
    g = x * math.sqrt(t)
    if kind == "rank_one":
        return Family.from_gradients(g)
    # K = G Gᵀ computed at scale 1, then scaled: K_ij = t·(g_i·g_j)
    return Family.from_gram((x @ x.T) * t, dim=x.shape[1])


def _noise(fam: Family, scheme: object) -> NoiseModel:
    return NoiseModel.build(fam, 2, scheme)


def _sane(noise: NoiseModel, eta: float) -> tuple[float, float]:
    """η*, ρ at η, with the guarantees every result must meet."""
    crit = critical_learning_rate(noise)
    rho = spectral_radius(noise, eta)
    lam1 = noise.family.lambda_max
    assert not math.isnan(crit.value) and not math.isnan(rho.value) and not math.isnan(rho.growth)
    assert rho.value >= 0.0 and rho.lower >= 0.0
    assert crit.value <= crit.gd_threshold
    with np.errstate(divide="ignore", over="ignore"):
        gd = 2.0 / lam1 if lam1 > 0 else math.inf
    assert crit.value <= gd * (1 + 1e-13)
    return crit.value, rho.value


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_decimal_scales_agree_to_rounding(kind: str, scheme: object) -> None:
    x = _base(kind)
    ref = _noise(_family(kind, x, 1.0), scheme)
    eta_star, _ = _sane(ref, 1.0)
    eta = 1.3 * eta_star  # unstable, ρ well away from 0 and 1
    rho_ref = spectral_radius(ref, eta).value
    assert rho_ref > 1
    for t in SCALES:
        nm = _noise(_family(kind, x, t), scheme)
        es, rho = _sane(nm, eta / t)
        assert es * t == pytest.approx(eta_star, rel=REL), t
        assert rho == pytest.approx(rho_ref, rel=REL), t
        v = stability(nm, eta / t)
        assert not v.stable and v.spectral_radius == pytest.approx(rho_ref, rel=REL)
        assert stability(nm, 0.5 * eta_star / t).stable


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("k", POW2)
def test_power_of_two_scales_are_exact(kind: str, scheme: object, k: int) -> None:
    x = _base(kind)
    ref = _noise(_family(kind, x, 1.0), scheme)
    eta_star, _ = _sane(ref, 1.0)
    eta = 1.3 * eta_star
    rho_ref = spectral_radius(ref, eta)
    t = 2.0**k
    nm = _noise(_family(kind, x, t), scheme)
    es, rho = _sane(nm, eta / t)
    assert es * t == eta_star
    assert rho == rho_ref.value
    assert np.array_equal(spectral_radius(nm, eta / t).eigenvector, rho_ref.eigenvector)
    # the public attributes keep their real meaning: λ_1(tH) = t·λ_1(H) exactly
    assert nm.family.lambda_max == t * ref.family.lambda_max
    assert critical_learning_rate(nm).gd_threshold * t == critical_learning_rate(ref).gd_threshold


@pytest.mark.parametrize("kind", KINDS)
def test_trajectories_and_simulation_are_scale_free(kind: str) -> None:
    x = _base(kind)
    ref = _family(kind, x, 1.0)
    eta = 0.3 / ref.lambda_max
    y0 = np.ones(ref.rank)
    for k in (-1000, 1000):
        t = 2.0**k
        fam = _family(kind, x, t)
        a = moment_operator(ref, eta, 2, "bernoulli")
        b = moment_operator(fam, eta / t, 2, "bernoulli")
        W = np.eye(ref.rank)
        assert np.array_equal(a(W), b(W))
        ta, tb = moment_trajectory(a, 5), moment_trajectory(b, 5)
        assert np.array_equal(ta.product_fro2, tb.product_fro2)
        sa = simulate(a.noise, eta, 5, y0, trajectories=8, rng=np.random.default_rng(0))
        sb = simulate(b.noise, eta / t, 5, y0, trajectories=8, rng=np.random.default_rng(0))
        assert np.array_equal(sa.sq_norms, sb.sq_norms)
        assert np.array_equal(sa.losses * t, sb.losses)  # L = ½yᵀHy scales with H


def test_issue_case_tiny_family_with_huge_eta_is_unstable() -> None:
    """Issue 17: a family scaled by 1.11e-190 with η = 3.6e190 was reported stable, ρ < 0."""
    # coordinate 0: identical members (ρ = (1 − ηh)² = 9 at ηh = 4); coordinate 1: noisy, ρ = 2
    D = np.array([[1.0, 0.25], [1.0, 0.75]])
    t, eta = 1.11e-190, 3.6e190
    for fam0, fam in (
        (Family.from_diagonals(D), Family.from_diagonals(D * t)),
        (Family.from_hessians(_rotate(D)), Family.from_hessians(_rotate(D) * t)),
    ):
        for scheme in SCHEMES:
            ref = stability(NoiseModel.build(fam0, 1, scheme), eta * t)
            if scheme != "bernoulli":  # Bernoulli batches vary in size: coordinate 0 is noisy too
                assert ref.spectral_radius == pytest.approx((1 - eta * t) ** 2, rel=1e-12)  # ≈ 8.976
            assert ref.spectral_radius >= 8.97 and not ref.stable
            v = stability(NoiseModel.build(fam, 1, scheme), eta)
            assert not v.stable
            assert v.spectral_radius == pytest.approx(ref.spectral_radius, rel=1e-12)
            assert v.critical_lr * t == pytest.approx(ref.critical_lr, rel=1e-12)
            assert v.critical_lr <= 2.0 / fam.lambda_max


def _rotate(D: np.ndarray) -> np.ndarray:
    """Diagonal members D (n, d) as dense Hessians in a rotated (non-coordinate) basis."""
    c, s = math.cos(0.3), math.sin(0.3)
    R = np.array([[c, -s], [s, c]])
    return np.einsum("ab,ib,cb->iac", R, D, R)


@pytest.mark.parametrize("value", [2.2e-311, 1.6e-314])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_subnormal_families(value: float, scheme: object) -> None:
    """Subnormal Hessians: correct rank, no NaN, η* exact (or inf when it exceeds float64)."""
    up = 1074  # X·2^1074 is exact for every subnormal X and lands in the normal range
    R = _rotate(np.array([[value, 2 * value]]))[0]
    R = (R + R.T) / 2  # exactly symmetric (the rotation rounds differently in the two triangles)
    cases = {
        "scalar": ("hessians", np.full((1, 1, 1), value), 1, 1.0),
        "diagonal": ("diagonals", np.array([[value, 0.0], [0.0, 3 * value]]), 2, 1.5),
        "dense": ("hessians", np.stack([R, R]), 2, 2.0),
    }
    for name, (how, X, rank, lam1_over_value) in cases.items():
        make = Family.from_hessians if how == "hessians" else Family.from_diagonals
        fam, twin_fam = make(X), make(np.ldexp(X, up))
        assert fam.rank == rank and twin_fam.rank == rank, name
        assert fam.lambda_max == pytest.approx(lam1_over_value * value, rel=1e-8)
        nm, twin = NoiseModel.build(fam, 1, scheme), NoiseModel.build(twin_fam, 1, scheme)
        crit, ref = critical_learning_rate(nm), critical_learning_rate(twin)
        with np.errstate(over="ignore"):
            exact = float(np.ldexp(ref.value, up))  # η*(H) = η*(2^1074 H)·2^1074, inf beyond float64
        assert crit.value == exact, name
        assert crit.value <= crit.gd_threshold
        with np.errstate(divide="ignore", over="ignore"):
            assert crit.value <= 2.0 / fam.lambda_max
        for eta in (1.0, 1e300, 1.7e308):
            rho = spectral_radius(nm, eta)
            assert not math.isnan(rho.value) and rho.value >= 0
            assert rho.value == spectral_radius(twin, float(np.ldexp(eta, -up))).value
            assert stability(nm, eta).stable


@pytest.mark.parametrize("value", [2.2e-311, 1.6e-314])
def test_subnormal_spectral_quantities(value: float) -> None:
    H = np.diag([value, 2 * value])
    assert stable_rank(H) == pytest.approx(1.25, rel=1e-12)
    assert effective_rank(H) == pytest.approx(1.5, rel=1e-12)
    s = hessian_spectrum(hessians=np.stack([H, H]))
    assert s.stable_rank == pytest.approx(1.25, rel=1e-12)
    assert s.effective_rank == pytest.approx(1.5, rel=1e-12)
    assert s.lambda_max == pytest.approx(2 * value, rel=1e-9)
    g = hessian_spectrum(gradients=np.array([[1e-160, 0.0], [0.0, 2e-160]]))
    assert g.stable_rank == pytest.approx(17 / 16, rel=1e-12)


def test_extreme_learning_rates_never_nan() -> None:
    fam = Family.from_hessians(_base("dense") * 1e-300)
    for scheme in SCHEMES:
        nm = NoiseModel.build(fam, 2, scheme)
        huge = spectral_radius(nm, 1.7e308)  # η·λ_1 ≈ 1e8 after normalisation: ρ ≈ 1e16
        assert huge.value > 1e15 and math.isfinite(huge.value)
        big = Family.from_hessians(_base("dense") * 1e300)
        over = spectral_radius(NoiseModel.build(big, 2, scheme), 1e300)  # ηλ_1 ≈ 1e600: ρ = inf
        assert over.value == math.inf and over.growth > 0
        tiny = spectral_radius(NoiseModel.build(big, 2, scheme), 5e-324)  # η·λ_1 underflows: ρ = 1
        assert tiny.value == 1.0 and tiny.growth < 0
        assert not stability(NoiseModel.build(big, 2, scheme), 1e300).stable


def test_vectorised_critical_rates_scale() -> None:
    x = _base("diagonal")
    ref = critical_learning_rates(Family.from_diagonals(x), [1, 2, 3], "bernoulli")
    for t in SCALES:
        got = critical_learning_rates(Family.from_diagonals(x * t), [1, 2, 3], "bernoulli")
        assert np.allclose(got * t, ref, rtol=REL, atol=0)


def test_normalized_twin() -> None:
    fam = Family.from_hessians(_base("dense") * 1e-200)
    twin, k = fam.normalized()
    assert 1.0 <= twin.lambda_max < 4.0 and twin.normalized() == (twin, 0)
    assert math.ldexp(twin.lambda_max, k) == fam.lambda_max
    assert np.array_equal(np.ldexp(twin.hessians, k), fam.hessians)


@deterministic(40, HealthCheck.too_slow)
@given(
    seed=st.integers(0, 2**32 - 1),
    k=st.integers(-1000, 1000),
    kind=st.sampled_from(KINDS),
    scheme=st.sampled_from(SCHEMES),
    ratio=st.floats(0.05, 3.0),
)
def test_random_power_of_two_scales(seed: int, k: int, kind: str, scheme: object, ratio: float) -> None:
    rng = np.random.default_rng(seed)
    n, d = int(rng.integers(2, 5)), int(rng.integers(1, 4))
    if kind == "diagonal":
        x = rng.uniform(0.0, 2.0, size=(n, d))
    elif kind == "dense":
        A = rng.standard_normal((n, d, d))
        x = np.einsum("iab,icb->iac", A, A)
    else:
        x = rng.standard_normal((n, d))
    k = k - k % 2  # even, so that gradients scale by the exact power of two 2^(k/2)
    t = 2.0**k
    ref = NoiseModel.build(_family(kind, x, 1.0), 1, scheme)
    nm = NoiseModel.build(_family(kind, x, t), 1, scheme)
    es, _ = _sane(ref, 1.0)
    eta = ratio * es
    es_t, rho_t = _sane(nm, eta / t)
    assert es_t * t == es
    assert rho_t == spectral_radius(ref, eta).value
    assert stability(nm, eta / t).stable == stability(ref, eta).stable


@pytest.mark.parametrize("name", ["verifythm.dynamics.scaling", "verifythm.dynamics.symeig"])
def test_helper_module_doctests(name: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0 and result.attempted > 0
