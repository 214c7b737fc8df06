"""Reusable hypotheses for catalogue modules (PSD, positivity, non-degeneracy)."""

from __future__ import annotations

import numpy as np

from verifythm.claims.model import Hypothesis, Instance
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
