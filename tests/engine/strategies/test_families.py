"""Strategies and generators for PSD matrices and families {H_i}: promises, validation, shrinking."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, find, given
from hypothesis import strategies as st
from support import deterministic

from verifythm.strategies.families import (
    ALL_KINDS,
    ALL_RANK_ONE_KINDS,
    FAMILY_KINDS,
    FamilyDraw,
    dexter2024_family,
    dexter2024_thm2_family,
    families,
    family,
    psd_with,
    random_family,
    random_psd_with,
)

PROPS = deterministic(40, HealthCheck.too_slow, HealthCheck.filter_too_much)
FIND = deterministic(300)
TOL = 1e-10


# ------------------------------------------------------------------ helpers (independent of the module)


def _eig(A: np.ndarray) -> np.ndarray:
    return np.linalg.eigvalsh(A)


def _num_rank(A: np.ndarray, rtol: float = 1e-8) -> int:
    w = _eig(A)
    return int(np.sum(w > rtol * max(w[-1], 0.0))) if w[-1] > 0 else 0


def _check_psd_matrix(A: np.ndarray) -> None:
    assert A.dtype == np.float64
    assert np.all(np.isfinite(A))
    assert np.array_equal(A, A.T), "not exactly symmetric"
    w = _eig(A)
    assert w[0] >= -TOL * max(abs(w[-1]), 1e-300)


def _check_family(H: np.ndarray, n: int | None = None, d: int | None = None) -> None:
    assert H.ndim == 3 and H.shape[1] == H.shape[2]
    if n is not None:
        assert H.shape[0] == n
    if d is not None:
        assert H.shape[1] == d
    for A in H:
        _check_psd_matrix(A)


def _gram(H: np.ndarray) -> np.ndarray:
    """Trace Gram matrix tr(H_i H_j)."""
    return np.einsum("iab,jba->ij", H, H)


def _coherence(H: np.ndarray) -> float:
    """Dexter et al.'s Definition 2: λ1(S) / max_i λ1(H_i), S_ij = sqrt(tr(H_i H_j))."""
    gram = _gram(H)
    fro = np.sqrt(np.clip(np.diag(gram), 0.0, None))
    gram[np.abs(gram) <= 1e-13 * np.outer(fro, fro)] = 0.0  # rounding of exactly-zero products
    S = np.sqrt(np.clip(gram, 0.0, None))
    return float(_eig(S)[-1] / max(_eig(A)[-1] for A in H))


def _stable_rank(A: np.ndarray) -> float:
    w = _eig(A)
    return float(np.sum(w**2) / w[-1] ** 2)


def _fro(A: np.ndarray) -> float:
    return float(np.linalg.norm(A))


def _check_promise(f: FamilyDraw, *, exact: bool) -> None:
    """The structural promise of ``f.kind`` (``exact``: almost-sure equalities of numpy draws)."""
    H, G, p, kind = f.H, f.G, f.params, f.kind
    n, d = H.shape[0], H.shape[1]
    _check_family(H)
    if G is not None:
        assert G.shape == (n, d) and G.dtype == np.float64 and np.all(np.isfinite(G))
        outer = G[:, :, None] * G[:, None, :]
        assert np.allclose(H, outer, rtol=1e-14, atol=1e-14 * max(1.0, float(np.max(np.abs(H)))))
    if kind in ALL_RANK_ONE_KINDS:
        assert G is not None
        assert all(_num_rank(A) <= 1 for A in H)
    if kind in ("gaussian", "anisotropic", "heavy_tailed", "scaled") and exact:
        assert all(_num_rank(A) == 1 for A in H)
    if kind == "anisotropic":
        assert np.all(G[:, p["cov_spectrum"] == 0] == 0)
    elif kind == "sphere":
        assert np.allclose(np.trace(H, axis1=1, axis2=2), p["radius"] ** 2, rtol=1e-12)
    elif kind == "wu2022_relu":
        assert np.all(G >= 0) and np.all(G <= np.sqrt(p["input_dim"]) * (1 + 1e-12))
    elif kind == "wishart":
        r = min(p["rank"], d)
        ranks = [_num_rank(A) for A in H]
        assert all(k == r for k in ranks) if exact else all(k <= r for k in ranks)
    elif kind == "commuting":
        for i in range(n):
            assert _num_rank(H[i]) == p["rank"]
            for j in range(n):
                comm = H[i] @ H[j] - H[j] @ H[i]
                assert _fro(comm) <= 1e-12 * max(_fro(H[i]) * _fro(H[j]), 1e-300)
        if p["diagonal"]:
            assert np.all(H * (1 - np.eye(d))[None] == 0)
    elif kind == "orthogonal":
        assert n * p["rank"] <= d
        for i in range(n):
            assert _num_rank(H[i]) == p["rank"]
            for j in range(n):
                if i != j:
                    assert _fro(H[i] @ H[j]) <= 1e-12 * _fro(H[i]) * _fro(H[j])
        if p["rank"] == 1:
            assert _coherence(H) == pytest.approx(1.0, rel=1e-10)
    elif kind == "identical":
        assert all(np.array_equal(A, H[0]) for A in H)
        w = _eig(H[0])
        assert _num_rank(H[0]) == p["rank"]
        assert w[-1] == pytest.approx(p["scale"], rel=1e-12)
        assert w[-1] / w[-p["rank"]] == pytest.approx(p["condition"], rel=1e-6)
        if p["rank"] == 1:  # e.g. H_i = e1 e1^T: Definition 2 gives σ = n
            assert _coherence(H) == pytest.approx(n, rel=1e-10)
    elif kind == "nearly_coherent":
        eps = p["eps"]
        gram = _gram(H)
        fro = np.sqrt(np.diag(gram))
        cos = gram / np.outer(fro, fro)
        assert np.min(cos) >= 1 - 2 * eps**2 - 1e-12
        for i in range(n):
            for j in range(n):
                assert _fro(H[i] - H[j]) <= 2 * eps * np.min(fro) * (1 + 1e-12) + 1e-14
    elif kind == "low_stable_rank":
        for A in H:
            assert _stable_rank(A) == pytest.approx(p["stable_rank"], rel=1e-9)
            assert _num_rank(A) <= p["rank"]
        if p["shared_basis"]:
            assert _stable_rank(H.mean(axis=0)) == pytest.approx(p["stable_rank"], rel=1e-9)
            assert _fro(H[0] @ H[-1] - H[-1] @ H[0]) <= 1e-12 * _fro(H[0]) * _fro(H[-1])
    elif kind == "heterogeneous":
        top = np.array([_eig(A)[-1] for A in H])
        half = 10 ** (p["orders"] / 2)
        assert np.all(top >= (1 - 1e-12) / half) and np.all(top <= half * (1 + 1e-12))
        if n >= 2:
            assert top.max() / top.min() == pytest.approx(10 ** p["orders"], rel=1e-9)
        assert all(_num_rank(A) <= p["rank"] for A in H)
    elif kind in ("dexter2024", "dexter2024_thm2"):
        sigma, lam1 = p["sigma"], p["lam1"]
        assert _coherence(H) == pytest.approx(sigma, rel=1e-12)
        assert _eig(H.mean(axis=0))[-1] == pytest.approx(lam1, rel=1e-12)
        assert np.all(H * (1 - np.eye(d))[None] == 0)
        if kind == "dexter2024":
            assert d >= n - sigma + 1
            assert np.array_equal(H, dexter2024_family(n, sigma, lam1=lam1, d=d))
        else:
            assert sum(not np.any(A) for A in H) == n - sigma
            assert np.array_equal(H, dexter2024_thm2_family(n, sigma, lam1=lam1, d=d))
    elif kind == "sparse":
        if p["density"] == 0.0:
            assert not np.any(G)
        elif p["density"] == 1.0 and exact:
            assert np.all(G != 0)
    elif kind == "scaled" and not exact:
        # Hypothesis draws: each g_i has entries in [-4, 4] times 10^e_i with |e_i| <= orders/2
        assert np.all(np.abs(G) <= 4.0 * 10 ** (p["orders"] / 2) * (1 + 1e-12))


# ------------------------------------------------------------------ PSD matrices


@PROPS
@given(st.data())
def test_psd_with_controls_rank_condition_scale(data: Any) -> None:
    d = data.draw(st.integers(1, 6))
    r = data.draw(st.integers(0, d))
    cond = data.draw(st.floats(1.0, 1e6)) if r >= 2 else 1.0
    scale = data.draw(st.floats(1e-3, 1e3))
    H = data.draw(psd_with(d, rank=r, condition=cond, scale=scale))
    _check_psd_matrix(H)
    assert H.shape == (d, d)
    assert _num_rank(H) == r
    if r:
        w = _eig(H)
        assert w[-1] == pytest.approx(scale, rel=1e-12)
        assert w[-1] / w[-r] == pytest.approx(cond, rel=1e-6)


@PROPS
@given(psd_with())
def test_psd_with_defaults_are_psd(H: np.ndarray) -> None:
    _check_psd_matrix(H)
    assert 1 <= H.shape[0] <= 5 and _num_rank(H) >= 1


@PROPS
@given(st.data())
def test_psd_with_given_spectrum(data: Any) -> None:
    lam = data.draw(st.lists(st.floats(0.0, 10.0), min_size=1, max_size=5))
    H = data.draw(psd_with(spectrum=lam))
    _check_psd_matrix(H)
    assert np.allclose(_eig(H), np.sort(lam), atol=1e-12 * max(1.0, max(lam)))


def test_random_psd_with_promises() -> None:
    rng = np.random.default_rng(7)
    for _ in range(60):
        d = int(rng.integers(1, 9))
        r = int(rng.integers(0, d + 1))
        cond = float(10 ** rng.uniform(0, 6)) if r >= 2 else 1.0
        scale = float(10 ** rng.uniform(-3, 3))
        diagonal = bool(rng.integers(2))
        H = random_psd_with(rng, d, rank=r, condition=cond, scale=scale, diagonal=diagonal)
        _check_psd_matrix(H)
        assert _num_rank(H) == r
        if diagonal:
            assert np.all(H == np.diag(np.diag(H)))
        if r:
            w = _eig(H)
            assert w[-1] == pytest.approx(scale, rel=1e-12)
            assert w[-1] / w[-r] == pytest.approx(cond, rel=1e-6)
    H = random_psd_with(rng, 4)  # all drawn: full rank
    _check_psd_matrix(H)
    assert _num_rank(H) == 4
    lam = [3.0, 0.0, 1.0]
    assert np.allclose(_eig(random_psd_with(rng, 3, spectrum=lam)), sorted(lam), atol=1e-14)


# ------------------------------------------------------------------ families: promises per kind


@pytest.mark.parametrize("kind", ALL_KINDS)
@PROPS
@given(data=st.data())
def test_family_strategy_promise(kind: str, data: Any) -> None:
    f = data.draw(family(kind, labelled=True))
    assert f.kind == kind
    _check_promise(f, exact=False)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_random_family_promise(kind: str) -> None:
    rng = np.random.default_rng(2024)
    for _ in range(12):
        n, d = int(rng.integers(1, 7)), int(rng.integers(1, 8))
        if kind == "orthogonal" and n > d:
            n, d = d, n
        _check_promise(random_family(rng, kind, n, d, labelled=True), exact=True)


PARAM_VARIANTS = [
    ("anisotropic", 3, 4, {"cov_spectrum": [2.0, 0.0, 1.0, 0.0]}),
    ("sphere", 4, 3, {"radius": 2.5}),
    ("heavy_tailed", 6, 3, {"df": 1.0}),
    ("wishart", 3, 5, {"rank": 3}),
    ("wishart", 3, 2, {"rank": 4}),
    ("commuting", 4, 5, {"rank": 2, "diagonal": True}),
    ("commuting", 3, 4, {"rank": 1}),
    ("orthogonal", 3, 7, {"rank": 2}),
    ("identical", 5, 4, {"rank": 3, "condition": 1e4, "scale": 0.3}),
    ("identical", 3, 4, {"rank": 1}),
    ("nearly_coherent", 5, 4, {"eps": 0.0}),
    ("nearly_coherent", 5, 4, {"eps": 0.7, "rank": 2, "condition": 3.0}),
    ("low_stable_rank", 4, 6, {"rank": 5, "stable_rank": 1.01}),
    ("low_stable_rank", 4, 6, {"rank": 5, "stable_rank": 5.0, "shared_basis": True}),
    ("low_stable_rank", 3, 6, {"rank": 4, "stable_rank": 2.2, "shared_basis": True}),
    ("heterogeneous", 5, 3, {"orders": 8.0, "rank": 2}),
    ("heterogeneous", 1, 3, {"orders": 3.0}),
    ("dexter2024", 10, 12, {"sigma": 3}),
    ("dexter2024", 10, 1, {"sigma": 10, "lam1": 0.5}),
    ("dexter2024_thm2", 8, 8, {"sigma": 5, "lam1": 3.0}),
    ("wu2022_relu", 6, 10, {"input_dim": 2}),
    ("sparse", 4, 5, {"density": 0.0}),
    ("sparse", 4, 5, {"density": 1.0}),
    ("scaled", 5, 3, {"orders": 0.0}),
    ("scaled", 5, 3, {"orders": 12.0}),
]


@pytest.mark.parametrize(("kind", "n", "d", "params"), PARAM_VARIANTS)
def test_random_family_parameter_variants(kind: str, n: int, d: int, params: dict[str, Any]) -> None:
    rng = np.random.default_rng(11)
    for _ in range(3):
        f = random_family(rng, kind, n, d, labelled=True, **params)
        _check_promise(f, exact=True)
        assert f.H.shape == (n, d, d)


@PROPS
@given(families(labelled=True))
def test_families_strategy_all_kinds(f: FamilyDraw) -> None:
    assert f.kind in FAMILY_KINDS
    _check_promise(f, exact=False)


@PROPS
@given(families(gradients=True))
def test_families_gradients(HG: tuple[np.ndarray, np.ndarray]) -> None:
    H, G = HG
    _check_family(H)
    assert np.allclose(H, G[:, :, None] * G[:, None, :], rtol=1e-14, atol=1e-300)


@PROPS
@given(family("orthogonal", n=st.integers(1, 3), d=st.integers(3, 6), rank=1, gradients=True))
def test_rank_one_option_gives_gradients(HG: tuple[np.ndarray, np.ndarray]) -> None:
    H, G = HG
    assert np.array_equal(H, G[:, :, None] * G[:, None, :])
    assert np.allclose(G @ G.T, np.diag(np.diag(G @ G.T)), atol=1e-12)


def test_generators_are_seeded() -> None:
    for kind in ALL_KINDS:
        a = random_family(np.random.default_rng(5), kind, 3, 4)
        b = random_family(np.random.default_rng(5), kind, 3, 4)
        assert np.array_equal(a, b)
    a = random_psd_with(np.random.default_rng(5), 4)
    assert np.array_equal(a, random_psd_with(np.random.default_rng(5), 4))


# ------------------------------------------------------------------ the papers' constructions


@pytest.mark.parametrize("sigma", [1, 2, 5, 37, 99, 100])
def test_dexter2024_section51_construction(sigma: int) -> None:
    n = 100
    H, G = dexter2024_family(n, sigma, gradients=True)
    d = n - sigma + 1
    assert H.shape == (n, d, d) and G.shape == (n, d)
    m = 2 * n / sigma
    assert np.all(H[:sigma, 0, 0] == m)
    for i in range(sigma, n):  # paper's index i+1 > sigma maps to e_{(i+1)-sigma+1}
        assert H[i, i - sigma + 1, i - sigma + 1] == m and np.count_nonzero(H[i]) == 1
    Hbar = H.mean(axis=0)
    assert _eig(Hbar)[-1] == pytest.approx(2.0, rel=1e-12)
    assert _coherence(H) == pytest.approx(sigma, rel=1e-12)
    assert np.linalg.matrix_rank(Hbar) == d  # unique minimiser of the quadratic loss


def test_dexter2024_extremes_and_thm2() -> None:
    assert _coherence(dexter2024_family(6, 1)) == pytest.approx(1.0)  # mutually orthogonal
    assert np.array_equal(dexter2024_family(6, 6), np.full((6, 1, 1), 2.0))  # identical
    H = dexter2024_thm2_family(7, 3, lam1=0.4)
    assert H.shape == (7, 7, 7)
    assert _coherence(H) == pytest.approx(3.0, rel=1e-12)
    assert _eig(H.mean(axis=0))[-1] == pytest.approx(0.4, rel=1e-12)
    padded = dexter2024_family(5, 2, d=9)
    assert padded.shape == (5, 9, 9) and not np.any(padded[:, 4:, :])


# ------------------------------------------------------------------ validation


RNG = np.random.default_rng(0)

BAD_CALLS = [
    (lambda: random_psd_with(RNG, 0), "d"),
    (lambda: random_psd_with(RNG, 3, rank=4), "rank"),
    (lambda: random_psd_with(RNG, 3, rank=-1), "rank"),
    (lambda: random_psd_with(RNG, 3, condition=0.5), "condition"),
    (lambda: random_psd_with(RNG, 3, rank=1, condition=2.0), "condition"),
    (lambda: random_psd_with(RNG, 3, scale=0.0), "scale"),
    (lambda: random_psd_with(RNG, 3, scale=float("nan")), "scale"),
    (lambda: random_psd_with(RNG, 3, spectrum=[1.0, 2.0]), "spectrum"),
    (lambda: random_psd_with(RNG, 2, spectrum=[1.0, -2.0]), "spectrum"),
    (lambda: random_psd_with(RNG, 2, spectrum=[1.0, 2.0], rank=1), "spectrum"),
    (lambda: random_psd_with(RNG, 2, diagonal="yes"), "diagonal"),
    (lambda: random_psd_with(0, 2), "rng"),  # type: ignore[arg-type]
    (lambda: random_family(RNG, "nope", 2, 2), "kind"),
    (lambda: random_family(RNG, "gaussian", 0, 2), "n"),
    (lambda: random_family(RNG, "gaussian", 2, 1.5), "d"),  # type: ignore[arg-type]
    (lambda: random_family(RNG, "gaussian", 2, 2, bogus=1), "bogus"),
    (lambda: random_family(RNG, "orthogonal", 3, 2), "n"),
    (lambda: random_family(RNG, "orthogonal", 2, 3, rank=2), "n"),
    (lambda: random_family(RNG, "dexter2024", 4, 4, sigma=0), "sigma"),
    (lambda: random_family(RNG, "dexter2024", 4, 4, sigma=5), "sigma"),
    (lambda: random_family(RNG, "dexter2024", 6, 2, sigma=2), "d"),
    (lambda: random_family(RNG, "dexter2024", 4, 4, sigma=2, lam1=-1.0), "lam1"),
    (lambda: random_family(RNG, "nearly_coherent", 2, 2, eps=1.5), "eps"),
    (lambda: random_family(RNG, "heavy_tailed", 2, 2, df=0.5), "df"),
    (lambda: random_family(RNG, "sphere", 2, 2, radius=-1.0), "radius"),
    (lambda: random_family(RNG, "anisotropic", 2, 3, cov_spectrum=[1.0, 2.0]), "cov_spectrum"),
    (lambda: random_family(RNG, "low_stable_rank", 2, 4, rank=2, stable_rank=3.0), "stable_rank"),
    (lambda: random_family(RNG, "low_stable_rank", 2, 4, stable_rank=0.5), "stable_rank"),
    (lambda: random_family(RNG, "identical", 2, 3, rank=1, condition=4.0), "condition"),
    (lambda: random_family(RNG, "identical", 2, 3, rank=4), "rank"),
    (lambda: random_family(RNG, "heterogeneous", 2, 3, orders=-1.0), "orders"),
    (lambda: random_family(RNG, "wu2022_relu", 2, 3, input_dim=0), "input_dim"),
    (lambda: random_family(RNG, "commuting", 2, 3, diagonal=1), "diagonal"),
    (lambda: random_family(RNG, "wishart", 2, 3, rank=2, gradients=True), "gradients"),
    (lambda: random_family(RNG, "nearly_coherent", 2, 3, gradients=True), "gradients"),
    (lambda: random_family(RNG, "sparse", 2, 3, density=-0.1), "density"),
    (lambda: random_family(RNG, "scaled", 2, 3, orders=float("inf")), "orders"),
    (lambda: random_family(RNG, "scaled", 2, 3, rank=1), "rank"),
    (lambda: family("sparse", density=2.0, n=2, d=2), "density"),
    (lambda: dexter2024_family(5, 6), "sigma"),
    (lambda: dexter2024_family(5, 2, d=3), "d"),
    (lambda: dexter2024_thm2_family(0, 1), "n"),
    (lambda: psd_with(rank=-1), "rank"),
    (lambda: psd_with(2, rank=3), "rank"),
    (lambda: psd_with(condition=0.9), "condition"),
    (lambda: psd_with(rank=1, condition=3.0), "condition"),
    (lambda: psd_with(scale=-1.0), "scale"),
    (lambda: psd_with(0), "dim"),
    (lambda: psd_with(spectrum=[1.0], scale=1.0), "spectrum"),
    (lambda: family("nope"), "kind"),
    (lambda: family("gaussian", foo=1), "foo"),
    (lambda: family("orthogonal", n=3, d=2), "n"),
    (lambda: family("dexter2024", n=3, d=3, sigma=7), "sigma"),
    (lambda: family("wishart", n=2, d=2, rank=2, gradients=True), "gradients"),
    (lambda: family("wishart", gradients=True), "gradients"),
    (lambda: families(kinds=()), "kinds"),
    (lambda: families(kinds=("orthogonal",), n=3, d=2), "kinds"),
    (lambda: families(kinds=("wishart",), gradients=True), "kinds"),
    (lambda: families(kinds=("gaussian", "bogus")), "kind"),
    (lambda: families(n=0), "n"),
]


@pytest.mark.parametrize(("call", "name"), BAD_CALLS)
def test_validation_names_the_argument(call: Any, name: str) -> None:
    with pytest.raises(ValueError, match=rf"^{name}:"):
        call()


# ------------------------------------------------------------------ shrinking


def test_shrinks_families_to_small_sizes() -> None:
    H = find(families(), lambda H: H.shape[0] >= 3, settings=FIND)
    assert H.shape == (3, 1, 1)
    H = find(families(), lambda H: H.shape[1] >= 2, settings=FIND)
    assert H.shape == (1, 2, 2)


def test_shrinks_psd_to_simple_matrix() -> None:
    H = find(psd_with(), lambda H: H.shape[0] >= 3, settings=FIND)
    assert H.shape == (3, 3)
    assert np.all(H == np.diag(np.diag(H)))  # identity eigenbasis
    assert _num_rank(H) == 1


def test_shrinks_parameters_to_simple_values() -> None:
    f = find(family("nearly_coherent", labelled=True), lambda f: f.H.shape[0] >= 2, settings=FIND)
    assert f.H.shape == (2, 1, 1) and f.params["eps"] == 0.0
    assert np.array_equal(f.H[0], f.H[1])
    f = find(family("dexter2024", labelled=True), lambda f: f.H.shape[0] >= 3, settings=FIND)
    assert f.H.shape == (3, 1, 1) and f.params["sigma"] == 3
    f = find(family("orthogonal", labelled=True), lambda f: f.H.shape[0] >= 2, settings=FIND)
    assert f.H.shape == (2, 2, 2) and f.params["rank"] == 1
    assert np.all(f.H * (1 - np.eye(2))[None] == 0)  # shrunk basis is the standard one
