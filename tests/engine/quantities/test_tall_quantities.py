"""Gradients with p < n: the p × p route of ``family_summary`` against the n × n Gram route.

The reference is computed through :class:`~verifythm.linalg.gram.Gram` (the route every
``n ≤ p`` family takes), on families whose structure stresses each quantity: generic,
rank-deficient (rank < p), identical rows (μ = 0), orthogonal blocks, a wide dynamic range and
tiny or huge scales.
"""

from __future__ import annotations

import numpy as np
import pytest

from verifythm.linalg.gram import gram_from_gradients
from verifythm.quantities.alignment import alignment_factors
from verifythm.quantities.coherence import coherence
from verifythm.quantities.extremes import alignment_extremes
from verifythm.quantities.spectral import hessian_spectrum
from verifythm.quantities.summary import family_summary
from verifythm.quantities.tall import tall_gradients


def _families() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(7)
    low = rng.standard_normal((60, 2)) @ rng.standard_normal((2, 5))  # rank 2 < p = 5
    blocks = np.zeros((40, 4))
    blocks[np.arange(40), np.arange(40) % 4] = rng.uniform(0.5, 2.0, 40)  # orthogonal groups
    return {
        "generic": rng.standard_normal((50, 7)),
        "low_rank": low,
        "identical": np.tile(rng.standard_normal(3), (30, 1)),
        "orthogonal": blocks,
        "dynamic_range": rng.standard_normal((45, 6)) * np.geomspace(1.0, 1e-6, 6),
        "tiny": rng.standard_normal((25, 4)) * 1e-200,
        "huge": rng.standard_normal((25, 4)) * 1e200,
        "one_parameter": rng.standard_normal((20, 1)),
    }


def _reference(G: np.ndarray, e: np.ndarray) -> dict[str, float | None]:
    gram = gram_from_gradients(G)
    spec = hessian_spectrum(gram=gram)
    ext = alignment_extremes(gram)
    af = alignment_factors(gram, e)
    return {
        "lambda_max": spec.lambda_max,
        "trace": spec.trace,
        "frobenius": spec.frobenius,
        "stable_rank": spec.stable_rank,
        "coherence": coherence(gram=gram).sigma,
        "mu_inf": ext.mu_inf.value,
        "mu1_inf": ext.mu1_inf.value,
        "gamma": gram.gamma,
        "tau": gram.tau,
        "loss": af.loss,
        "mu": af.mu,
        "mu1": af.mu1,
        "mu2": af.mu2,
    }


@pytest.mark.parametrize("kind", sorted(_families()))
def test_tall_route_equals_the_gram_route(kind: str) -> None:
    G = _families()[kind]
    e = np.random.default_rng(3).standard_normal(G.shape[0])
    ref = _reference(G, e)
    s = family_summary(gradients=G, residuals=e)
    assert s.form == "p×p"
    got = {**s.as_dict(), **(s.at_point or {})}
    # "dynamic_range" keeps an eigenvalue 3e-9 of ‖K‖ in range(K): its eigenvector, and so inf μ,
    # carries ~1e-8 relative error on the n × n route (the p × p route is the accurate one, see
    # test_tall_infimum_matches_40_digits); every other family agrees to 1e-9
    rel = 1e-7 if kind == "dynamic_range" else 1e-9
    for key, want in ref.items():
        # μ-type values live in [0, 1]-ish ranges where a difference of two O(1) terms loses
        # absolute accuracy; the absolute floor is 1e-12 of that range, far below any threshold
        if key in ("mu_inf", "mu", "mu2"):
            assert got[key] == pytest.approx(want, rel=rel, abs=1e-12), key
        else:
            assert got[key] == pytest.approx(want, rel=rel), key


def test_tall_infimum_matches_40_digits() -> None:
    """inf μ of "dynamic_range" recomputed with 40-digit arithmetic (mpmath) on the same rank-5 range."""
    import mpmath as mp

    G = _families()["dynamic_range"]
    got, _, rank = tall_gradients(G).infima()
    with mp.workdps(40):
        Gm = mp.matrix(G.tolist())
        C = Gm.T * Gm
        E, W = mp.eigsy(C)
        keep = sorted(range(G.shape[1]), key=lambda k: -E[k])[:rank]
        rows = [(Gm[i, :] * C * Gm[i, :].T)[0] for i in range(G.shape[0])]
        chi = mp.zeros(G.shape[1], G.shape[1])
        for i, r in enumerate(rows):
            chi += r * (Gm[i, :].T * Gm[i, :])
        mean, total = sum(rows) / len(rows), sum(rows)
        A = mp.matrix(rank, rank)
        for a, ka in enumerate(keep):
            for b, kb in enumerate(keep):
                A[a, b] = (W[:, ka].T * chi * W[:, kb])[0] / mp.sqrt(E[ka] * E[kb]) / mean
            A[a, a] -= E[ka] ** 2 / total
        want = float(min(mp.eigsy(A)[0]))
    assert rank == 5
    assert got == pytest.approx(want, rel=1e-12)


def test_theta_gives_the_residuals_it_implies() -> None:
    rng = np.random.default_rng(5)
    G = rng.standard_normal((40, 6))
    theta = rng.standard_normal(6)
    by_theta = family_summary(gradients=G, theta=theta).at_point
    by_residuals = family_summary(gradients=G, residuals=G @ theta).at_point
    assert by_theta is not None and by_residuals is not None
    for key in ("loss", "mu", "mu1", "mu2"):
        assert by_theta[key] == pytest.approx(by_residuals[key], rel=1e-12)


def test_zero_residuals_and_zero_gradients_are_undefined_not_zero() -> None:
    G = np.random.default_rng(1).standard_normal((12, 3))
    s = family_summary(gradients=G, residuals=np.zeros(12))
    assert s.at_point == {"loss": 0.0, "mu": None, "mu1": None, "mu2": None}
    assert any(n.startswith("at_point:") for n in s.notes)
    z = family_summary(gradients=np.zeros((12, 3)), residuals=np.full(12, 2.0))
    assert z.as_dict()["coherence"] is None and z.as_dict()["gamma"] is None
    assert z.at_point == {"loss": 2.0, "mu": None, "mu1": None, "mu2": None}  # ‖e‖²/(2n) = 48/24
    assert z.form == "p×p"


def test_lanczos_coherence_equals_the_dense_one(monkeypatch: pytest.MonkeyPatch) -> None:
    import verifythm.quantities.tall as tall_mod

    G = np.random.default_rng(11).standard_normal((300, 4))
    dense = tall_gradients(G).coherence()
    monkeypatch.setattr(tall_mod, "DENSE_COHERENCE_MAX", 10)
    monkeypatch.setattr(tall_mod, "ABS_BLOCK_ENTRIES", 3000)  # 10-row blocks of |K̂|
    assert tall_gradients(G).coherence() == pytest.approx(dense, rel=1e-10)
    assert dense == pytest.approx(coherence(gradients=G).sigma, rel=1e-10)


def test_bad_shapes_name_the_argument() -> None:
    with pytest.raises(ValueError, match=r"^gradients: expected an \(n, p\) array with 1 ≤ p < n"):
        tall_gradients(np.ones((3, 5)))
    with pytest.raises(ValueError, match=r"^residuals: expected 20 values"):
        family_summary(gradients=np.ones((20, 2)), residuals=np.ones(19))
    with pytest.raises(ValueError, match=r"^gradients: contains NaN"):
        family_summary(gradients=np.full((20, 2), np.nan))


def test_row_blocks_do_not_change_the_values(monkeypatch: pytest.MonkeyPatch) -> None:
    import verifythm.quantities.tall as tall_mod

    rng = np.random.default_rng(13)
    G, e = rng.standard_normal((90, 5)), rng.standard_normal(90)
    one = family_summary(gradients=G, residuals=e)
    monkeypatch.setattr(tall_mod, "BLOCK_ENTRIES", 37)  # 7-row blocks, the last one shorter
    many = family_summary(gradients=G, residuals=e)
    assert one.at_point is not None and many.at_point is not None
    for key, want in {**one.as_dict(), **one.at_point}.items():
        got = {**many.as_dict(), **many.at_point}[key]
        assert got == pytest.approx(want, rel=1e-12, abs=1e-15), key


def test_public_functions_choose_the_smaller_representation() -> None:
    from verifythm.quantities.coherence import coherence_measure

    rng = np.random.default_rng(17)
    G = rng.standard_normal((1500, 6))  # past DENSE_COHERENCE_MAX: σ by Lanczos
    gram = gram_from_gradients(G)
    by_gram, by_gradients = hessian_spectrum(gram=gram), hessian_spectrum(gradients=G)
    for key in ("lambda_max", "trace", "frobenius", "stable_rank", "effective_rank"):
        assert getattr(by_gradients, key) == pytest.approx(getattr(by_gram, key), rel=1e-12), key
    assert (by_gradients.n, by_gradients.dim) == (1500, 6)
    assert coherence_measure(gradients=G) == pytest.approx(coherence(gram=gram).sigma, rel=1e-10)
    with pytest.raises(ValueError, match=r"^gradients: all gradients are zero"):
        coherence_measure(gradients=np.zeros((30, 2)))
