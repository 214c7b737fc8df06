r"""The vocabulary of family kinds: names, parameters (default, strategy, validation), builders.

Every kind is defined once here: its name, the parameters it accepts with their generator
default and their Hypothesis strategy (:data:`PARAMS`), the rules that validate them
(:func:`check_params`) and its construction (:data:`BUILDERS`, from
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
    build_anisotropic,
    build_commuting,
    build_dexter,
    build_dexter2,
    build_gaussian,
    build_heavy,
    build_hetero,
    build_identical,
    build_low_srank,
    build_nearly,
    build_orthogonal,
    build_relu,
    build_scaled,
    build_sparse,
    build_sphere,
    build_wishart,
)
from verifythm.strategies.families.sources import MatrixSource
from verifythm.strategies.families.validation import (
    bool_arg,
    check_psd_args,
    float_arg,
    int_arg,
    nonneg_vector,
)

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


PARAMS: dict[str, dict[str, tuple[Default, Strat]]] = {
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

BUILDERS: dict[str, Callable[[MatrixSource, int, int, Mapping[str, Any]], tuple[Array, Array | None]]] = {
    "gaussian": build_gaussian,
    "anisotropic": build_anisotropic,
    "sphere": build_sphere,
    "heavy_tailed": build_heavy,
    "wishart": build_wishart,
    "commuting": build_commuting,
    "orthogonal": build_orthogonal,
    "identical": build_identical,
    "nearly_coherent": build_nearly,
    "low_stable_rank": build_low_srank,
    "heterogeneous": build_hetero,
    "dexter2024": build_dexter,
    "dexter2024_thm2": build_dexter2,
    "wu2022_relu": build_relu,
    "sparse": build_sparse,
    "scaled": build_scaled,
}


def check_kind(kind: Any) -> str:
    """``kind`` if it is one of :data:`ALL_KINDS`, else a ``ValueError`` naming ``kind``."""
    if kind not in ALL_KINDS:
        raise ValueError(f"kind: unknown family kind {kind!r}; choose one of {ALL_KINDS}")
    return str(kind)


def check_names(kind: str, params: Mapping[str, Any]) -> None:
    """Raise ``ValueError`` naming the first of ``params`` that is not a parameter of ``kind``."""
    allowed = PARAMS[kind]
    for name in params:
        if name not in allowed:
            raise ValueError(
                f"{name}: not a parameter of kind {kind!r} (parameters: {tuple(allowed) or 'none'})"
            )


def check_params(kind: str, n: int, d: int, p: Mapping[str, Any]) -> dict[str, Any]:
    """Validate resolved kind parameters; ``ValueError`` names the offending argument."""
    q = dict(p)
    if kind == "anisotropic":
        q["cov_spectrum"] = nonneg_vector(q["cov_spectrum"], "cov_spectrum", d)
    elif kind == "sphere":
        q["radius"] = float_arg(q["radius"], "radius", 0.0, open_lo=True)
    elif kind == "heavy_tailed":
        q["df"] = float_arg(q["df"], "df", 1.0)
    elif kind == "wishart":
        q["rank"] = int_arg(q["rank"], "rank", 1)
    elif kind == "commuting":
        q["rank"] = int_arg(q["rank"], "rank", 1, d)
        q["diagonal"] = bool_arg(q["diagonal"], "diagonal")
    elif kind == "orthogonal":
        q["rank"] = int_arg(q["rank"], "rank", 1, d)
        if n * q["rank"] > d:
            raise ValueError(f"n: orthogonal families need n * rank <= d, got n={n}, rank={q['rank']}, d={d}")
    elif kind in ("identical", "nearly_coherent"):
        q["rank"] = int_arg(q["rank"], "rank", 1, d)
        _, _, q["condition"], _, _ = check_psd_args(d, q["rank"], q["condition"], None, None)
        if kind == "identical":
            q["scale"] = float_arg(q["scale"], "scale", 0.0, open_lo=True)
        else:
            q["eps"] = float_arg(q["eps"], "eps", 0.0, 1.0)
    elif kind == "low_stable_rank":
        q["rank"] = int_arg(q["rank"], "rank", 1, d)
        q["stable_rank"] = float_arg(q["stable_rank"], "stable_rank", 1.0, float(q["rank"]))
        q["shared_basis"] = bool_arg(q["shared_basis"], "shared_basis")
    elif kind == "heterogeneous":
        q["orders"] = float_arg(q["orders"], "orders", 0.0, 12.0)
        q["rank"] = int_arg(q["rank"], "rank", 1, d)
    elif kind in ("dexter2024", "dexter2024_thm2"):
        q["sigma"] = int_arg(q["sigma"], "sigma", 1, n)
        q["lam1"] = float_arg(q["lam1"], "lam1", 0.0, open_lo=True)
        if kind == "dexter2024" and d < n - q["sigma"] + 1:
            raise ValueError(
                f"d: the dexter2024 family needs d >= n - sigma + 1 = {n - q['sigma'] + 1}, got {d}"
            )
    elif kind == "wu2022_relu":
        q["input_dim"] = int_arg(q["input_dim"], "input_dim", 1)
    elif kind == "sparse":
        q["density"] = float_arg(q["density"], "density", 0.0, 1.0)
    elif kind == "scaled":
        q["orders"] = float_arg(q["orders"], "orders", 0.0, 12.0)
    return q


def _is_rank_one(kind: str, p: Mapping[str, Any]) -> bool:
    if kind in ALL_RANK_ONE_KINDS:
        return True
    return kind != "nearly_coherent" and p.get("rank") == 1


def check_gradients(kind: str, p: Mapping[str, Any], gradients: bool) -> None:
    """Raise ``ValueError`` (``gradients``) if factors are asked of members that are not rank one."""
    if gradients and not _is_rank_one(kind, p):
        raise ValueError(f"gradients: members of kind {kind!r} with these parameters are not rank one")


def resolve_params(
    kind: str, n: int, d: int, params: Mapping[str, Any], rng: np.random.Generator, gradients: bool
) -> dict[str, Any]:
    """The given parameters completed with the generator defaults, validated."""
    p: dict[str, Any] = {}
    for name, (default, _) in PARAMS[kind].items():
        p[name] = params[name] if name in params else default(n, d, p, rng)
    p = check_params(kind, n, d, p)
    check_gradients(kind, p, gradients)
    return p


def is_feasible(kind: str, n: int, d: int) -> bool:
    """Whether ``kind`` can build ``n`` members in dimension ``d`` (``orthogonal`` needs ``n <= d``)."""
    return kind != "orthogonal" or n <= d


def family_output(
    kind: str, H: Array, G: Array | None, p: dict[str, Any], gradients: bool, labelled: bool
) -> Any:
    """A generator's result: ``H``, ``(H, G)`` with ``gradients``, a :class:`FamilyDraw` with ``labelled``."""
    H = np.ascontiguousarray(H, dtype=np.float64)
    if labelled:
        return FamilyDraw(kind, H, G, p)
    if gradients:
        return H, G
    return H
