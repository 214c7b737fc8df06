r"""The vocabulary of family kinds: names, parameters (default, strategy, validation), builders.

Every kind is defined once here: its name, the parameters it accepts with their generator
default and their Hypothesis strategy (:data:`_PARAMS`), the rules that validate them
(:func:`_check_params`) and its construction (:data:`_BUILDERS`, from
:mod:`verifythm.strategies.families.builders`).  What each kind guarantees is stated in the
docstring of :mod:`verifythm.strategies.families`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import numpy as np
from hypothesis import strategies as st

from verifythm.linalg.psd import Array
from verifythm.strategies.families.builders import (
    _b_anisotropic,
    _b_commuting,
    _b_dexter,
    _b_dexter2,
    _b_gaussian,
    _b_heavy,
    _b_hetero,
    _b_identical,
    _b_low_srank,
    _b_nearly,
    _b_orthogonal,
    _b_relu,
    _b_scaled,
    _b_sparse,
    _b_sphere,
    _b_wishart,
)
from verifythm.strategies.families.sources import _Source
from verifythm.strategies.families.validation import _bool, _check_psd_args, _float, _int, _vector

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
"""The default kinds of :func:`families` and :func:`~verifythm.strategies.family_instance`.

Frozen: the catalogue's instance streams cycle through exactly these kinds, so adding a kind
here would change its draws and verdicts.  Every kind :func:`random_family` and :func:`family`
understand is in :data:`ALL_KINDS`.
"""

RANK_ONE_KINDS = (
    "gaussian",
    "anisotropic",
    "sphere",
    "heavy_tailed",
    "dexter2024",
    "dexter2024_thm2",
    "wu2022_relu",
)
"""Kinds of :data:`FAMILY_KINDS` whose members are always rank one (frozen like it)."""

ALL_KINDS = (*FAMILY_KINDS, "sparse", "scaled")
"""Every kind of the one vocabulary: :data:`FAMILY_KINDS` and the gradient-matrix kinds
``sparse`` and ``scaled`` (formerly only in ``verifythm.strategies.matrices.FAMILIES``)."""

ALL_RANK_ONE_KINDS = (*RANK_ONE_KINDS, "sparse", "scaled")
"""Kinds of :data:`ALL_KINDS` whose members are always rank one."""

GRADIENT_KINDS = (
    "gaussian",
    "anisotropic",
    "identical",
    "orthogonal",
    "sparse",
    "scaled",
    "sphere",
    "heavy_tailed",
    "commuting",
    "wishart",
    "low_stable_rank",
    "heterogeneous",
    "dexter2024",
    "dexter2024_thm2",
    "wu2022_relu",
)
"""Kinds that give rank-one members :math:`H_i = g_i g_i^T`, always or with ``rank=1``.

The default of :func:`~verifythm.strategies.families.gradient_matrices`; it starts with the
six names of the retired ``matrices.FAMILIES`` (shrinking moves towards the first kind).
"""


class FamilyDraw(NamedTuple):
    """A generated family with its provenance (returned when ``labelled=True``)."""

    kind: str
    """The family kind (one of :data:`ALL_KINDS`)."""
    H: Array
    """The members, shape ``(n, d, d)``."""
    G: Array | None
    """Rank-one factors, shape ``(n, d)`` with ``H[i] = outer(G[i], G[i])``, or ``None``."""
    params: dict[str, Any]
    """The resolved kind parameters used for the draw."""


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
    "sparse": {"density": (lambda n, d, p, rng: 0.3, lambda n, d, p: _F(0.1, 1.0))},
    "scaled": {"orders": (lambda n, d, p, rng: 6.0, lambda n, d, p: _F(0.0, 6.0))},
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
    "sparse": _b_sparse,
    "scaled": _b_scaled,
}


def _check_kind(kind: Any) -> str:
    if kind not in ALL_KINDS:
        raise ValueError(f"kind: unknown family kind {kind!r}; choose one of {ALL_KINDS}")
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
    elif kind == "sparse":
        q["density"] = _float(q["density"], "density", 0.0, 1.0)
    elif kind == "scaled":
        q["orders"] = _float(q["orders"], "orders", 0.0, 12.0)
    return q


def _is_rank_one(kind: str, p: Mapping[str, Any]) -> bool:
    if kind in ALL_RANK_ONE_KINDS:
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
