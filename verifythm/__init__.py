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

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# The public names are imported on first use (PEP 562), so that ``import verifythm`` and
# ``verifythm --help`` do not pay for numpy and the evidence engine; ``from verifythm import
# Claim`` works as before.
_LAZY = {
    "Claim": "verifythm.claims.model",
    "Comparison": "verifythm.claims.model",
    "Expected": "verifythm.claims.model",
    "Hypothesis": "verifythm.claims.model",
    "Instance": "verifythm.claims.model",
    "Source": "verifythm.claims.model",
    "Status": "verifythm.claims.model",
    "Tolerance": "verifythm.claims.model",
    "Registry": "verifythm.claims.registry",
    "UnknownClaimError": "verifythm.claims.registry",
    "default_registry": "verifythm.claims.registry",
    "Check": "verifythm.evidence.base",
    "CheckResult": "verifythm.evidence.base",
    "Context": "verifythm.evidence.base",
    "Profile": "verifythm.evidence.base",
    "get_profile": "verifythm.evidence.base",
    "ConstantCheck": "verifythm.evidence.constant",
    "ExactCheck": "verifythm.evidence.numeric",
    "PropertyCheck": "verifythm.evidence.numeric",
    "Identity": "verifythm.evidence.symbolic",
    "Nonnegative": "verifythm.evidence.symbolic",
    "SymbolicCheck": "verifythm.evidence.symbolic",
}

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'verifythm' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


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
