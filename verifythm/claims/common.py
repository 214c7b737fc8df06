"""Reusable pieces for catalogue modules: hypotheses, comparisons and the usual evidence.

Hypothesis shortcuts (PSD, positivity, non-degeneracy, finiteness), the matrix identity
:func:`matrix_equal`, and :func:`symbolic_exact_property`, the ``symbolic`` + ``exact`` +
``property`` triple most theorem modules carry.  :func:`exact` (float arrays read as exact
rationals) is :func:`verifythm.linalg.precise.exact`, re-exported here for modules that write
their ``precise_conclusion`` in rational arithmetic.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from verifythm.claims.model import Comparison, Hypothesis, Instance
from verifythm.evidence.base import Check
from verifythm.evidence.numeric import ExactCheck, PropertyCheck
from verifythm.evidence.symbolic import SymbolicCheck
from verifythm.linalg.precise import exact as exact  # re-exported: see the module docstring
from verifythm.linalg.psd import is_psd


def psd(name: str = "H") -> Hypothesis:
    """Instance entry ``name`` is a finite symmetric PSD matrix."""
    return Hypothesis(f"{name} is symmetric PSD", lambda inst: is_psd(inst[name]))


def nonzero(name: str = "H") -> Hypothesis:
    """Instance entry ``name`` is not the zero matrix/vector."""
    return Hypothesis(f"{name} ≠ 0", lambda inst: bool(np.any(np.asarray(inst[name]) != 0)))


def positive(name: str) -> Hypothesis:
    """Instance entry ``name`` is a finite scalar > 0."""
    return Hypothesis(f"{name} > 0", lambda inst: bool(np.isfinite(inst[name]) and inst[name] > 0))


def psd_family(name: str = "hessians") -> Hypothesis:
    """Instance entry ``name`` is an ``(n, d, d)`` stack of finite symmetric PSD matrices."""

    def holds(inst: Instance) -> bool:
        a = np.asarray(inst[name])
        return a.ndim == 3 and a.shape[0] >= 1 and all(is_psd(h) for h in a)

    return Hypothesis(f"every {name}[i] is symmetric PSD", holds)


def finite(*names: str) -> Hypothesis:
    """Every named entry of the instance is finite (no NaN or infinite element).

    Parameters
    ----------
    *names
        Instance keys; each entry is read as a float array.

    Returns
    -------
    Hypothesis
        Labelled ``"<name>, <name> finite"``.

    Examples
    --------
    >>> h = finite("G", "m")
    >>> h.name, h({"G": [[1.0, 2.0]], "m": 3}), h({"G": [float("nan")], "m": 3})
    ('G, m finite', True, False)
    """
    return Hypothesis(
        f"{', '.join(names)} finite",
        lambda inst: all(bool(np.all(np.isfinite(np.asarray(inst[k], dtype=float)))) for k in names),
    )


def matrix_equal(A: Any, B: Any, lhs: str, rhs: str) -> Comparison:
    """``‖A − B‖_F == 0`` on the scale ``max(‖A‖_F, ‖B‖_F)``: a matrix identity as one comparison.

    Parameters
    ----------
    A, B
        Arrays of one shape: floats, or ``object`` arrays of exact numbers
        (:class:`~fractions.Fraction`, e.g. from :func:`exact`); with an ``object`` operand the
        difference is formed exactly and only the norms are rounded to float.
    lhs, rhs
        Labels of the two sides; the comparison reads ``‖lhs − (rhs)‖_F == 0``.

    Returns
    -------
    Comparison
        ``Comparison(‖A − B‖_F, 0, "==", …, scale=max(‖A‖_F, ‖B‖_F))``, so the tolerance is
        relative to the size of the matrices.

    Examples
    --------
    >>> c = matrix_equal([[3.0, 0.0]], [[3.0, 4.0]], "A", "B")
    >>> c.lhs, c.rhs, c.lhs_label, c.scale
    (4.0, 0.0, '‖A − (B)‖_F', 5.0)
    """
    A = np.asarray(A)
    B = np.asarray(B)
    if A.dtype == object or B.dtype == object:
        d = A - B
        diff = float(sum(x * x for x in d.ravel())) ** 0.5
        sa = float(sum(x * x for x in A.ravel())) ** 0.5
        sb = float(sum(x * x for x in B.ravel())) ** 0.5
    else:
        diff = float(np.linalg.norm(A - B))
        sa, sb = float(np.linalg.norm(A)), float(np.linalg.norm(B))
    return Comparison(diff, 0.0, "==", f"‖{lhs} − ({rhs})‖_F", "0", scale=max(sa, sb))


def symbolic_exact_property(
    symbolic: Any,
    generate: Any,
    strategy: Any,
    *,
    fixed: Any = (),
    max_examples: int | None = None,
) -> tuple[Check, ...]:
    """The usual evidence of a module: checks ``symbolic``, ``exact`` (seeded + fixed), ``property``.

    Parameters
    ----------
    symbolic
        The :class:`~verifythm.evidence.symbolic.SymbolicCheck` body (returns the facts to prove).
    generate
        The :class:`~verifythm.evidence.numeric.ExactCheck` generator ``(rng, k) -> instances``.
    strategy
        The Hypothesis strategy of the :class:`~verifythm.evidence.numeric.PropertyCheck`.
    fixed
        Hand-picked instances the ``exact`` check always evaluates.
    max_examples
        The ``property`` check's example count (``None``: the profile's).

    Returns
    -------
    tuple of Check
        ``(SymbolicCheck("symbolic", …), ExactCheck("exact", …), PropertyCheck("property", …))``.

    Examples
    --------
    >>> checks = symbolic_exact_property(lambda: [], lambda rng, k: [], None)
    >>> [c.name for c in checks]
    ['symbolic', 'exact', 'property']
    """
    return (
        SymbolicCheck("symbolic", symbolic),
        ExactCheck("exact", generate, fixed=fixed),
        PropertyCheck("property", strategy, max_examples=max_examples),
    )
