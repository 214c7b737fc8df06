"""The report folder's manifest: which files verifythm wrote there, per claim and check.

A re-run with the same seed must not multiply reports (``x.md``, ``x-1.md``, ``x-2.md`` …), and an
interrupted run must not leave reports no JSON points to.  ``.verifythm-manifest.json`` in the
report folder maps ``"<claim id>::<check>"`` to the files verifythm wrote for it.  A new
counterexample for the same claim and check *replaces* those files (they are verifythm's own);
a file the manifest does not list is never overwritten (a new name is taken instead).  After a
run, the reports of claims that were run and no longer have a counterexample are stale and are
removed (:func:`prune`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from verifythm.report.io import atomic_write_text

NAME = ".verifythm-manifest.json"


def load(directory: str | Path) -> dict[str, list[str]]:
    """The manifest of ``directory`` (empty if absent or unreadable)."""
    p = Path(directory) / NAME
    try:
        doc = json.loads(p.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    entries = doc.get("reports", {}) if isinstance(doc, dict) else {}
    return {str(k): [str(f) for f in v] for k, v in entries.items() if isinstance(v, list)}


def save(directory: str | Path, entries: dict[str, list[str]]) -> None:
    """Write the manifest atomically."""
    doc = {"note": "files written by verifythm; it replaces or removes them", "reports": entries}
    atomic_write_text(
        Path(directory) / NAME, json.dumps(doc, indent=1, sort_keys=True) + "\n", overwrite=True
    )


def owned(directory: str | Path, key: str) -> list[Path]:
    """The files verifythm wrote for ``key`` (``claim::check``) that still exist."""
    d = Path(directory)
    return [d / f for f in load(d).get(key, []) if (d / f).exists()]


def record(directory: str | Path, key: str, files: Iterable[Path]) -> None:
    """Remember ``files`` as verifythm's report for ``key``."""
    entries = load(directory)
    entries[key] = sorted({Path(f).name for f in files})
    save(directory, entries)


def prune(directory: str | Path, claim_ids: Iterable[str], keep: Iterable[str]) -> list[Path]:
    """Remove the reports of ``claim_ids`` except the keys in ``keep``; return what was removed.

    Called after a run with the ids it ran and the ``claim::check`` keys that produced a
    counterexample in it: every other report of those claims is stale.
    """
    d = Path(directory)
    entries = load(d)
    if not entries:
        return []
    ran, kept = set(claim_ids), set(keep)
    removed: list[Path] = []
    for key in list(entries):
        if key.split("::", 1)[0] in ran and key not in kept:
            for f in entries.pop(key):
                p = d / f
                if p.exists():
                    p.unlink()
                    removed.append(p)
    save(d, entries)
    return removed
