r"""Hypothesis strategies and seeded generators for PSD matrices and families :math:`\{H_i\}`.

Two entry points share every construction:

* Hypothesis strategies (:func:`psd_with`, :func:`family`, :func:`families`) for ``@given``
  and :class:`~verifythm.PropertyCheck`.  Sizes are drawn as small integers and every random
  number as a bounded float, so failing examples shrink towards small ``n`` and ``d``, an
  identity eigenbasis, zero data and the lower end of each parameter range.
* Seeded numpy generators (:func:`random_psd_with`, :func:`random_family`) for the
  deterministic instance streams of exact checks and benchmarks.

A family is an ``(n, d, d)`` float64 array whose ``i``-th slice is :math:`H_i`; every slice is
finite, exactly symmetric and positive semi-definite.  Kinds whose members are rank one can
also return the vectors :math:`g_i` (an ``(n, d)`` array with :math:`H_i = g_i g_i^T`).

Kinds (:data:`FAMILY_KINDS`) and what each one guarantees:

``gaussian``, ``anisotropic``, ``sphere``, ``heavy_tailed``
    Rank one from data, :math:`H_i = x_i x_i^T` with :math:`x_i` isotropic Gaussian, Gaussian
    with covariance ``diag(cov_spectrum)``, uniform on the sphere of radius ``radius``
    (so :math:`\operatorname{tr} H_i = \text{radius}^2`), or multivariate Student-t with
    ``df`` degrees of freedom.
``wishart``
    :math:`H_i = \frac1r \sum_{k\le r} z_{ik} z_{ik}^T` with standard Gaussian :math:`z_{ik}`
    (``rank`` = r), so :math:`\operatorname{rank} H_i \le \min(r, d)`.
``commuting``
    One shared eigenbasis (the standard basis when ``diagonal``), ``rank`` positive
    eigenvalues per member: :math:`H_i H_j = H_j H_i`.
``orthogonal``
    Members supported on disjoint blocks of ``rank`` orthonormal directions, so
    :math:`H_i H_j = 0` for :math:`i \ne j`; needs :math:`n\cdot\text{rank} \le d`.
``identical``
    All members bitwise equal to one PSD matrix of given ``rank``, ``condition`` and ``scale``.
``nearly_coherent``
    :math:`H_i = H_0 + \varepsilon \|H_0\|_F\, u_i u_i^T` with unit :math:`u_i`: every member is
    at Frobenius distance exactly :math:`\varepsilon\|H_0\|_F` from :math:`H_0`, hence the
    trace-cosine :math:`\operatorname{tr}(H_iH_j)/(\|H_i\|_F\|H_j\|_F) \ge 1 - 2\varepsilon^2`.
``low_stable_rank``
    Each member has eigenvalues :math:`w_i t^k` (:math:`k < \text{rank}`) with :math:`t` solved
    so that its stable rank :math:`\|H_i\|_F^2/\|H_i\|_2^2` equals ``stable_rank``; with
    ``shared_basis`` the members commute and the mean has the same stable rank.
``heterogeneous``
    Members of spectral norm :math:`10^{e_i}`, the exponents spanning exactly ``orders``
    decades (for :math:`n \ge 2`).
``dexter2024``
    The tunable-coherence family of the experiments of :cite:`dexter2024precise` (§5.1):
    the first ``sigma`` members equal :math:`m e_1 e_1^T`, member :math:`i > \sigma` equals
    :math:`m e_{i-\sigma+1} e_{i-\sigma+1}^T`, :math:`m = \lambda_1 n / \sigma`.  Its coherence
    measure (Definition 2 of the paper) is exactly ``sigma`` and the mean Hessian has top
    eigenvalue ``lam1`` (2 in the paper).  Dimensions beyond :math:`n-\sigma+1` are zero.
``dexter2024_thm2``
    The construction in the proof of Theorem 2 of :cite:`dexter2024precise`: the first
    ``sigma`` members equal :math:`m e_1 e_1^T`, the others are zero, :math:`m = \lambda_1 n/\sigma`.
``wu2022_relu``
    Random ReLU features as in Proposition 2.5 of :cite:`wu2022alignment`:
    :math:`g_i = \mathrm{ReLU}(W x_i)` with rows of :math:`W` uniform on the sphere of radius
    :math:`\sqrt{k}` in :math:`\mathbb{R}^k` (``input_dim`` = k) and :math:`x_i` uniform on the
    unit sphere; :math:`H_i = g_i g_i^T` (the Hessian of a squared loss at an interpolating
    minimum of the feature model), ``d`` = number of features.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from verifythm.linalg.psd import Array
from verifythm.strategies.matrices import _orthogonal_from
from verifythm.strategies.scalars import reals

__all__ = [
    "FAMILY_KINDS",
    "RANK_ONE_KINDS",
    "FamilyDraw",
    "dexter2024_family",
    "dexter2024_thm2_family",
    "families",
    "family",
    "psd_with",
    "random_family",
    "random_psd_with",
]

FAMILY_KINDS = (
    "gaussian",
    "anisotropic",
    "sphere",
    "heavy_tailed",
    "wishart",
    "commuting",
    "orthogonal",
    "identical",
    "nearly_coherent",
    "low_stable_rank",
    "heterogeneous",
    "dexter2024",
    "dexter2024_thm2",
    "wu2022_relu",
)
"""Names of the family kinds understood by :func:`random_family`, :func:`family` and :func:`families`."""

RANK_ONE_KINDS = (
    "gaussian",
    "anisotropic",
    "sphere",
    "heavy_tailed",
    "dexter2024",
    "dexter2024_thm2",
    "wu2022_relu",
)
"""Kinds whose members are always rank one (gradients available for any parameters)."""


class FamilyDraw(NamedTuple):
    """A generated family with its provenance (returned when ``labelled=True``)."""

    kind: str
    """The family kind (one of :data:`FAMILY_KINDS`)."""
    H: Array
    """The members, shape ``(n, d, d)``."""
    G: Array | None
    """Rank-one factors, shape ``(n, d)`` with ``H[i] = outer(G[i], G[i])``, or ``None``."""
    params: dict[str, Any]
    """The resolved kind parameters used for the draw."""


# --------------------------------------------------------------------------------------------
# argument validation


def _int(x: Any, name: str, lo: int, hi: int | None = None) -> int:
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)):
        raise ValueError(f"{name}: expected an integer, got {x!r}")
    v = int(x)
    if v < lo or (hi is not None and v > hi):
        rng = f"[{lo}, {hi}]" if hi is not None else f">= {lo}"
        raise ValueError(f"{name}: must be {rng}, got {v}")
    return v


def _float(
    x: Any, name: str, lo: float | None = None, hi: float | None = None, *, open_lo: bool = False
) -> float:
    if isinstance(x, bool):
        raise ValueError(f"{name}: expected a number, got {x!r}")
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a number, got {x!r}") from None
    if not np.isfinite(v):
        raise ValueError(f"{name}: must be finite, got {x!r}")
    if lo is not None and (v < lo or (open_lo and v == lo)):
        raise ValueError(f"{name}: must be {'>' if open_lo else '>='} {lo}, got {v}")
    if hi is not None and v > hi:
        raise ValueError(f"{name}: must be <= {hi}, got {v}")
    return v


def _bool(x: Any, name: str) -> bool:
    if not isinstance(x, (bool, np.bool_)):
        raise ValueError(f"{name}: expected a bool, got {x!r}")
    return bool(x)


def _vector(x: Any, name: str, d: int) -> Array:
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a numeric vector, got {x!r}") from None
    if a.shape != (d,):
        raise ValueError(f"{name}: expected shape ({d},), got {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name}: contains NaN or infinite entries")
    if np.any(a < 0):
        raise ValueError(f"{name}: entries must be >= 0")
    return a.copy()


def _check_rng(rng: Any) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng: expected a numpy.random.Generator, got {type(rng).__name__}")
    return rng


def _check_psd_args(
    d: int, rank: Any, condition: Any, scale: Any, spectrum: Any
) -> tuple[int, int | None, float | None, float | None, Array | None]:
    d = _int(d, "d", 1)
    if spectrum is not None:
        _check_spectrum_alone(rank, condition, scale)
        return d, None, None, None, _vector(spectrum, "spectrum", d)
    return (d, *_check_rank_condition_scale(rank, condition, scale, d), None)


def _check_spectrum_alone(rank: Any, condition: Any, scale: Any) -> None:
    if rank is not None or condition is not None or scale is not None:
        raise ValueError("spectrum: give either spectrum or rank/condition/scale, not both")


def _check_rank_condition_scale(
    rank: Any, condition: Any, scale: Any, d: int | None
) -> tuple[int | None, float | None, float | None]:
    """Validate the given (not ``None``) spectrum controls; ``d = None``: no upper bound on the rank."""
    if rank is not None:
        rank = _int(rank, "rank", 0, d)
    if condition is not None:
        condition = _float(condition, "condition", 1.0)
        if rank is not None and rank <= 1 and condition != 1.0:
            raise ValueError(f"condition: a matrix of rank {rank} has condition number 1, got {condition}")
    if scale is not None:
        scale = _float(scale, "scale", 0.0, open_lo=True)
    return rank, condition, scale


# --------------------------------------------------------------------------------------------
# sources of randomness: a numpy Generator, or Hypothesis draws (shrinking to simple values)


class _RngSource:
    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng

    def normal(self, shape: tuple[int, ...]) -> Array:
        return self.rng.standard_normal(shape)

    def uniform(self, low: float, high: float, shape: tuple[int, ...]) -> Array:
        return self.rng.uniform(low, high, size=shape)

    def chisquare(self, df: float, shape: tuple[int, ...]) -> Array:
        # guard the (probability ~0) exact zero so that 1/χ² stays finite
        return np.maximum(self.rng.chisquare(df, size=shape), 1e-300)

    def orthogonal(self, d: int) -> Array:
        Qm, R = np.linalg.qr(self.rng.standard_normal((d, d)))
        return Qm * np.where(np.diag(R) < 0, -1.0, 1.0)

    def subset(self, d: int, r: int) -> np.ndarray:
        return self.rng.permutation(d)[:r]


_GAUSS = reals(-4.0, 4.0)


class _DrawSource:
    def __init__(self, draw: Any) -> None:
        self.draw = draw

    def normal(self, shape: tuple[int, ...]) -> Array:
        size = int(np.prod(shape))
        return np.array(self.draw(st.lists(_GAUSS, min_size=size, max_size=size)), dtype=float).reshape(shape)

    def uniform(self, low: float, high: float, shape: tuple[int, ...]) -> Array:
        size = int(np.prod(shape))
        if low == high:
            return np.full(shape, float(low))
        el = reals(low, high)
        return np.array(self.draw(st.lists(el, min_size=size, max_size=size)), dtype=float).reshape(shape)

    def chisquare(self, df: float, shape: tuple[int, ...]) -> Array:
        return self.uniform(df * 1e-3, 3.0 * df, shape)

    def orthogonal(self, d: int) -> Array:
        return _orthogonal_from(self.normal((d, d)))

    def subset(self, d: int, r: int) -> np.ndarray:
        return np.array(self.draw(st.permutations(list(range(d))))[:r], dtype=int)


_Source = _RngSource | _DrawSource


# --------------------------------------------------------------------------------------------
# building blocks


def _sym(A: Array) -> Array:
    """Exactly symmetric part of a (stack of) square matrices."""
    return (A + np.swapaxes(A, -1, -2)) / 2


def _unit_rows(Z: Array) -> Array:
    """Rows scaled to unit Euclidean norm (overflow-safe); a zero row becomes ``e_1``."""
    out = np.zeros_like(Z, dtype=float)
    m = np.max(np.abs(Z), axis=1) if Z.shape[1] else np.zeros(Z.shape[0])
    ok = m > 0
    Zs = Z[ok] / m[ok, None]
    out[ok] = Zs / np.linalg.norm(Zs, axis=1, keepdims=True)
    out[~ok, 0] = 1.0
    return out


def _rank_one(G: Array) -> tuple[Array, Array]:
    """Members ``g_i g_i^T`` (elementwise products: exactly symmetric)."""
    G = np.ascontiguousarray(G, dtype=np.float64)
    return G[:, :, None] * G[:, None, :], G


def _from_eig(Vc: Array, lam: Array) -> tuple[Array, Array | None]:
    """Members ``V_i diag(lam_i) V_i^T`` from ``Vc`` (n, d, r) and ``lam`` (n, r)."""
    if Vc.shape[2] == 1:
        return _rank_one(Vc[:, :, 0] * np.sqrt(lam[:, :1]))
    H = (Vc * lam[:, None, :]) @ np.swapaxes(Vc, 1, 2)
    return _sym(H), None


def _spectrum(src: _Source, rank: int, condition: float, scale: float) -> Array:
    """Descending spectrum with ``lam[0] = scale`` and ``lam[0] / lam[-1] = condition``."""
    if rank == 0:
        return np.zeros(0)
    if rank == 1:
        return np.array([scale])
    inner = np.sort(src.uniform(0.0, 1.0, (rank - 2,)))
    expo = np.concatenate([[0.0], inner, [1.0]])
    lam = scale * condition ** (-expo)
    lam[-1] = scale / condition
    return lam


def _psd(src: _Source, d: int, lam: Array, diagonal: bool) -> Array:
    """``V diag(lam) V^T`` with ``V`` the identity (``diagonal``) or a drawn orthogonal matrix."""
    r = lam.size
    if diagonal:
        return np.diag(np.concatenate([lam, np.zeros(d - r)]))
    V = src.orthogonal(d)[:, :r]
    return _sym((V * lam) @ V.T)


def _geometric_ratio(s: float, r: int) -> float:
    r"""The :math:`t\in[0,1]` with :math:`\sum_{k<r} t^{2k} = s` (bisection; monotone in t)."""
    if r == 1 or s <= 1.0:
        return 0.0
    if s >= r:
        return 1.0
    k = np.arange(r)
    lo, hi = 0.0, 1.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        if float(np.sum(mid ** (2 * k))) < s:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


# --------------------------------------------------------------------------------------------
# constructions of the kinds; each returns (H, G-or-None)


def _b_gaussian(src: _Source, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    return _rank_one(src.normal((n, d)))


def _b_anisotropic(src: _Source, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    return _rank_one(src.normal((n, d)) * np.sqrt(p["cov_spectrum"])[None, :])


def _b_sphere(src: _Source, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    return _rank_one(p["radius"] * _unit_rows(src.normal((n, d))))


def _b_heavy(src: _Source, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    df = p["df"]
    w = np.sqrt(df / src.chisquare(df, (n,)))
    return _rank_one(src.normal((n, d)) * w[:, None])


def _b_wishart(src: _Source, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    r = p["rank"]
    Z = src.normal((n, d, r)) / np.sqrt(r)
    if r == 1:
        return _rank_one(Z[:, :, 0])
    return _sym(Z @ np.swapaxes(Z, 1, 2)), None


def _b_commuting(src: _Source, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    r = p["rank"]
    V = np.eye(d) if p["diagonal"] else src.orthogonal(d)
    Vc = np.stack([V[:, src.subset(d, r)] for _ in range(n)])
    return _from_eig(Vc, src.uniform(0.1, 1.0, (n, r)))


def _b_orthogonal(src: _Source, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    r = p["rank"]
    V = src.orthogonal(d)
    Vc = np.stack([V[:, i * r : (i + 1) * r] for i in range(n)])
    return _from_eig(Vc, src.uniform(0.1, 1.0, (n, r)))


def _b_identical(src: _Source, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    lam = _spectrum(src, p["rank"], p["condition"], p["scale"])
    if p["rank"] == 1:
        g = src.orthogonal(d)[:, 0] * np.sqrt(lam[0])
        return _rank_one(np.repeat(g[None, :], n, axis=0))
    H0 = _psd(src, d, lam, False)
    return np.repeat(H0[None], n, axis=0), None


def _b_nearly(src: _Source, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    lam = _spectrum(src, p["rank"], p["condition"], 1.0)
    H0 = _psd(src, d, lam, False)
    U = _unit_rows(src.normal((n, d)))
    size = p["eps"] * float(np.linalg.norm(H0))
    H = H0[None] + size * (U[:, :, None] * U[:, None, :])
    return _sym(H), None


def _b_low_srank(src: _Source, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    r = p["rank"]
    t = _geometric_ratio(p["stable_rank"], r)
    lam = t ** np.arange(r, dtype=float)  # 0.0**0 == 1: a single eigenvalue when t == 0
    weights = src.uniform(0.5, 2.0, (n,))
    if p["shared_basis"]:
        V = src.orthogonal(d)[:, :r]
        Vc = np.repeat(V[None], n, axis=0)
    else:
        Vc = np.stack([src.orthogonal(d)[:, :r] for _ in range(n)])
    return _from_eig(Vc, weights[:, None] * lam[None, :])


def _b_hetero(src: _Source, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    r, o = p["rank"], p["orders"]
    e = src.uniform(-o / 2, o / 2, (n,))
    if n >= 2:
        e[0], e[1] = -o / 2, o / 2
    lam = np.concatenate([np.ones((n, 1)), src.uniform(0.1, 1.0, (n, r - 1))], axis=1)
    Vc = np.stack([src.orthogonal(d)[:, :r] for _ in range(n)])
    return _from_eig(Vc, lam * (10.0**e)[:, None])


def _dexter(n: int, d: int, sigma: int, lam1: float, thm2: bool) -> tuple[Array, Array]:
    m = lam1 * n / sigma
    H = np.zeros((n, d, d))
    G = np.zeros((n, d))
    for i in range(n):  # 0-based i; the paper's index is i + 1
        if i < sigma:
            k = 0
        elif thm2:
            continue
        else:
            k = i - sigma + 1
        H[i, k, k] = m
        G[i, k] = np.sqrt(m)
    return H, G


def _b_dexter(src: _Source, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    return _dexter(n, d, p["sigma"], p["lam1"], thm2=False)


def _b_dexter2(src: _Source, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    return _dexter(n, d, p["sigma"], p["lam1"], thm2=True)


def _b_relu(src: _Source, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    k = p["input_dim"]
    W = np.sqrt(k) * _unit_rows(src.normal((d, k)))
    X = _unit_rows(src.normal((n, k)))
    return _rank_one(np.maximum(X @ W.T, 0.0))


# --------------------------------------------------------------------------------------------
# kind parameters: generator default, Hypothesis strategy, validation


Default = Callable[[int, int, Mapping[str, Any], np.random.Generator], Any]
Strat = Callable[[int, int, Mapping[str, Any]], st.SearchStrategy[Any]]
_F = st.floats


def _cond_default(n: int, d: int, p: Mapping[str, Any], rng: np.random.Generator) -> float:
    return 10.0 if p["rank"] >= 2 else 1.0


def _cond_strategy(n: int, d: int, p: Mapping[str, Any]) -> st.SearchStrategy[float]:
    return _F(1.0, 1e3) if p["rank"] >= 2 else st.just(1.0)


def _sigma_lo(n: int, d: int) -> int:
    return max(1, n - d + 1)


_PARAMS: dict[str, dict[str, tuple[Default, Strat]]] = {
    "gaussian": {},
    "anisotropic": {
        "cov_spectrum": (
            lambda n, d, p, rng: np.geomspace(1.0, 1e-2, d) if d > 1 else np.ones(1),
            lambda n, d, p: _F(0.0, 4.0).map(lambda a: np.geomspace(1.0, 10.0**-a, d)),
        )
    },
    "sphere": {"radius": (lambda n, d, p, rng: 1.0, lambda n, d, p: _F(0.1, 10.0))},
    "heavy_tailed": {"df": (lambda n, d, p, rng: 3.0, lambda n, d, p: _F(1.0, 10.0))},
    "wishart": {"rank": (lambda n, d, p, rng: 2, lambda n, d, p: st.integers(1, d + 1))},
    "commuting": {
        "rank": (lambda n, d, p, rng: d, lambda n, d, p: st.integers(1, d)),
        "diagonal": (lambda n, d, p, rng: False, lambda n, d, p: st.booleans()),
    },
    "orthogonal": {"rank": (lambda n, d, p, rng: 1, lambda n, d, p: st.integers(1, max(1, d // n)))},
    "identical": {
        "rank": (lambda n, d, p, rng: d, lambda n, d, p: st.integers(1, d)),
        "condition": (_cond_default, _cond_strategy),
        "scale": (lambda n, d, p, rng: 1.0, lambda n, d, p: _F(1e-2, 1e2)),
    },
    "nearly_coherent": {
        "eps": (lambda n, d, p, rng: 0.1, lambda n, d, p: _F(0.0, 0.5)),
        "rank": (lambda n, d, p, rng: d, lambda n, d, p: st.integers(1, d)),
        "condition": (_cond_default, _cond_strategy),
    },
    "low_stable_rank": {
        "rank": (lambda n, d, p, rng: d, lambda n, d, p: st.integers(1, d)),
        "stable_rank": (
            lambda n, d, p, rng: min(1.5, float(p["rank"])),
            lambda n, d, p: _F(1.0, min(2.0, float(p["rank"]))),
        ),
        "shared_basis": (lambda n, d, p, rng: False, lambda n, d, p: st.booleans()),
    },
    "heterogeneous": {
        "orders": (lambda n, d, p, rng: 4.0, lambda n, d, p: _F(0.0, 6.0)),
        "rank": (lambda n, d, p, rng: 1, lambda n, d, p: st.integers(1, d)),
    },
    "dexter2024": {
        "sigma": (
            lambda n, d, p, rng: int(rng.integers(_sigma_lo(n, d), n + 1)),
            lambda n, d, p: st.integers(_sigma_lo(n, d), n),
        ),
        "lam1": (lambda n, d, p, rng: 2.0, lambda n, d, p: st.just(2.0)),
    },
    "dexter2024_thm2": {
        "sigma": (lambda n, d, p, rng: int(rng.integers(1, n + 1)), lambda n, d, p: st.integers(1, n)),
        "lam1": (lambda n, d, p, rng: 1.0, lambda n, d, p: _F(0.1, 10.0)),
    },
    "wu2022_relu": {"input_dim": (lambda n, d, p, rng: 3, lambda n, d, p: st.integers(1, 4))},
}

_BUILDERS: dict[str, Callable[[_Source, int, int, Mapping[str, Any]], tuple[Array, Array | None]]] = {
    "gaussian": _b_gaussian,
    "anisotropic": _b_anisotropic,
    "sphere": _b_sphere,
    "heavy_tailed": _b_heavy,
    "wishart": _b_wishart,
    "commuting": _b_commuting,
    "orthogonal": _b_orthogonal,
    "identical": _b_identical,
    "nearly_coherent": _b_nearly,
    "low_stable_rank": _b_low_srank,
    "heterogeneous": _b_hetero,
    "dexter2024": _b_dexter,
    "dexter2024_thm2": _b_dexter2,
    "wu2022_relu": _b_relu,
}


def _check_kind(kind: Any) -> str:
    if kind not in FAMILY_KINDS:
        raise ValueError(f"kind: unknown family kind {kind!r}; choose one of {FAMILY_KINDS}")
    return str(kind)


def _check_names(kind: str, params: Mapping[str, Any]) -> None:
    allowed = _PARAMS[kind]
    for name in params:
        if name not in allowed:
            raise ValueError(
                f"{name}: not a parameter of kind {kind!r} (parameters: {tuple(allowed) or 'none'})"
            )


def _check_params(kind: str, n: int, d: int, p: Mapping[str, Any]) -> dict[str, Any]:
    """Validate resolved kind parameters; ``ValueError`` names the offending argument."""
    q = dict(p)
    if kind == "anisotropic":
        q["cov_spectrum"] = _vector(q["cov_spectrum"], "cov_spectrum", d)
    elif kind == "sphere":
        q["radius"] = _float(q["radius"], "radius", 0.0, open_lo=True)
    elif kind == "heavy_tailed":
        q["df"] = _float(q["df"], "df", 1.0)
    elif kind == "wishart":
        q["rank"] = _int(q["rank"], "rank", 1)
    elif kind == "commuting":
        q["rank"] = _int(q["rank"], "rank", 1, d)
        q["diagonal"] = _bool(q["diagonal"], "diagonal")
    elif kind == "orthogonal":
        q["rank"] = _int(q["rank"], "rank", 1, d)
        if n * q["rank"] > d:
            raise ValueError(f"n: orthogonal families need n * rank <= d, got n={n}, rank={q['rank']}, d={d}")
    elif kind in ("identical", "nearly_coherent"):
        q["rank"] = _int(q["rank"], "rank", 1, d)
        _, _, q["condition"], _, _ = _check_psd_args(d, q["rank"], q["condition"], None, None)
        if kind == "identical":
            q["scale"] = _float(q["scale"], "scale", 0.0, open_lo=True)
        else:
            q["eps"] = _float(q["eps"], "eps", 0.0, 1.0)
    elif kind == "low_stable_rank":
        q["rank"] = _int(q["rank"], "rank", 1, d)
        q["stable_rank"] = _float(q["stable_rank"], "stable_rank", 1.0, float(q["rank"]))
        q["shared_basis"] = _bool(q["shared_basis"], "shared_basis")
    elif kind == "heterogeneous":
        q["orders"] = _float(q["orders"], "orders", 0.0, 12.0)
        q["rank"] = _int(q["rank"], "rank", 1, d)
    elif kind in ("dexter2024", "dexter2024_thm2"):
        q["sigma"] = _int(q["sigma"], "sigma", 1, n)
        q["lam1"] = _float(q["lam1"], "lam1", 0.0, open_lo=True)
        if kind == "dexter2024" and d < n - q["sigma"] + 1:
            raise ValueError(
                f"d: the dexter2024 family needs d >= n - sigma + 1 = {n - q['sigma'] + 1}, got {d}"
            )
    elif kind == "wu2022_relu":
        q["input_dim"] = _int(q["input_dim"], "input_dim", 1)
    return q


def _is_rank_one(kind: str, p: Mapping[str, Any]) -> bool:
    if kind in RANK_ONE_KINDS:
        return True
    return kind != "nearly_coherent" and p.get("rank") == 1


def _check_gradients(kind: str, p: Mapping[str, Any], gradients: bool) -> None:
    if gradients and not _is_rank_one(kind, p):
        raise ValueError(f"gradients: members of kind {kind!r} with these parameters are not rank one")


def _resolve_params(
    kind: str, n: int, d: int, params: Mapping[str, Any], rng: np.random.Generator, gradients: bool
) -> dict[str, Any]:
    """The given parameters completed with the generator defaults, validated."""
    p: dict[str, Any] = {}
    for name, (default, _) in _PARAMS[kind].items():
        p[name] = params[name] if name in params else default(n, d, p, rng)
    p = _check_params(kind, n, d, p)
    _check_gradients(kind, p, gradients)
    return p


def _feasible(kind: str, n: int, d: int) -> bool:
    return kind != "orthogonal" or n <= d


def _output(kind: str, H: Array, G: Array | None, p: dict[str, Any], gradients: bool, labelled: bool) -> Any:
    H = np.ascontiguousarray(H, dtype=np.float64)
    if labelled:
        return FamilyDraw(kind, H, G, p)
    if gradients:
        return H, G
    return H


# --------------------------------------------------------------------------------------------
# public: PSD matrices


def random_psd_with(
    rng: np.random.Generator,
    d: int,
    *,
    rank: int | None = None,
    condition: float | None = None,
    scale: float | None = None,
    spectrum: Sequence[float] | Array | None = None,
    diagonal: bool = False,
) -> Array:
    r"""A seeded random PSD matrix :math:`V\,\mathrm{diag}(\lambda)\,V^T` with a controlled spectrum.

    Parameters
    ----------
    rng
        Source of randomness (the eigenbasis and undrawn spectrum values).
    d
        Dimension (>= 1).
    rank
        Number of positive eigenvalues, ``0 <= rank <= d`` (default ``d``).
    condition
        Ratio of the largest to the smallest *positive* eigenvalue, >= 1 (default drawn
        log-uniformly in :math:`[1, 10^3]`; must be 1 when ``rank <= 1``).  The positive
        eigenvalues in between are log-uniform.
    scale
        Largest eigenvalue :math:`\lambda_1 = \|H\|_2 > 0` (default drawn log-uniformly in
        :math:`[0.1, 10]`).
    spectrum
        Explicit eigenvalues (length ``d``, finite, >= 0); excludes rank/condition/scale.
    diagonal
        Use the standard basis (a diagonal matrix) instead of a Haar-random one.

    Returns
    -------
    numpy.ndarray
        A ``(d, d)`` float64, finite, exactly symmetric PSD matrix.

    Raises
    ------
    ValueError
        Naming the argument when ``d``, ``rank``, ``condition``, ``scale`` or ``spectrum`` is
        invalid or inconsistent (e.g. ``rank > d``, ``condition < 1``).
    """
    _check_rng(rng)
    d, rank, condition, scale, lam = _check_psd_args(d, rank, condition, scale, spectrum)
    diagonal = _bool(diagonal, "diagonal")
    src = _RngSource(rng)
    if lam is None:
        r = d if rank is None else rank
        if condition is None:
            condition = 10 ** rng.uniform(0, 3) if r >= 2 else 1.0
        if scale is None:
            scale = 10 ** rng.uniform(-1, 1)
        lam = _spectrum(src, r, condition, scale)
    return _psd(src, d, lam, diagonal)


def psd_with(
    dim: int | st.SearchStrategy[int] | None = None,
    *,
    rank: int | st.SearchStrategy[int] | None = None,
    condition: float | st.SearchStrategy[float] | None = None,
    scale: float | st.SearchStrategy[float] | None = None,
    spectrum: Sequence[float] | Array | None = None,
    diagonal: bool = False,
) -> st.SearchStrategy[Array]:
    r"""Hypothesis strategy for PSD matrices with controlled rank, condition number and scale.

    Each argument is a fixed value, a strategy, or ``None`` (drawn).  Examples shrink towards
    small dimension, rank one, condition 1 and the identity eigenbasis (diagonal matrices).

    Parameters
    ----------
    dim
        Dimension (default: 1 to 5, at least ``rank`` when ``rank`` is fixed).
    rank
        Number of positive eigenvalues, ``0 <= rank <= dim`` (default: 1 to ``dim``).
    condition
        Ratio of the largest to the smallest positive eigenvalue, >= 1 (default: drawn in
        :math:`[1, 10^3]`, or 1 when the rank is at most one).
    scale
        Largest eigenvalue, > 0 (default: drawn in :math:`[10^{-2}, 10^2]`).
    spectrum
        Fixed eigenvalues (length ``dim``); excludes rank/condition/scale.
    diagonal
        Always return diagonal matrices.

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Strategy of ``(dim, dim)`` float64, finite, exactly symmetric PSD matrices.

    Raises
    ------
    ValueError
        At call time, naming the argument, for invalid fixed values.
    """
    fixed_dim = None if dim is None or isinstance(dim, st.SearchStrategy) else _int(dim, "dim", 1)
    fixed_rank = None if rank is None or isinstance(rank, st.SearchStrategy) else rank
    fixed_cond = None if condition is None or isinstance(condition, st.SearchStrategy) else condition
    fixed_scale = None if scale is None or isinstance(scale, st.SearchStrategy) else scale
    if spectrum is not None:
        _check_spectrum_alone(rank, condition, scale)
        size = fixed_dim if fixed_dim is not None else int(np.size(spectrum))
        lam_fixed: Array | None = _vector(spectrum, "spectrum", size)
    else:
        lam_fixed = None
        fixed_rank, fixed_cond, fixed_scale = _check_rank_condition_scale(
            fixed_rank, fixed_cond, fixed_scale, fixed_dim
        )
    diagonal = _bool(diagonal, "diagonal")

    @st.composite
    def _strategy(draw: Any) -> Array:
        src = _DrawSource(draw)
        if lam_fixed is not None:
            return _psd(src, lam_fixed.size, lam_fixed, diagonal)
        if isinstance(dim, st.SearchStrategy):
            d = _int(draw(dim), "dim", 1)
        elif fixed_dim is not None:
            d = fixed_dim
        else:
            lo = fixed_rank if fixed_rank is not None else 1
            d = draw(st.integers(max(1, lo), max(5, lo)))
        r = draw(rank) if isinstance(rank, st.SearchStrategy) else fixed_rank
        r = draw(st.integers(1, d)) if r is None else _int(r, "rank", 0, d)
        c = draw(condition) if isinstance(condition, st.SearchStrategy) else fixed_cond
        if c is None:
            c = draw(_F(1.0, 1e3)) if r >= 2 else 1.0
        s = draw(scale) if isinstance(scale, st.SearchStrategy) else fixed_scale
        if s is None:
            s = draw(_F(1e-2, 1e2))
        _, r, c, s, _ = _check_psd_args(d, r, c, s, None)
        assert r is not None and c is not None and s is not None
        return _psd(src, d, _spectrum(src, r, c, s), diagonal)

    return _strategy()


# --------------------------------------------------------------------------------------------
# public: families


def random_family(
    rng: np.random.Generator,
    kind: str,
    n: int,
    d: int,
    *,
    gradients: bool = False,
    labelled: bool = False,
    **params: Any,
) -> Any:
    r"""A seeded random family :math:`\{H_i\}_{i<n}` of ``d``-by-``d`` PSD matrices of one kind.

    Parameters
    ----------
    rng
        Source of randomness.
    kind
        One of :data:`FAMILY_KINDS` (see the module docstring for each kind's guarantee).
    n
        Number of members (>= 1).
    d
        Dimension (>= 1).  ``dexter2024`` needs ``d >= n - sigma + 1``; ``orthogonal`` needs
        ``n * rank <= d``; for ``wu2022_relu`` it is the number of random features.
    gradients
        Also return the rank-one factors ``G`` (shape ``(n, d)``, ``H[i] = outer(G[i], G[i])``);
        only for kinds whose members are rank one (:data:`RANK_ONE_KINDS`, or ``rank=1``).
    labelled
        Return a :class:`FamilyDraw` (kind, H, G, resolved parameters) instead.
    **params
        Kind parameters: ``cov_spectrum`` (anisotropic, default ``geomspace(1, 1e-2, d)``),
        ``radius`` (sphere, 1), ``df`` (heavy_tailed, 3, >= 1), ``rank`` (wishart 2; commuting,
        identical, nearly_coherent, low_stable_rank ``d``; orthogonal, heterogeneous 1),
        ``diagonal`` (commuting, False), ``condition`` (identical, nearly_coherent: 10, or 1 at
        rank one), ``scale`` (identical, 1), ``eps`` (nearly_coherent, 0.1, in [0, 1]),
        ``stable_rank`` (low_stable_rank, ``min(1.5, rank)``), ``shared_basis``
        (low_stable_rank, False), ``orders`` (heterogeneous, 4), ``sigma`` (dexter kinds,
        drawn uniformly from the feasible integers), ``lam1`` (dexter2024 2, dexter2024_thm2 1),
        ``input_dim`` (wu2022_relu, 3).

    Returns
    -------
    numpy.ndarray or tuple or FamilyDraw
        ``H`` of shape ``(n, d, d)`` (float64, finite, each slice exactly symmetric PSD), or
        ``(H, G)`` with ``gradients=True``, or a :class:`FamilyDraw` with ``labelled=True``.

    Raises
    ------
    ValueError
        Naming the argument for an unknown kind or parameter, invalid sizes or parameter
        values, or ``gradients=True`` for members that are not rank one.
    """
    _check_rng(rng)
    kind = _check_kind(kind)
    n, d = _int(n, "n", 1), _int(d, "d", 1)
    gradients, labelled = _bool(gradients, "gradients"), _bool(labelled, "labelled")
    _check_names(kind, params)
    p = _resolve_params(kind, n, d, params, rng, gradients)
    H, G = _BUILDERS[kind](_RngSource(rng), n, d, p)
    return _output(kind, H, G, p, gradients, labelled)


def _size_strategy(x: Any, name: str) -> st.SearchStrategy[int]:
    if x is None:
        return st.integers(1, 5)
    if isinstance(x, st.SearchStrategy):
        return x
    return st.just(_int(x, name, 1))


@st.composite
def _draw_family(
    draw: Any,
    kinds: tuple[str, ...],
    ns: st.SearchStrategy[int],
    ds: st.SearchStrategy[int],
    given: Mapping[str, Any],
    gradients: bool,
    labelled: bool,
) -> Any:
    n = _int(draw(ns), "n", 1)
    d = _int(draw(ds), "d", 1)
    feasible = [k for k in kinds if _feasible(k, n, d)]
    assume(feasible)
    kind = draw(st.sampled_from(feasible))
    p: dict[str, Any] = {}
    for name, (_, strategy) in _PARAMS[kind].items():
        v = given.get(name)
        if v is None:
            v = draw(strategy(n, d, p))
        elif isinstance(v, st.SearchStrategy):
            v = draw(v)
        p[name] = v
    p = _check_params(kind, n, d, p)
    _check_gradients(kind, p, gradients)
    H, G = _BUILDERS[kind](_DrawSource(draw), n, d, p)
    return _output(kind, H, G, p, gradients, labelled)


def family(
    kind: str,
    n: int | st.SearchStrategy[int] | None = None,
    d: int | st.SearchStrategy[int] | None = None,
    *,
    gradients: bool = False,
    labelled: bool = False,
    **params: Any,
) -> st.SearchStrategy[Any]:
    r"""Hypothesis strategy for families :math:`\{H_i\}` of one kind.

    Parameters
    ----------
    kind
        One of :data:`FAMILY_KINDS`.
    n, d
        Number of members and dimension: fixed, a strategy, or ``None`` (1 to 5).
    gradients
        Yield ``(H, G)`` with the rank-one factors (rank-one members only).
    labelled
        Yield :class:`FamilyDraw` objects (kind, H, G, resolved parameters).
    **params
        Kind parameters as for :func:`random_family`, each fixed or a strategy; parameters
        left out are drawn from ranges that shrink to simple values (e.g. ``eps`` towards 0,
        ``sigma`` towards its smallest feasible value, ``rank`` towards 1).

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        Strategy of ``(n, d, d)`` float64 arrays (or tuples / :class:`FamilyDraw`).

    Raises
    ------
    ValueError
        At call time for an unknown kind or parameter name, invalid fixed sizes, or fixed
        parameters that fail validation; at draw time for drawn values that fail it.
    """
    kind = _check_kind(kind)
    _check_names(kind, params)
    gradients, labelled = _bool(gradients, "gradients"), _bool(labelled, "labelled")
    ns, ds = _size_strategy(n, "n"), _size_strategy(d, "d")
    if (
        isinstance(n, int)
        and isinstance(d, int)
        and not any(isinstance(v, st.SearchStrategy) for v in params.values())
    ):
        # validate fixed arguments eagerly (missing parameters take their generator defaults)
        _resolve_params(kind, n, d, params, np.random.default_rng(0), gradients)
    elif gradients and kind not in RANK_ONE_KINDS and "rank" not in params:
        raise ValueError(f"gradients: kind {kind!r} is rank one only with rank=1")
    if kind == "orthogonal" and isinstance(n, int) and isinstance(d, int) and n > d:
        raise ValueError(f"n: orthogonal families need n <= d, got n={n}, d={d}")
    return _draw_family((kind,), ns, ds, dict(params), gradients, labelled)


def families(
    kinds: Sequence[str] = FAMILY_KINDS,
    n: int | st.SearchStrategy[int] | None = None,
    d: int | st.SearchStrategy[int] | None = None,
    *,
    gradients: bool = False,
    labelled: bool = False,
) -> st.SearchStrategy[Any]:
    r"""Hypothesis strategy drawing a kind, then a family :math:`\{H_i\}` of that kind.

    Parameters
    ----------
    kinds
        Kinds to draw from (shrinks towards the first); kinds infeasible for the drawn sizes
        (``orthogonal`` with ``n > d``) are skipped.
    n, d, labelled
        As for :func:`family`.
    gradients
        Restrict to :data:`RANK_ONE_KINDS` and yield ``(H, G)``.

    Returns
    -------
    hypothesis.strategies.SearchStrategy
        As for :func:`family`.

    Raises
    ------
    ValueError
        At call time, naming the argument, for unknown or empty ``kinds`` or invalid sizes.
    """
    if isinstance(kinds, str):
        kinds = (kinds,)
    ks = tuple(_check_kind(k) for k in kinds)
    if not ks:
        raise ValueError("kinds: expected at least one family kind")
    gradients, labelled = _bool(gradients, "gradients"), _bool(labelled, "labelled")
    if gradients:
        ks = tuple(k for k in ks if k in RANK_ONE_KINDS)
        if not ks:
            raise ValueError(f"kinds: gradients=True needs at least one of {RANK_ONE_KINDS}")
    ns, ds = _size_strategy(n, "n"), _size_strategy(d, "d")
    if isinstance(n, int) and isinstance(d, int) and not any(_feasible(k, n, d) for k in ks):
        raise ValueError(f"kinds: no kind in {ks} is feasible for n={n}, d={d}")
    return _draw_family(ks, ns, ds, {}, gradients, labelled)


# --------------------------------------------------------------------------------------------
# public: the papers' constructions, deterministic


def dexter2024_family(
    n: int, sigma: int, *, lam1: float = 2.0, d: int | None = None, gradients: bool = False
) -> Any:
    r"""The tunable-coherence family of the experiments of :cite:`dexter2024precise` (§5.1).

    Member :math:`i` (1-based) is :math:`m\,e_1e_1^T` for :math:`i \le \sigma` and
    :math:`m\,e_{i-\sigma+1}e_{i-\sigma+1}^T` otherwise, with :math:`m = \lambda_1 n/\sigma`.
    Then the mean :math:`H = \frac1n\sum_i H_i = \mathrm{diag}(\lambda_1, \lambda_1/\sigma,
    \dots)` has :math:`\lambda_1(H) = \lambda_1`, and the coherence measure
    :math:`\lambda_1(S)/\max_i\lambda_1(H_i)` with :math:`S_{ij} = \sqrt{\operatorname{tr}(H_iH_j)}`
    equals ``sigma``: ``sigma = 1`` gives mutually orthogonal members, ``sigma = n`` identical
    ones.  The paper uses ``n = 100``, ``lam1 = 2`` and ``d = n - sigma + 1``.

    Parameters
    ----------
    n
        Number of members (>= 1).
    sigma
        Target coherence, an integer in ``[1, n]``.
    lam1
        Top eigenvalue of the mean Hessian (> 0; the paper's value is 2).
    d
        Dimension, ``>= n - sigma + 1`` (default exactly that); extra coordinates are zero.
    gradients
        Also return ``G`` with ``G[i] = sqrt(m) e_k`` (so ``outer(G[i], G[i])`` equals
        ``H[i]`` up to rounding).

    Returns
    -------
    numpy.ndarray or tuple
        ``H`` of shape ``(n, d, d)``, or ``(H, G)``.

    Raises
    ------
    ValueError
        Naming ``n``, ``sigma``, ``lam1`` or ``d`` when invalid.
    """
    n = _int(n, "n", 1)
    sigma = _int(sigma, "sigma", 1, n)
    d = n - sigma + 1 if d is None else _int(d, "d", 1)
    p = _check_params("dexter2024", n, d, {"sigma": sigma, "lam1": lam1})
    H, G = _dexter(n, d, p["sigma"], p["lam1"], thm2=False)
    return (H, G) if _bool(gradients, "gradients") else H


def dexter2024_thm2_family(
    n: int, sigma: int, *, lam1: float = 1.0, d: int | None = None, gradients: bool = False
) -> Any:
    r"""The family of the proof of Theorem 2 of :cite:`dexter2024precise`.

    Members :math:`i \le \sigma` are :math:`m\,e_1e_1^T` and the rest are zero, with
    :math:`m = \lambda_1 n / \sigma`; the mean Hessian has :math:`\lambda_1(H) = \lambda_1` and
    the coherence measure equals ``sigma``.  Arguments, result and errors are those of
    :func:`dexter2024_family`, except:

    Parameters
    ----------
    d
        Dimension (>= 1, default ``n`` as in the proof).
    gradients
        Also return the rank-one factors ``G`` (zero rows for the zero members).
    """
    n = _int(n, "n", 1)
    d = n if d is None else _int(d, "d", 1)
    p = _check_params("dexter2024_thm2", n, d, {"sigma": sigma, "lam1": lam1})
    H, G = _dexter(n, d, p["sigma"], p["lam1"], thm2=True)
    return (H, G) if _bool(gradients, "gradients") else H
