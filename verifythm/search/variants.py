"""Claim variants for searches: hypotheses dropped, setting keys freed, claims across processes.

``verifythm hunt --drop`` and ``verifythm reproduce --drop`` share :func:`apply_drop`: a hunt
with a hypothesis removed asks whether that hypothesis is *necessary* for the conclusion.
Workers in other processes find a claim by id (:class:`ClaimSpec`), never by a pickled closure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from verifythm.claims.model import Claim

#: Setting keys a hunt may free with ``drop`` and the values they then range over.
SETTING_DOMAINS: dict[str, tuple[str, ...]] = {
    "sampling": ("with-replacement", "without-replacement", "bernoulli"),
}


@dataclass(frozen=True)
class ClaimSpec:
    """How a worker process finds a claim: its id, modules to import, and what is dropped.

    Parameters
    ----------
    id
        The claim id (resolved in the default registry plus ``imports``).
    imports
        Extra modules (dotted names or ``.py`` paths) that define claims outside the catalogue.
    drop
        Hypotheses or setting keys removed for an assumption-necessity hunt.
    """

    id: str
    imports: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()

    def resolve(self) -> tuple[Claim, dict[str, tuple[Any, ...]]]:
        """The claim with the dropped hypotheses removed, and the freed setting domains."""
        from verifythm.claims.registry import registry_with_imports

        claim = registry_with_imports(self.imports).get(self.id)
        return apply_drop(claim, self.drop)


def hypothesis_index(claim: Claim, spec: str) -> int | None:
    """Index of the hypothesis ``spec`` names: exact name, ``#k`` (1-based) or unique substring.

    Raises
    ------
    ValueError
        If ``spec`` is a substring of several hypothesis names.
    """
    names = [h.name for h in claim.hypotheses]
    if spec.startswith("#") and spec[1:].isdigit():
        k = int(spec[1:]) - 1
        return k if 0 <= k < len(names) else None
    if spec in names:
        return names.index(spec)
    hits = [i for i, n in enumerate(names) if spec.lower() in n.lower()]
    if len(hits) > 1:
        raise ValueError(
            f"drop: {spec!r} matches several hypotheses of {claim.id}: {[names[i] for i in hits]}"
        )
    return hits[0] if hits else None


def apply_drop(claim: Claim, drop: Sequence[str]) -> tuple[Claim, dict[str, tuple[Any, ...]]]:
    """Remove hypotheses (or free setting keys) named in ``drop``.

    Returns the variant claim and the domains of the categorical keys that may move (the
    claim's declared ``domains`` plus freed setting keys).

    Raises
    ------
    ValueError
        If an entry of ``drop`` names neither a hypothesis nor a setting key.
    """
    domains: dict[str, tuple[Any, ...]] = {k: tuple(v) for k, v in claim.domains.items()}
    names = [h.name for h in claim.hypotheses]
    dropped: list[int] = []
    for spec in drop:
        # a setting key wins over a substring of a hypothesis name ("sampling" is both)
        if spec in SETTING_DOMAINS and spec not in names:
            domains[spec] = SETTING_DOMAINS[spec]
            continue
        idx = hypothesis_index(claim, spec)
        if idx is None:
            raise ValueError(
                f"drop: {spec!r} is not a hypothesis of {claim.id} "
                f"(hypotheses: {names}) nor a setting key ({sorted(SETTING_DOMAINS)})"
            )
        dropped.append(idx)
    keep = [h for i, h in enumerate(claim.hypotheses) if i not in dropped]
    return claim.variant(hypotheses=tuple(keep)), domains
