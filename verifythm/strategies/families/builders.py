r"""Constructions of the family kinds: each builder returns the members and, if rank one, the factors.

A builder ``build_<kind>(src, n, d, p)`` takes a source of randomness
(:mod:`verifythm.strategies.families.sources`), the sizes and the resolved kind parameters
``p``, and returns ``(H, G)``: the ``(n, d, d)`` members and either the ``(n, d)`` rank-one
factors (``H[i] = outer(G[i], G[i])``) or ``None``.  The order of the calls to the source
is part of a builder's contract: it fixes the numpy stream, and with it every verdict of
the catalogue that draws from the kind.

The gradient-matrix kinds ``sparse`` and ``scaled`` first build the matrix
:math:`Q = (g_1,\dots,g_n) \in \mathbb{R}^{d\times n}` column-wise, exactly as
``verifythm.strategies.matrices.random_gradients`` always did, so both names give
bit-identical draws (:func:`sparse_columns`, :func:`scaled_columns`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from verifythm.linalg.psd import Array
from verifythm.strategies.families.sources import MatrixSource


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


def draw_spectrum(src: MatrixSource, rank: int, condition: float, scale: float) -> Array:
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


def psd_from_spectrum(src: MatrixSource, d: int, lam: Array, diagonal: bool) -> Array:
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


def build_gaussian(src: MatrixSource, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    """The ``gaussian`` kind: ``(H, G)`` for ``n`` members in dimension ``d`` (parameters ``p``)."""
    return _rank_one(src.normal((n, d)))


def build_anisotropic(src: MatrixSource, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    """The ``anisotropic`` kind: ``(H, G)`` for ``n`` members in dimension ``d`` (parameters ``p``)."""
    return _rank_one(src.normal((n, d)) * np.sqrt(p["cov_spectrum"])[None, :])


def build_sphere(src: MatrixSource, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    """The ``sphere`` kind: ``(H, G)`` for ``n`` members in dimension ``d`` (parameters ``p``)."""
    return _rank_one(p["radius"] * _unit_rows(src.normal((n, d))))


def build_heavy(src: MatrixSource, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    """The ``heavy_tailed`` kind: ``(H, G)`` for ``n`` members in dimension ``d`` (parameters ``p``)."""
    df = p["df"]
    w = np.sqrt(df / src.chisquare(df, (n,)))
    return _rank_one(src.normal((n, d)) * w[:, None])


def build_wishart(src: MatrixSource, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    """The ``wishart`` kind: ``(H, G)`` for ``n`` members in dimension ``d`` (parameters ``p``)."""
    r = p["rank"]
    Z = src.normal((n, d, r)) / np.sqrt(r)
    if r == 1:
        return _rank_one(Z[:, :, 0])
    return _sym(Z @ np.swapaxes(Z, 1, 2)), None


def build_commuting(src: MatrixSource, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    """The ``commuting`` kind: ``(H, G)`` for ``n`` members in dimension ``d`` (parameters ``p``)."""
    r = p["rank"]
    V = np.eye(d) if p["diagonal"] else src.orthogonal(d)
    Vc = np.stack([V[:, src.subset(d, r)] for _ in range(n)])
    return _from_eig(Vc, src.uniform(0.1, 1.0, (n, r)))


def build_orthogonal(src: MatrixSource, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    """The ``orthogonal`` kind: ``(H, G)`` for ``n`` members in dimension ``d`` (parameters ``p``)."""
    r = p["rank"]
    V = src.orthogonal(d)
    Vc = np.stack([V[:, i * r : (i + 1) * r] for i in range(n)])
    return _from_eig(Vc, src.uniform(0.1, 1.0, (n, r)))


def build_identical(src: MatrixSource, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    """The ``identical`` kind: ``(H, G)`` for ``n`` members in dimension ``d`` (parameters ``p``)."""
    lam = draw_spectrum(src, p["rank"], p["condition"], p["scale"])
    if p["rank"] == 1:
        g = src.orthogonal(d)[:, 0] * np.sqrt(lam[0])
        return _rank_one(np.repeat(g[None, :], n, axis=0))
    H0 = psd_from_spectrum(src, d, lam, False)
    return np.repeat(H0[None], n, axis=0), None


def build_nearly(src: MatrixSource, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    """The ``nearly_coherent`` kind: ``(H, G)`` for ``n`` members in dimension ``d`` (parameters ``p``)."""
    lam = draw_spectrum(src, p["rank"], p["condition"], 1.0)
    H0 = psd_from_spectrum(src, d, lam, False)
    U = _unit_rows(src.normal((n, d)))
    size = p["eps"] * float(np.linalg.norm(H0))
    H = H0[None] + size * (U[:, :, None] * U[:, None, :])
    return _sym(H), None


def build_low_srank(src: MatrixSource, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    """The ``low_stable_rank`` kind: ``(H, G)`` for ``n`` members in dimension ``d`` (parameters ``p``)."""
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


def build_hetero(src: MatrixSource, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    """The ``heterogeneous`` kind: ``(H, G)`` for ``n`` members in dimension ``d`` (parameters ``p``)."""
    r, o = p["rank"], p["orders"]
    e = src.uniform(-o / 2, o / 2, (n,))
    if n >= 2:
        e[0], e[1] = -o / 2, o / 2
    lam = np.concatenate([np.ones((n, 1)), src.uniform(0.1, 1.0, (n, r - 1))], axis=1)
    Vc = np.stack([src.orthogonal(d)[:, :r] for _ in range(n)])
    return _from_eig(Vc, lam * (10.0**e)[:, None])


def dexter_members(n: int, d: int, sigma: int, lam1: float, thm2: bool) -> tuple[Array, Array]:
    """The dexter2024precise family (§5.1; with ``thm2``, the construction of Theorem 2) and its factors."""
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


def build_dexter(src: MatrixSource, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    """The ``dexter2024`` kind: ``(H, G)`` for ``n`` members in dimension ``d`` (parameters ``p``)."""
    return dexter_members(n, d, p["sigma"], p["lam1"], thm2=False)


def build_dexter2(src: MatrixSource, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    """The ``dexter2024_thm2`` kind: ``(H, G)`` for ``n`` members in dimension ``d`` (parameters ``p``)."""
    return dexter_members(n, d, p["sigma"], p["lam1"], thm2=True)


def build_relu(src: MatrixSource, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    """The ``wu2022_relu`` kind: ``(H, G)`` for ``n`` members in dimension ``d`` (parameters ``p``)."""
    k = p["input_dim"]
    W = np.sqrt(k) * _unit_rows(src.normal((d, k)))
    X = _unit_rows(src.normal((n, k)))
    return _rank_one(np.maximum(X @ W.T, 0.0))


def sparse_columns(src: MatrixSource, d: int, n: int, density: float) -> Array:
    r""":math:`Q\in\mathbb{R}^{d\times n}`: standard Gaussian entries, each kept with probability ``density``.

    Draw order: the ``d * n`` Gaussian entries (row-major), then one uniform per entry.
    """
    Q = src.normal((d, n))
    return Q * src.keep(density, (d, n))


def scaled_columns(src: MatrixSource, d: int, n: int, orders: float) -> Array:
    r""":math:`Q\in\mathbb{R}^{d\times n}`: Gaussian columns, column ``i`` scaled by :math:`10^{e_i}`.

    The exponents are :math:`e_i \sim U[-o/2, o/2]` with :math:`o` = ``orders``.  Draw order:
    the ``d * n`` Gaussian entries (row-major), then the ``n`` exponents.
    """
    Q = src.normal((d, n))
    return Q * 10.0 ** src.uniform(-orders / 2, orders / 2, (n,))[None, :]


def build_sparse(src: MatrixSource, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    """The ``sparse`` kind: ``(H, G)`` for ``n`` members in dimension ``d`` (parameters ``p``)."""
    return _rank_one(sparse_columns(src, d, n, p["density"]).T)


def build_scaled(src: MatrixSource, n: int, d: int, p: Mapping[str, Any]) -> tuple[Array, Array | None]:
    """The ``scaled`` kind: ``(H, G)`` for ``n`` members in dimension ``d`` (parameters ``p``)."""
    return _rank_one(scaled_columns(src, d, n, p["orders"]).T)
