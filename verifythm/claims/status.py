"""Verdicts: the status of a check or a claim, and how a claim combines its checks' statuses."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum


class Status(str, Enum):
    """Verdict of a check or of a claim."""

    VERIFIED = "verified"
    COUNTEREXAMPLE = "counterexample"
    INCONCLUSIVE = "inconclusive"
    VACUOUS = "vacuous"
    ERROR = "error"
    SKIPPED = "skipped"

    def __str__(self) -> str:
        return self.value


# Precedence used when a claim aggregates the statuses of its checks.
_PRECEDENCE = [
    Status.COUNTEREXAMPLE,
    Status.ERROR,
    Status.INCONCLUSIVE,
    Status.VACUOUS,
    Status.VERIFIED,
    Status.SKIPPED,
]


def aggregate_status(statuses: Sequence[Status]) -> Status:
    """Combine check statuses into a claim status.

    A confirmed counterexample dominates; then an error, an inconclusive check,
    a vacuous check; a claim is ``verified`` only if every check that ran is;
    ``skipped`` only if every check was skipped.
    """
    if not statuses:
        return Status.ERROR
    for s in _PRECEDENCE:
        if s in statuses:
            return s
    raise AssertionError("unreachable")  # pragma: no cover
