r"""The status overview of the generated claim pages (``index.md``): per paper, its claims and verdicts.

:func:`status_overview` renders, from the registry and a ``verifythm check --json`` report,
one table per paper (claim, statement, status, worst slack) and then the errata found.
Re-exported by :mod:`verifythm.report.docs_pages`, which writes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from verifythm.claims.model import Claim
from verifythm.report.markdown import (
    STATUS_MARK,
    claim_label,
    doc_link,
    docs_path,
    fmt_num,
    md_code,
    md_escape,
    run_line,
    table_cell,
    worst_value,
)

__all__ = ["status_overview"]


def _claim_ref(claim_id: str) -> str:
    return f"{{ref}}`{claim_id} <{claim_label(claim_id)}>`"


# -- overview -----------------------------------------------------------------------------
def status_overview(
    claims: Sequence[Claim],
    results: Mapping[str, Mapping[str, Any]],
    report: Mapping[str, Any],
    *,
    docs_root: Path | None = None,
) -> str:
    """The status overview page: per paper a table of verdicts, then the errata found."""
    counts: dict[str, int] = {}
    for c in claims:
        r = results.get(c.id)
        s = str(r.get("status")) if r else "not run"
        counts[s] = counts.get(s, 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    unexpected = [c.id for c in claims if c.id in results and results[c.id].get("as_expected") is False]
    missing = [c.id for c in claims if c.id not in results]
    lines = [
        "(claims-status)=",
        "",
        "# Status of the claims",
        "",
        f"{len(claims)} registered claims: {summary}. Report: {run_line(report)}.",
        "",
        (
            "Every verdict in the report is the expected one."
            if not unexpected
            else "Verdicts **not** as expected: " + ", ".join(_claim_ref(i) for i in unexpected) + "."
        ),
        "",
        *(
            [
                "Not in the report (registered after it was made): "
                + ", ".join(map(_claim_ref, missing))
                + ".",
                "",
            ]
            if missing
            else []
        ),
        "Each claim has its own page (follow the id); the columns are explained in "
        "{doc}`/guides/getting_started`.",
        "",
    ]
    papers: dict[str, list[Claim]] = {}
    for c in claims:
        papers.setdefault(c.source.key, []).append(c)
    for key in sorted(papers):
        lines += [f"## {key}", "", f"{{cite:t}}`{key}`: {len(papers[key])} claims.", ""]
        lines += [
            "| claim | locator | expected | status | worst slack | worst ratio |",
            "| --- | --- | --- | --- | ---: | ---: |",
        ]
        for c in papers[key]:
            r = results.get(c.id)
            checks = list(r.get("checks", [])) if r else []
            status = STATUS_MARK.get(str(r.get("status")), "?") if r else "not run"
            if r and r.get("as_expected") is False:
                status += " (unexpected)"
            lines.append(
                "| "
                + " | ".join(
                    table_cell(x)
                    for x in (
                        _claim_ref(c.id),
                        md_escape(c.source.locator),
                        c.expected.outcome,
                        status,
                        fmt_num(worst_value(checks, "worst_slack", min)),
                        fmt_num(worst_value(checks, "worst_ratio", max), ".4g"),
                    )
                )
                + " |"
            )
        lines.append("")
    errata = [c for c in claims if c.expected.is_failure]
    n_errors = sum(c.expected.is_erratum for c in errata)
    findings_doc = docs_root is not None and (docs_root / "findings.md").is_file()
    lines += [
        "(errata-found)=",
        "",
        "## Findings",
        "",
        f"{len(errata)} claims are expected to fail (`expected: fails`), {n_errors} of them errors of the "
        "papers (erratum, proof-gap, typo); the others are edge cases and scope limits (an assumption "
        "shown necessary). Each links to its committed counterexample report"
        + (", and {doc}`/findings` groups them by category and root cause." if findings_doc else "."),
        "",
        "| claim | category | report | finding |",
        "| --- | --- | --- | --- |",
    ]
    for c in errata:
        rel = docs_path(c.expected.report, docs_root) if c.expected.report else None
        rep = doc_link(rel, "report") if rel else md_code(c.expected.report) if c.expected.report else "—"
        lines.append(
            f"| {_claim_ref(c.id)} | {md_escape(c.expected.finding or '—')} | {table_cell(rep)} "
            f"| {table_cell(md_escape(c.expected.erratum))} |"
        )
    lines += [
        "",
        "```{toctree}",
        ":hidden:",
        ":maxdepth: 1",
        "",
        *[c.id for c in claims],
        "```",
        "",
    ]
    return "\n".join(lines)
