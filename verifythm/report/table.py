"""The per-claim verdict table printed by ``verifythm check`` and by the pytest plugin.

Both front ends hand this module the same thing, the ``claims[]`` entries of the JSON report
(:meth:`verifythm.runner.ClaimResult.to_json`: the claim's metadata, its aggregated
``status``, ``as_expected`` and its ``checks[]``), so the two print the same rows for the same
results.  One row per claim:

``claim  source  status  expected  region  worst slack  ratio``

The table fits a width (:data:`DEFAULT_WIDTH` columns unless told otherwise): when it does
not, the source is cut to its locator, then shortened or dropped, then the region is cut,
and last the claim id is elided in its middle; the status, the expectation, the worst slack
and the ratio are never cut.  A footer counts the claims per :class:`Status`.  A skipped
claim says why in its status cell (``skipped (needs torch)``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from verifythm.claims.model import Status
from verifythm.evidence.explored import compact, merge

#: Columns of the table when the terminal does not say otherwise.
DEFAULT_WIDTH = 120
HEADER = ("claim", "source", "status", "expected", "region", "worst slack", "ratio")
_GAP = "  "
_MIN_SOURCE, _MIN_REGION, _MIN_CLAIM = 9, 7, 24
_MAX_REASON = 32
_MISSING = re.compile(r"optional module\(s\) (.+?) not installed")


@dataclass(frozen=True)
class VerdictRow:
    """One claim's line of the table (built by :func:`rows_from_claims`)."""

    claim: str
    source_key: str
    locator: str
    status: Status
    as_expected: bool
    expected: str
    region: str
    worst_slack: float | None
    worst_ratio: float | None
    skip_reason: str = ""  # why its checks were skipped, e.g. "needs torch" ("" when none was)

    @property
    def status_cell(self) -> str:
        """The status, a skipped claim's reason, and ``✗`` when it is not the expected verdict."""
        cell = self.status.value
        if self.status is Status.SKIPPED and self.skip_reason:
            cell += f" ({self.skip_reason})"
        return cell + ("" if self.as_expected else "  ✗")

    def cells(self, *, short_source: bool = False) -> tuple[str, ...]:
        """The seven cells, uncut (``short_source``: the locator without the BibTeX key)."""
        source = self.locator if short_source else f"{self.source_key} {self.locator}"
        return (
            self.claim,
            source,
            self.status_cell,
            self.expected,
            self.region,
            "—" if self.worst_slack is None else f"{self.worst_slack:.3g}",
            "—" if self.worst_ratio is None else f"{self.worst_ratio:.4g}",
        )


def skip_reason(note: str) -> str:
    """A short reason from a skipped check's note, e.g. ``needs torch``.

    Examples
    --------
    >>> skip_reason("skipped: optional module(s) torch not installed")
    'needs torch'
    """
    m = _MISSING.search(note)
    if m:
        return f"needs {m.group(1)}"
    text = note.removeprefix("skipped:").strip() or "no reason given"
    return _cut(text, _MAX_REASON)


def rows_from_claims(claims: Iterable[Mapping[str, Any]]) -> list[VerdictRow]:
    """Table rows from ``claims[]`` entries of the JSON report, in the given order."""
    rows = []
    for c in claims:
        checks = c.get("checks") or []
        slacks = [k["worst_slack"] for k in checks if k.get("worst_slack") is not None]
        ratios = [k["worst_ratio"] for k in checks if k.get("worst_ratio") is not None]
        reasons = dict.fromkeys(skip_reason(k.get("note", "")) for k in checks if k["status"] == "skipped")
        rows.append(
            VerdictRow(
                claim=c["id"],
                source_key=c["source"]["key"],
                locator=c["source"]["locator"],
                status=Status(c["status"]),
                as_expected=bool(c["as_expected"]),
                expected=c["expected"],
                region=compact(merge([k.get("explored") for k in checks])),
                worst_slack=min(slacks) if slacks else None,
                worst_ratio=max(ratios) if ratios else None,
                skip_reason="; ".join(reasons),
            )
        )
    return rows


def table_width(isatty: bool, columns: int | None = None) -> int:
    """The width to render for: ``$COLUMNS`` when set, else the terminal's up to 120, else 120.

    Parameters
    ----------
    isatty
        Whether the output is a terminal (a log or a pipe gets :data:`DEFAULT_WIDTH`).
    columns
        The terminal's width, where known.
    """
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    if isatty and columns:
        return min(DEFAULT_WIDTH, columns)
    return DEFAULT_WIDTH


def _cut(s: str, w: int) -> str:
    """``s`` cut at its end to ``w`` columns, ``…`` marking the cut."""
    return s if len(s) <= w else s[: max(w - 1, 0)] + "…"


def _cut_words(s: str, w: int) -> str:
    """``s`` cut after its last whole space-separated part that fits ``w`` columns with ``…``.

    Examples
    --------
    >>> _cut_words("n≤128 d≤256 B≤64", 9)
    'n≤128 …'
    """
    if len(s) <= w:
        return s
    parts = s.split(" ")
    for k in range(len(parts) - 1, 0, -1):
        head = " ".join(parts[:k]) + " …"
        if len(head) <= w:
            return head
    return _cut(s, w)


def _elide(s: str, w: int) -> str:
    """``s`` cut in its middle to ``w`` columns (both ends of a dotted id stay readable)."""
    if len(s) <= w:
        return s
    head = w // 2
    tail = w - 1 - head
    return s[:head] + "…" + (s[-tail:] if tail else "")


def _layout(rows: Sequence[VerdictRow], width: int) -> tuple[list[str], list[list[str]]]:
    """The header and cells after fitting them into ``width`` columns (see the module docstring)."""
    header = list(HEADER)
    body = [list(r.cells()) for r in rows]

    def total(cols: list[int]) -> int:
        return sum(cols) + len(_GAP) * (len(cols) - 1)

    def widths(table: list[list[str]]) -> list[int]:
        return [max(len(row[i]) for row in table) for i in range(len(table[0]))]

    w = widths([header, *body])
    if total(w) <= width:
        return header, body
    body = [list(r.cells(short_source=True)) for r in rows]
    w = widths([header, *body])
    over = total(w) - width
    src, reg, cl = HEADER.index("source"), HEADER.index("region"), HEADER.index("claim")
    if over > 0:
        if w[src] - over >= _MIN_SOURCE:
            w[src] -= over
        else:  # too little room for a useful locator: no source column
            header.pop(src)
            body = [row[:src] + row[src + 1 :] for row in body]
            w.pop(src)
            reg -= 1
    over = total(w) - width
    if over > 0:
        w[reg] = max(w[reg] - over, min(w[reg], max(_MIN_REGION, len(header[reg]))))
    over = total(w) - width
    if over > 0:
        w[cl] = max(w[cl] - over, min(w[cl], _MIN_CLAIM))
    for row in body:
        for i, cell in enumerate(row):
            if len(cell) > w[i]:
                row[i] = (
                    _elide(cell, w[i])
                    if i == cl
                    else _cut_words(cell, w[i])
                    if i == reg
                    else _cut(cell, w[i])
                )
    return header, body


def counts_line(rows: Sequence[VerdictRow], width: int = DEFAULT_WIDTH) -> str:
    """``N claim(s): a verified, b counterexample, …; k unexpected verdict(s)`` (every status).

    Statuses with no claim are left out only when the whole line would not fit ``width``.
    """
    n = {s: 0 for s in Status}
    for r in rows:
        n[r.status] += 1
    unexpected = sum(not r.as_expected for r in rows)

    def line(parts: list[str]) -> str:
        return f"{len(rows)} claim(s): {', '.join(parts)}; {unexpected} unexpected verdict(s)"

    full = line([f"{n[s]} {s.value}" for s in Status])
    return full if len(full) <= width else line([f"{n[s]} {s.value}" for s in Status if n[s]])


def render_table(rows: Sequence[VerdictRow], width: int | None = None) -> str:
    """The verdict table with its counts footer, every line at most ``width`` columns.

    Parameters
    ----------
    rows
        From :func:`rows_from_claims`.
    width
        Columns available (default :data:`DEFAULT_WIDTH`).  Only a width too small for the
        id, status, expectation, slack and ratio columns at their minimum leaves longer lines.
    """
    width = DEFAULT_WIDTH if width is None else width
    if not rows:
        return counts_line(rows, width) + "\n"
    header, body = _layout(rows, width)
    w = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = [_GAP.join(cell.ljust(k) for cell, k in zip(header, w, strict=True)).rstrip()]
    lines.append(_GAP.join("-" * k for k in w))
    for row in body:
        lines.append(_GAP.join(cell.ljust(k) for cell, k in zip(row, w, strict=True)).rstrip())
    lines.append(counts_line(rows, width))
    partial = [r for r in rows if r.skip_reason and r.status is not Status.SKIPPED]
    if partial:  # checks skipped inside claims that still ran
        why = "; ".join(sorted({r.skip_reason for r in partial}))
        lines.append(_cut(f"{len(partial)} claim(s) ran with some checks skipped ({why})", width))
    return "\n".join(lines) + "\n"
