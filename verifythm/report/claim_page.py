r"""The generated documentation page of one claim (:func:`claim_page`) and its figure links.

A MyST Markdown page: statement with its LaTeX, citation and locator, hypotheses, the evidence
of every check with the numbers of a ``verifythm check --json`` report, status, tightness and
the counterexample-search summary, links to the committed erratum report and to reproduced
figure data (:func:`figure_links`).  Re-exported by :mod:`verifythm.report.docs_pages`, which
writes the pages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verifythm.claims.model import Claim, Status
from verifythm.report.markdown import (
    STATUS_MARK,
    claim_label,
    doc_link,
    docs_path,
    fmt_num,
    md_code,
    md_escape,
    md_statement,
    run_line,
    table_cell,
    worst_value,
)

__all__ = ["claim_page", "figure_links"]


def _download(rel: str, text: str) -> str:
    return f"{{download}}`{text} </{rel}>`"


# -- figures ------------------------------------------------------------------------------
_ID_MENTION = re.compile(r"`([a-z][a-z0-9_]*(?:\.[a-z0-9_*]+)+)`")
_FIGURE_FILES = {".npz", ".json", ".png", ".svg", ".csv"}
_FIG_LOCATOR = re.compile(r"\bFig(?:ure)?s?\b")


@dataclass
class _FigureSet:
    rel_dir: str  # e.g. "figures/dexter2024"
    readme: str | None  # e.g. "figures/dexter2024/README.md"
    files: list[str] = field(default_factory=list)  # data files relative to the docs root
    mentions: list[str] = field(default_factory=list)  # claim ids or "prefix.*" patterns


def _figure_sets(docs_root: Path | None) -> list[_FigureSet]:
    if docs_root is None or not (docs_root / "figures").is_dir():
        return []
    out: list[_FigureSet] = []
    for d in sorted(p for p in (docs_root / "figures").iterdir() if p.is_dir()):
        rel_dir = f"figures/{d.name}"
        readme = d / "README.md"
        mentions = _ID_MENTION.findall(readme.read_text("utf-8")) if readme.is_file() else []
        files = sorted(
            f"{rel_dir}/{f.name}"
            for f in d.iterdir()
            if f.is_file() and f.suffix in {".npz", ".json", ".png", ".svg"}
        )
        out.append(_FigureSet(rel_dir, f"{rel_dir}/README.md" if readme.is_file() else None, files, mentions))
    return out


def figure_links(claim: Claim, docs_root: Path | None) -> list[str]:
    """Reproduced-figure directories (relative to the docs root) that belong to ``claim``.

    A directory ``docs/figures/<name>/`` belongs to a claim when its ``README.md`` names the
    claim (its id, or a ``prefix.*`` pattern covering it, in backticks), or when the claim's id
    starts with ``<name>.`` and its locator mentions a figure.
    """
    out = []
    for fs in _figure_sets(docs_root):
        hit = claim.id.startswith(fs.rel_dir.split("/", 1)[1] + ".") and bool(
            _FIG_LOCATOR.search(claim.source.locator)
        )
        for m in fs.mentions:
            if m == claim.id or (m.endswith(".*") and claim.id.startswith(m[:-1])):
                hit = True
        if hit:
            out.append(fs.rel_dir)
    return out


# -- one claim ----------------------------------------------------------------------------
def _citation(claim: Claim) -> str:
    page = f", p. {claim.source.page}" if claim.source.page is not None else ""
    return f"{{cite:t}}`{claim.source.key}`, {md_escape(claim.source.locator)}{md_escape(page)}"


def _evidence_table(checks: Sequence[Mapping[str, Any]]) -> list[str]:
    head = [
        "| check | method | status | instances | hypotheses met | unresolved | explored | worst slack "
        "| worst ratio | duration (s) | note |",
        "| --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |",
    ]
    from verifythm.evidence.explored import describe

    rows = []
    for k in checks:
        rows.append(
            "| "
            + " | ".join(
                table_cell(x)
                for x in (
                    md_code(k.get("name", "?")),
                    md_escape(k.get("method", "?")),
                    STATUS_MARK.get(str(k.get("status")), md_escape(str(k.get("status")))),
                    fmt_num(k.get("instances")),
                    fmt_num(k.get("hypotheses_met")),
                    fmt_num(k.get("unresolved")),
                    md_escape(describe(k.get("explored"), k.get("constant"))),
                    fmt_num(k.get("worst_slack")),
                    fmt_num(k.get("worst_ratio"), ".4g"),
                    fmt_num(k.get("duration_s"), ".3f"),
                    md_escape(k.get("note", "")),
                )
            )
            + " |"
        )
    return head + rows


def _survey_lines(entry: Mapping[str, Any]) -> list[str]:
    """The counterexample-search summary of one claim (``verifythm survey``)."""
    nec = [md_escape(h["dropped"]) for h in entry.get("hypotheses", []) if h.get("necessary")]
    not_shown = [md_escape(h["dropped"]) for h in entry.get("hypotheses", []) if not h.get("necessary")]
    flag = " — the search **violated** the bound" if entry.get("violated") else ""
    out = [
        f"Counterexample search (`verifythm survey`): largest observed / bound found "
        f"{fmt_num(entry.get('sup_ratio'), '.6g')}{flag}; report "
        f"{md_code('docs/search/' + str(entry.get('tightness_report', '')))}.",
        "",
    ]
    if entry.get("hypotheses"):
        out += [
            f"Hypotheses shown necessary (a counterexample exists without them): {'; '.join(nec) or 'none'}. "
            f"Not shown necessary within the budget: {'; '.join(not_shown) or 'none'}.",
            "",
        ]
    return out


def claim_page(
    claim: Claim,
    result: Mapping[str, Any] | None,
    report: Mapping[str, Any],
    *,
    module: str = "",
    docs_root: Path | None = None,
    survey: Mapping[str, Any] | None = None,
) -> str:
    """The MyST page of one claim.

    Parameters
    ----------
    claim
        The registered claim (statement, source, hypotheses, expectation).
    result
        Its entry of the report's ``claims`` list, or ``None`` when the report lacks it.
    report
        The whole report (profile, seed and date of the run).
    module
        Catalogue module that defines the claim.
    docs_root
        The docs source directory; used to link committed reports and figure data only when
        they exist there.
    survey
        The claim's entry of ``docs/search/survey.json`` (``verifythm survey``), if any.
    """
    exp = claim.expected
    lines = [
        f"({claim_label(claim.id)})=",
        "",
        f"# `{claim.id}`",
        "",
        f"**{md_escape(claim.title)}**",
        "",
        f"Source: {_citation(claim)}.",
        "",
        "## Statement",
        "",
        md_statement(claim.statement),
        "",
        "## Hypotheses",
        "",
    ]
    if claim.hypotheses:
        lines += [f"- {md_escape(h.name)}" for h in claim.hypotheses]
    else:
        lines.append("None beyond the setting of the statement.")
    lines += ["", "## Status", ""]
    if result is None:
        lines += [
            f"Not run in this report ({run_line(report)}); expected: **{exp.outcome}**.",
            "",
        ]
        checks: list[Mapping[str, Any]] = []
    else:
        status = str(result.get("status", "?"))
        ok = result.get("as_expected")
        if ok is None and status in Status._value2member_map_:
            ok = exp.satisfied_by(Status(status))
        verdict = STATUS_MARK.get(status, md_escape(status))
        expect = "as expected" if ok else "**not** as expected" if ok is not None else ""
        lines += [
            f"**{verdict}** (expected: **{exp.outcome}**{', ' + expect if expect else ''}); "
            f"{run_line(report)}.",
            "",
        ]
        checks = list(result.get("checks", []))
    if exp.is_failure:
        from verifythm.report.reading import reading_line

        lines += [f"Erratum: {md_escape(exp.erratum)}", ""]
        if exp.finding:
            lines += [reading_line(claim), ""]  # already Markdown: bold category, root as code
    lines += ["## Evidence", ""]
    if checks:
        lines += [*_evidence_table(checks), ""]
    else:
        declared = ", ".join(f"{md_code(k.name)} ({md_escape(k.method)})" for k in claim.checks)
        lines += [f"Declared checks: {declared or 'none'}.", ""]
    lines += ["## Tightness", ""]
    slack = worst_value(checks, "worst_slack", min)
    ratio = worst_value(checks, "worst_ratio", max)
    lines += [
        f"Kind: {md_escape(claim.kind)}. Worst relative slack over all checks: {fmt_num(slack)}; "
        f"worst tightness ratio (observed / bound, 1 = attained): {fmt_num(ratio, '.4g')}.",
        "",
    ]
    if survey and "skipped" not in survey:
        lines += _survey_lines(survey)
    cx = result.get("counterexample") if result else None
    report_rel = docs_path(exp.report, docs_root) if exp.report else None
    if cx or exp.report:
        lines += ["## Counterexample", ""]
        if cx and cx.get("violation"):
            lines += [f"Violation found in this run: {md_escape(cx['violation'])}", ""]
        if report_rel is not None:
            lines.append(f"Committed report: {doc_link(report_rel, report_rel)}.")
            npz = report_rel[: -len(".md")] + ".npz" if report_rel.endswith(".md") else None
            if npz and docs_root is not None and (docs_root / npz).is_file():
                lines += [
                    f"Instance: {_download(npz, Path(npz).name)}; reproduce with",
                    "",
                    "```bash",
                    f"verifythm reproduce docs/{npz}",
                    "```",
                ]
            lines.append("")
        elif exp.report:
            lines += [f"Committed report: {md_code(exp.report)}.", ""]
    figs = figure_links(claim, docs_root)
    if figs:
        lines += ["## Figures", ""]
        for fs in _figure_sets(docs_root):
            if fs.rel_dir not in figs:
                continue
            what = doc_link(fs.readme, fs.rel_dir) if fs.readme else f"`{fs.rel_dir}`"
            data = ", ".join(_download(f, Path(f).name) for f in fs.files)
            lines.append(f"- Reproduced figure data: {what}" + (f" (files: {data})" if data else ""))
        lines.append("")
    lines += ["## Source code", ""]
    lines += [
        f"Defined in {md_code(module)}." if module else "Registered directly (no catalogue module).",
        f"Check it with `verifythm check {claim.id}`; cite it with `verifythm cite {claim.id}`.",
        "",
    ]
    return "\n".join(lines)
