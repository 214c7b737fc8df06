r"""The search space of a claim: how instances are perturbed, restructured and shrunk.

Instances are mappings from names to scalars and arrays.  The search needs no
per-claim code: it reads the structure of each value and moves in ways that keep it
meaningful.

* **Continuous moves** (:func:`perturb`): a positive scalar moves on a log scale; a
  symmetric PSD matrix (or a stack of them, e.g. a family :math:`\{H_i\}`) moves by a
  congruence :math:`(I+sE)M(I+sE)^T`, which keeps it PSD with the same rank; any other
  float array moves additively at its own scale (sometimes keeping its zero pattern).
* **Structured families** (:func:`structured_moves`): commuting/diagonal, rank-one,
  identical, orthogonal, nearly coherent, extreme scale ratios, vectors aligned with the
  exact extreme eigenvectors of a matrix of matching size (adversarial θ and directions
  v), integer parameters such as B set to 1, n − 1, n, and fewer samples / one dimension
  by truncating every axis of one length at once (so shapes stay consistent).
* **Simplicity** (:func:`complexity`): the number of scalars and significant digits, which
  :mod:`~verifythm.search.shrink` reduces; size and kind moves that *grow* instances live
  in :mod:`~verifythm.search.moves`.

Integers and strings are part of the setting: strings move only over the values a claim
declares (``domains``) or a hunt frees with ``--drop``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from verifythm.linalg.psd import is_psd
from verifythm.search.layout import is_int

Inst = dict[str, Any]


# -- classification of values ------------------------------------------------------------
def _is_float_scalar(v: Any) -> bool:
    return isinstance(v, (float, np.floating)) or (
        isinstance(v, np.ndarray) and v.ndim == 0 and np.issubdtype(v.dtype, np.floating)
    )


def _is_float_array(v: Any) -> bool:
    return isinstance(v, np.ndarray) and v.ndim >= 1 and np.issubdtype(v.dtype, np.floating)


def _is_sym_psd(a: np.ndarray) -> bool:
    """Whether ``a`` is a symmetric PSD matrix or a stack of them (:func:`verifythm.linalg.is_psd`)."""
    if a.ndim not in (2, 3) or a.shape[-1] != a.shape[-2] or a.shape[-1] < 1:
        return False
    return all(is_psd(m, rtol=1e-9) for m in a.reshape(-1, a.shape[-1], a.shape[-1]))


def float_keys(inst: Mapping[str, Any]) -> list[str]:
    """Keys holding float scalars or float arrays (the continuous parameters)."""
    return [k for k, v in inst.items() if _is_float_scalar(v) or _is_float_array(v)]


def int_keys(inst: Mapping[str, Any]) -> list[str]:
    """Keys holding integer scalars (batch sizes, step counts, …)."""
    return [k for k, v in inst.items() if is_int(v)]


# -- continuous moves -------------------------------------------------------------------
def congruence(m: np.ndarray, s: float, rng: np.random.Generator) -> np.ndarray:
    r"""A random congruence :math:`(I+sE)M(I+sE)^T` of ``m`` (or of each matrix of a stack), symmetrized."""
    d = m.shape[-1]
    e = rng.standard_normal(m.shape) / np.sqrt(d)
    a = np.eye(d) + s * e
    out = a @ m @ np.swapaxes(a, -1, -2)
    return 0.5 * (out + np.swapaxes(out, -1, -2))


def perturb(inst: Mapping[str, Any], step: float, rng: np.random.Generator, keys: Sequence[str]) -> Inst:
    """Move the continuous parameters ``keys`` of ``inst`` by a relative step ``step``."""
    out = dict(inst)
    with np.errstate(all="ignore"):
        for k in keys:
            _perturb_one(out, inst, k, step, rng)
    return out


def _perturb_one(out: Inst, inst: Mapping[str, Any], k: str, step: float, rng: np.random.Generator) -> None:
    v = inst[k]
    if _is_float_scalar(v):
        x = float(v)
        if x > 0:
            out[k] = float(x * np.exp(step * rng.standard_normal()))
        else:
            out[k] = float(x + step * max(abs(x), 1.0) * rng.standard_normal())
    elif _is_float_array(v):
        a = np.asarray(v, dtype=float)
        if _is_sym_psd(a):
            out[k] = congruence(a, step, rng)
        else:
            scale = float(np.sqrt(np.mean(a**2))) or 1.0
            noise = step * scale * rng.standard_normal(a.shape)
            if rng.random() < 0.5:
                noise = noise * (a != 0)
            out[k] = a + noise


# -- structured families ----------------------------------------------------------------
def _axis_lengths(inst: Mapping[str, Any]) -> list[int]:
    lengths: set[int] = set()
    for v in inst.values():
        if isinstance(v, np.ndarray) and v.ndim >= 1:
            lengths.update(int(s) for s in v.shape)
    return sorted(lengths)


def truncate_axis(inst: Mapping[str, Any], length: int, new: int) -> Inst:
    """Truncate every array axis of size ``length`` to ``new`` and clip integers to ``new``.

    Keeps shapes consistent across the instance (fewer samples, lower dimension).
    Integers equal to ``length`` become ``new``; larger-than-``new`` integers that were
    at most ``length`` (e.g. a batch size B ≤ n) are clipped to ``new``.
    """
    out: Inst = {}
    for k, v in inst.items():
        if isinstance(v, np.ndarray) and v.ndim >= 1:
            idx = tuple(slice(0, new) if s == length else slice(None) for s in v.shape)
            out[k] = np.array(v[idx])
        elif is_int(v) and 1 <= int(v) <= length and int(v) > new:
            out[k] = type(v)(new) if isinstance(v, (int, np.integer)) else np.array(new)
        else:
            out[k] = v
    return out


def _matrix_moves(k: str, a: np.ndarray) -> Iterator[tuple[str, np.ndarray]]:
    if _is_sym_psd(a):
        w, u = np.linalg.eigh(a)
        yield f"{k}: diagonal (commuting)", np.einsum("...ii->...i", a)[..., None] * np.eye(a.shape[-1])
        top = u[..., :, -1:]
        yield f"{k}: rank one", w[..., -1:, None] * (top @ np.swapaxes(top, -1, -2))
        if a.ndim == 3 and a.shape[0] > 1:
            mean = a.mean(axis=0)
            yield f"{k}: identical members", np.broadcast_to(mean, a.shape).copy()
            yield f"{k}: nearly coherent members", mean + 1e-3 * (a - mean)
            for f in (1e3, 1e-3):
                b = a.copy()
                b[0] *= f
                yield f"{k}: one member scaled by {f:g}", b
            d = a.shape[-1]
            if a.shape[0] <= d:
                tr = np.trace(a, axis1=-2, axis2=-1)
                yield (
                    f"{k}: orthogonal rank-one members",
                    np.stack([tr[i] * np.outer(np.eye(d)[i], np.eye(d)[i]) for i in range(a.shape[0])]),
                )
        else:
            ratio = np.geomspace(1.0, 1e-4, a.shape[-1])
            yield f"{k}: spectrum spread to 1e4", (u * (w.max() * ratio[::-1])) @ u.T
        return
    if a.ndim == 2:
        p, n = a.shape
        norms = np.linalg.norm(a, axis=0)
        if p >= n and n > 0:
            qmat, _ = np.linalg.qr(a)
            yield f"{k}: orthogonal columns", qmat[:, :n] * np.where(norms > 0, norms, 1.0)
        yield f"{k}: identical columns", np.repeat(a[:, :1], n, axis=1)
        yield f"{k}: nearly coherent columns", a[:, :1] + 1e-3 * (a - a[:, :1])
        u, s, vt = np.linalg.svd(a, full_matrices=False)
        yield f"{k}: rank one", s[0] * np.outer(u[:, 0], vt[0])
        axis = np.argmax(np.abs(a), axis=0)
        sparse = np.zeros_like(a)
        sparse[axis, np.arange(n)] = a[axis, np.arange(n)]
        yield f"{k}: coordinate-aligned columns (commuting)", sparse
        for f in (1e3, 1e-3):
            b = a.copy()
            b[:, 0] *= f
            yield f"{k}: one column scaled by {f:g}", b


def setting_moves(
    inst: Mapping[str, Any], domains: Mapping[str, Sequence[Any]] | None = None
) -> Iterator[tuple[str, Inst]]:
    """Moves of the discrete setting: declared categories, then integers (B ∈ {1, 2, n − 1, n}, …).

    The categories come first: they keep the instance's size (so they cost what the instance
    costs), and a freed key (a hunt with ``drop=["sampling"]``) is the move the user asked about.
    """
    base = dict(inst)
    yield from category_moves(base, domains)
    lengths = _axis_lengths(base)
    # integer parameters: 1, n − 1, n and neighbours
    for k in int_keys(base):
        v = int(base[k])
        cands = {1, 2, v - 1, v + 1} | set(lengths) | {m - 1 for m in lengths}
        for c in sorted(c for c in cands if c >= 1 and c != v):
            yield f"{k} = {c}", {**base, k: c}


def category_moves(
    inst: Mapping[str, Any], domains: Mapping[str, Sequence[Any]] | None = None
) -> Iterator[tuple[str, Inst]]:
    """``inst`` with one categorical key set to each other value of its declared domain."""
    for k, values in (domains or {}).items():
        for val in values:
            if k not in inst or str(val) != str(inst[k]):
                yield f"{k} = {val}", {**inst, k: val}


def structured_moves(
    inst: Mapping[str, Any], domains: Mapping[str, Sequence[Any]] | None = None
) -> Iterator[tuple[str, Inst]]:
    """Structured variants of ``inst``: ``(description, instance)`` pairs.

    Parameters
    ----------
    inst
        The instance to restructure.
    domains
        Values each categorical key may take (only these keys move).
    """
    base = dict(inst)
    lengths = _axis_lengths(base)
    # fewer samples / lower dimension, consistently across the instance
    for length in lengths:
        for new in sorted({1, 2, length - 1, length // 2} - {0, length}):
            if 0 < new < length:
                yield f"axes of size {length} truncated to {new}", truncate_axis(base, length, new)
    yield from setting_moves(base, domains)
    sym: dict[str, np.ndarray] = {}
    for k in float_keys(base):
        v = base[k]
        if _is_float_scalar(v):
            x = float(v)
            for f in (1e-3, 0.5, 0.9, 0.99, 1.01, 1.1, 2.0, 1e3):
                yield f"{k} × {f:g}", {**base, k: x * f}
            continue
        a = np.asarray(v, dtype=float)
        if a.size == 0:  # an empty array (a key some instances leave empty): nothing to move
            continue
        if a.ndim == 2 and _is_sym_psd(a):
            sym[k] = a
        elif a.ndim == 3 and _is_sym_psd(a):
            sym[f"mean of {k}"] = a.mean(axis=0)
        for desc, b in _matrix_moves(k, a):
            yield desc, {**base, k: b}
        if a.ndim == 1:
            yield f"{k}: all ones", {**base, k: np.ones_like(a)}
            e = np.zeros_like(a)
            e[int(np.argmax(np.abs(a)))] = 1.0
            yield f"{k}: one coordinate", {**base, k: e * float(np.linalg.norm(a) or 1.0)}
            for f in (1e3, 1e-3):
                yield f"{k} × {f:g}", {**base, k: a * f}
    # adversarial directions: vectors along the exact extreme eigenvectors of a matrix
    for k in float_keys(base):
        a = base[k]
        if not _is_float_array(a) or np.ndim(a) != 1:
            continue
        for mk, m in sym.items():
            if m.shape[0] == a.shape[0]:
                _, u = np.linalg.eigh(m)
                scale = float(np.linalg.norm(a)) or 1.0
                for j, name in ((0, "bottom"), (-1, "top")):
                    yield f"{k} along the {name} eigenvector of {mk}", {**base, k: scale * u[:, j]}
                if m.shape[0] > 1:
                    mix = u[:, 0] + 1e-2 * u[:, -1]
                    yield (
                        f"{k} near the bottom eigenvector of {mk}",
                        {
                            **base,
                            k: scale * mix / np.linalg.norm(mix),
                        },
                    )


# -- simplicity ------------------------------------------------------------------------
def simplify(a: np.ndarray, digits: int) -> np.ndarray:
    """``a`` rounded entry-wise to ``digits`` significant decimal digits."""
    with np.errstate(divide="ignore", invalid="ignore"):
        mag = np.where(a == 0, 1.0, 10.0 ** np.floor(np.log10(np.abs(a))))
    return np.round(a / mag, digits - 1) * mag


def complexity(inst: Mapping[str, Any]) -> tuple[int, int]:
    """``(number of scalars, significant digits needed)``: smaller is simpler."""
    size = 0
    digits = 0
    for v in inst.values():
        a = np.asarray(v)
        size += int(a.size)
        if np.issubdtype(a.dtype, np.floating):
            for d in range(1, 17):
                if np.allclose(simplify(a.astype(float), d), a, rtol=1e-15, atol=0):
                    digits += d * int(a.size)
                    break
            else:
                digits += 17 * int(a.size)
    return size, digits
