r"""Findings: what each expected failure says about its paper, grouped by category and root cause.

Every claim that is expected to fail carries a *finding category* (:data:`~verifythm.claims.model.FINDINGS`):
``erratum`` (the printed statement is false), ``proof-gap`` (a step of a proof is false; the result may
survive), ``typo`` (an evident slip with an evident fix), ``edge-case`` (false only where the authors plainly
did not mean it) or ``scope`` (the statement fails once a standing assumption of the paper is dropped: the
assumption is necessary, the paper is not wrong).  Only the first three are errata of the papers.

A finding that follows from another one names it as its *root*: its erratum line starts with
``same root as `<id>`:`` (:data:`ROOT_PREFIX`).  A root is a registered paper error without a root of its
own, and counts once however many findings depend on it.

This module turns that metadata into

* :func:`reading_line` — the sentence every counterexample report carries under its erratum, saying which
  reading of the paper the report refutes (and, for an edge case or a scope limit, that it is not an error
  of the paper);
* :func:`findings_page` — the Markdown page ``docs/findings.md`` listing every finding by category, the
  errata grouped by root;
* :func:`refresh_report` — rewrite the header of a committed report from the registry (the instance, the
  numbers and the reproduce command are kept byte for byte).

Command line::

    python -m verifythm.report.findings --page docs/findings.md --refresh docs/errata

Examples
--------
>>> from verifythm import Claim, Source, Expected
>>> c = Claim(id="demo.b", title="t", source=Source("k", "Lemma 1"), statement="s",
...           expected=Expected.fails("same root as `demo.a`: inherits the constant", finding="erratum"))
>>> finding_root(c)
'demo.a'
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from verifythm.claims.model import FINDINGS, PAPER_ERRORS, Claim

# ``X as X``: the finding line of a report lives in report.reading (counterexample prints it)
from verifythm.report.reading import ROOT_PATTERN
from verifythm.report.reading import ROOT_PREFIX as ROOT_PREFIX
from verifythm.report.reading import finding_root as finding_root
from verifythm.report.reading import reading_line as reading_line

__all__ = [
    "CATEGORY_MEANING",
    "ROOT_PREFIX",
    "expected_failures",
    "finding_root",
    "findings_page",
    "main",
    "reading_line",
    "refresh_report",
    "roots",
    "summary_counts",
    "validate_findings",
]

_CODE = re.compile(r"(`[^`]+`)")
_MD_SPECIAL = re.compile(r"([\\*_{}\[\]<>#|$~])")
_REPORT_BODY = "## How it was found"

CATEGORY_MEANING = {
    "erratum": "the printed statement is false",
    "proof-gap": "a step of the proof is false; the result may survive",
    "typo": "an evident slip with an evident fix",
    "edge-case": "false only where the authors plainly did not mean it",
    "scope": "fails once a standing assumption of the paper is dropped: the assumption is necessary",
}
"""One line per category (:data:`~verifythm.claims.model.FINDINGS`)."""


def expected_failures(claims: Iterable[Claim]) -> list[Claim]:
    """The claims expected to fail (every finding), in registry order."""
    return [c for c in claims if c.expected.is_failure]


def validate_findings(claims: Iterable[Claim]) -> None:
    """Raise ``ValueError`` unless every finding has a category and every named root is a paper error.

    A root must be registered, be expected to fail with a category in
    :data:`~verifythm.claims.model.PAPER_ERRORS` and have no root of its own; only paper errors have roots.
    """
    claims = list(claims)
    by_id = {c.id: c for c in claims}
    for c in expected_failures(claims):
        if c.expected.finding not in FINDINGS:
            raise ValueError(f"claims: {c.id} has no finding category (expected one of {FINDINGS})")
        root = finding_root(c)
        if not root:
            continue
        r = by_id.get(root)
        if c.expected.finding not in PAPER_ERRORS:
            raise ValueError(f"claims: {c.id} is a {c.expected.finding} finding and cannot name a root")
        if r is None or not r.expected.is_erratum or finding_root(r) or r.id == c.id:
            raise ValueError(f"claims: {c.id} names {root!r} as its root, which is not a root paper error")


def roots(claims: Iterable[Claim]) -> dict[str, list[Claim]]:
    """The paper errors grouped by root: ``{root id: [root claim, dependents...]}``, in registry order."""
    out: dict[str, list[Claim]] = {}
    errors = [c for c in expected_failures(claims) if c.expected.is_erratum]
    for c in errors:
        if not finding_root(c):
            out[c.id] = [c]
    for c in errors:
        root = finding_root(c)
        if root:
            if root not in out:
                raise ValueError(
                    f"claims: {c.id} names {root!r} as its root, which is not a root paper error"
                )
            out[root].append(c)
    return out


def summary_counts(claims: Iterable[Claim]) -> dict[str, int]:
    """Counts of the findings: per category, ``"errors"`` (paper errors), ``"roots"`` and ``"total"``."""
    fails = expected_failures(claims)
    counts = {k: sum(c.expected.finding == k for c in fails) for k in FINDINGS}
    counts["errors"] = sum(c.expected.is_erratum for c in fails)
    counts["roots"] = len(roots(fails))
    counts["total"] = len(fails)
    return counts


# -- the findings page ------------------------------------------------------------------------------
def _md(text: str) -> str:
    """Markdown for free text: inline code spans kept, everything else escaped, on one line."""
    parts = _CODE.split(re.sub(r"\s+", " ", text).strip())
    return "".join(p if _CODE.fullmatch(p) else _MD_SPECIAL.sub(r"\\\1", p) for p in parts)


_LEAD = re.compile(r"^(?:scope, not an error|edge case)\s*:\s*")


def _what(claim: Claim) -> str:
    """The erratum line without what the table already shows (the root, the category's lead-in)."""
    text = claim.expected.erratum
    m = ROOT_PATTERN.match(text)
    if m:
        text = text[m.end() :].lstrip(" :")
    return _md(_LEAD.sub("", text))


def _report_link(claim: Claim) -> str:
    rep = claim.expected.report
    if rep.startswith("docs/") and rep.endswith(".md"):
        return f"[report]({rep[len('docs/') :]})"
    return f"`{rep}`" if rep else "—"


def _row(claim: Claim, *cells: str) -> str:
    src = _md(f"{claim.source.key}, {claim.source.locator}")
    return "| " + " | ".join((f"`{claim.id}`", src, *cells, _what(claim), _report_link(claim))) + " |"


def findings_page(claims: Iterable[Claim]) -> str:
    """The Markdown (MyST) page of every finding, errata grouped by root cause.

    Parameters
    ----------
    claims
        The registry (or any iterable of claims); validated with :func:`validate_findings`.
    """
    claims = list(claims)
    validate_findings(claims)
    n = summary_counts(claims)
    fails = expected_failures(claims)
    lines = [
        "<!-- generated by `python -m verifythm.report.findings --page docs/findings.md`: do not edit -->",
        "",
        "# Findings",
        "",
        f"{n['total']} claims of the catalogue are expected to fail. Each is a *finding*, "
        "with a category, a one-line account and a committed counterexample report that "
        "`verifythm reproduce` re-checks:",
        "",
        *[f"- **{k}**: {CATEGORY_MEANING[k]} ({n[k]})" for k in FINDINGS],
        "",
        f"Only the first three are errata of the papers: {n['errors']} findings from {n['roots']} "
        f"independent root causes. The {n['edge-case']} edge cases and {n['scope']} scope limits are not "
        "errors of the papers; each sits beside a claim, expected to hold, that encodes the paper's own "
        "reading (named in its line).",
        "",
        "## Errata of the papers, by root cause",
        "",
        "A finding that follows from another names it as its root and is listed under it; the root "
        "counts once.",
        "",
        "| claim | source | category | root | what fails | report |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for root, group in roots(claims).items():
        for c in group:
            lines.append(_row(c, c.expected.finding, "—" if c.id == root else f"`{root}`"))
    for cat, title, intro in (
        (
            "edge-case",
            "Edge cases",
            "False only where the authors plainly did not mean the statement; the intended reading holds.",
        ),
        (
            "scope",
            "Scope limits: assumptions shown necessary",
            "Each statement drops a standing assumption of its paper (its noise model, sampling scheme, "
            "convention or setting); the counterexample shows the assumption is needed.",
        ),
    ):
        rows = [c for c in fails if c.expected.finding == cat]
        lines += ["", f"## {title}", "", intro, "", "| claim | source | what fails | report |"]
        lines += ["| --- | --- | --- | --- |", *[_row(c) for c in rows]]
    lines.append("")
    return "\n".join(lines)


# -- committed reports ------------------------------------------------------------------------------
def _refreshed(path: Path, claim: Claim) -> tuple[str, str]:
    """``(current text, text with the header rebuilt from claim)`` of a committed report."""
    from verifythm.report.counterexample import claim_header

    text = path.read_text("utf-8")
    first, _, _ = text.partition("\n")
    at = text.find("\n" + _REPORT_BODY)
    if at < 0 or f"`{claim.id}`" not in first:
        raise ValueError(f"path: {path} is not a counterexample report of {claim.id}")
    title = first[2:] if first.startswith("# ") else first
    body = _reconfirmed(text[at:], claim, path.with_suffix(".npz"))
    return text, "\n".join(claim_header(claim, title)) + body


def _reconfirmed(body: str, claim: Claim, npz: Path) -> str:
    """``body`` with its confirmation lines recomputed on the committed instance.

    The lines after ``- float64: …`` (an optional ``- high precision: …`` and the precision
    note) say how the violation was confirmed; a re-check added to the claim (or to the
    engine) after the report was written would otherwise leave "no high-precision re-check"
    in it.  Reports of checks (no claim instance) and instances that no longer violate are
    left as they are (the reproduce test fails on the latter).
    """
    from verifythm.evidence.numeric import judge
    from verifythm.report.counterexample import read_counterexample

    lines = body.split("\n")
    at = next((i for i, ln in enumerate(lines) if ln.startswith("- float64: ")), None)
    if at is None or not npz.is_file():
        return body
    end = at + 1
    if end < len(lines) and lines[end].startswith("- high precision: "):
        end += 1
    if end >= len(lines) or not lines[end].startswith("- "):
        return body
    try:
        inst, meta = read_counterexample(npz)
        if meta.get("kind") in ("symbolic", "check") or claim.failed_hypotheses(inst):
            return body
        _, viol = judge(claim, inst)
    except Exception:  # an instance the claim cannot evaluate now: the reproduce test says so
        return body
    if viol is None:
        return body
    new = [f"- high precision: {viol.precise.describe()}"] if viol.precise is not None else []
    return "\n".join([*lines[: at + 1], *new, f"- {viol.precision_note}", *lines[end + 1 :]])


def refresh_report(path: str | Path, claim: Claim, *, dry_run: bool = False) -> bool:
    """Rewrite the header of a committed counterexample report from ``claim``; return whether it changed.

    Everything from ``## How it was found`` on (instance, numbers, reproduce command) is kept byte for
    byte, except the lines saying how the violation was confirmed, recomputed on the committed
    instance (:func:`_reconfirmed`).  With ``dry_run`` nothing is written: the result says
    whether the report is stale.

    Raises
    ------
    ValueError
        If ``path`` is not a counterexample report of ``claim``.
    """
    from verifythm.report.io import atomic_write_text

    old, new = _refreshed(Path(path), claim)
    if new == old:
        return False
    if not dry_run:
        atomic_write_text(path, new, overwrite=True)
    return True


def _report_claims(claims: Sequence[Claim], directory: Path) -> list[tuple[Path, Claim]]:
    """The committed reports in ``directory`` with their claims (matched by file name)."""
    out = []
    for c in expected_failures(claims):
        if c.expected.report:
            p = directory / Path(c.expected.report).name
            if p.is_file():
                out.append((p, c))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m verifythm.report.findings [--page FILE] [--refresh DIR] [--check]``; the exit code."""
    ap = argparse.ArgumentParser(
        prog="python -m verifythm.report.findings",
        description="Write the findings page and refresh the headers of the committed erratum reports.",
    )
    ap.add_argument("--page", metavar="FILE", help="write the findings page here (e.g. docs/findings.md)")
    ap.add_argument("--refresh", metavar="DIR", help="refresh the headers of the reports in DIR")
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 if anything is stale")
    args = ap.parse_args(argv)
    if not args.page and not args.refresh:
        ap.error("nothing to do: give --page and/or --refresh")
    from verifythm.claims.registry import default_registry
    from verifythm.report.io import atomic_write_text

    claims = list(default_registry())
    stale: list[str] = []
    if args.page:
        page = Path(args.page)
        text = findings_page(claims)
        if not page.is_file() or page.read_text("utf-8") != text:
            stale.append(str(page))
            if not args.check:
                atomic_write_text(page, text, overwrite=True)
    if args.refresh:
        directory = Path(args.refresh)
        if not directory.is_dir():
            ap.error(f"--refresh: {directory} is not a directory")
        for path, claim in _report_claims(claims, directory):
            if refresh_report(path, claim, dry_run=args.check):
                stale.append(str(path))
    verb = "stale" if args.check else "updated"
    for s in stale:
        print(f"{verb}: {s}")
    print(f"{len(stale)} file(s) {verb}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
