r"""Markdown building blocks of the generated claim pages (:mod:`verifythm.report.docs_pages`).

Escaping for MyST Markdown (text, statements with ``$...$`` math, inline code), the names and
labels of claim pages, numbers and cells of the evidence tables, links into the docs tree, and
the run line and worst values of a report: shared by :mod:`verifythm.report.claim_page` and
:mod:`verifythm.report.overview`.

Examples
--------
>>> from verifythm.report.markdown import claim_docname, md_escape
>>> claim_docname("wu2022.lemma_g1")
'claims/wu2022.lemma_g1'
>>> md_escape("a_b *c* |d|")
'a\\_b \\*c\\* \\|d\\|'
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "STATUS_MARK",
    "claim_docname",
    "claim_label",
    "doc_link",
    "docs_path",
    "fmt_num",
    "md_code",
    "md_escape",
    "md_statement",
    "run_line",
    "table_cell",
    "worst_value",
]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|$~])")
_MATH = re.compile(r"(\$[^$]+\$)")
_DOCS_PREFIX = "docs/"

#: Plain-text marks of the statuses: emoji render as blank boxes where no emoji font is
#: installed (issue 22).
STATUS_MARK = {
    "verified": "verified",
    "counterexample": "COUNTEREXAMPLE",
    "inconclusive": "inconclusive (?)",
    "vacuous": "vacuous (-)",
    "error": "ERROR",
    "skipped": "skipped",
}


def md_escape(text: str) -> str:
    """Escape Markdown (MyST) punctuation so ``text`` renders literally, newlines as spaces."""
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", str(text)))


def md_statement(statement: str) -> str:
    """A claim statement for MyST: ``$...$`` kept as math, the text between escaped.

    An unbalanced ``$`` is escaped, so the result never opens an unterminated math span.
    """
    text = re.sub(r"\s+", " ", statement).strip()
    if text.count("$") % 2:
        return md_escape(text)
    parts = _MATH.split(text)
    return "".join(p if _MATH.fullmatch(p) else md_escape(p) for p in parts)


def md_code(text: str) -> str:
    """An inline code span showing ``text`` verbatim (code spans take no escapes)."""
    text = re.sub(r"\s+", " ", str(text))
    if "`" not in text:
        return f"`{text}`"
    return f"`` {text} ``"


def claim_docname(claim_id: str) -> str:
    """Sphinx document name of a claim's page (relative to the docs source directory)."""
    return f"claims/{claim_id}"


def fmt_num(x: Any, spec: str = ".3g") -> str:
    """A number of a report for Markdown: ``—`` for ``None``, booleans and integers as they are."""
    if x is None:
        return "—"
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return str(x)
    try:
        return format(float(x), spec)
    except (TypeError, ValueError):
        return md_escape(str(x))


def table_cell(text: str) -> str:
    """Text for a pipe-table cell (already Markdown; pipes must be escaped)."""
    return text.replace("\n", " ").strip() or " "


def docs_path(path: str, docs_root: Path | None) -> str | None:
    """``docs/errata/x.md`` -> ``errata/x.md`` when it lies in the docs tree (and exists)."""
    p = path.replace("\\", "/")
    if p.startswith("./"):
        p = p[2:]
    if not p.startswith(_DOCS_PREFIX):
        return None
    rel = p[len(_DOCS_PREFIX) :]
    if docs_root is not None and not (docs_root / rel).is_file():
        return None
    return rel


def doc_link(rel_md: str, text: str) -> str:
    """A MyST ``{doc}`` link to a Markdown source given relative to the docs root."""
    target = "/" + rel_md[: -len(".md")] if rel_md.endswith(".md") else "/" + rel_md
    return f"{{doc}}`{text} <{target}>`"


def claim_label(claim_id: str) -> str:
    """The MyST label of a claim's page (``claim-`` and the id with dots as dashes)."""
    return "claim-" + claim_id.replace(".", "-")


def run_line(report: Mapping[str, Any]) -> str:
    """One line on the run behind a report: profile, seed, start time, verifythm version."""
    date = str(report.get("started", "?"))
    return (
        f"profile {md_code(report.get('profile', '?'))}, seed {md_escape(report.get('seed', '?'))}, "
        f"run started {md_escape(date)} (verifythm {md_escape(report.get('verifythm_version', '?'))})"
    )


def worst_value(checks: Sequence[Mapping[str, Any]], key: str, pick: Any) -> float | None:
    """``pick`` (``min``/``max``) of the numeric ``key`` over ``checks``; ``None`` if none has one."""
    vals = [k[key] for k in checks if isinstance(k.get(key), (int, float))]
    return pick(vals) if vals else None
