r"""verifythm: executable, citable checks of theorems on SGD stability, noise geometry and Hessians.

The public surface is small:

* :class:`Claim`, :class:`Source`, :class:`Comparison`, :class:`Hypothesis`,
  :class:`Expected`, :class:`Tolerance`, :class:`Status` — the claim model;
* :class:`SymbolicCheck`, :class:`ExactCheck`, :class:`PropertyCheck` — evidence;
* :func:`default_registry` — every installed catalogue claim.

``import verifythm`` is light: it never imports torch, and sympy/Hypothesis are
imported only when a check runs.

Examples
--------
>>> from verifythm import Comparison
>>> c = Comparison(0.5, 1.0, "<=")
>>> c.slack, c.ratio
(0.5, 0.5)
"""

from __future__ import annotations

__version__ = "0.1.0"

from verifythm.claims.model import (
    Claim,
    Comparison,
    Expected,
    Hypothesis,
    Instance,
    Source,
    Status,
    Tolerance,
)
from verifythm.claims.registry import Registry, UnknownClaimError, default_registry
from verifythm.evidence.base import Check, CheckResult, Context, Profile, get_profile
from verifythm.evidence.constant import ConstantCheck
from verifythm.evidence.numeric import ExactCheck, PropertyCheck
from verifythm.evidence.symbolic import Identity, Nonnegative, SymbolicCheck

__all__ = [
    "Check",
    "CheckResult",
    "Claim",
    "Comparison",
    "ConstantCheck",
    "Context",
    "ExactCheck",
    "Expected",
    "Hypothesis",
    "Identity",
    "Instance",
    "Nonnegative",
    "Profile",
    "PropertyCheck",
    "Registry",
    "Source",
    "Status",
    "SymbolicCheck",
    "Tolerance",
    "UnknownClaimError",
    "__version__",
    "default_registry",
    "get_profile",
]
