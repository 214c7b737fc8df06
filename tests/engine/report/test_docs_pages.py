"""The generated documentation pages: one per registered claim, from the registry and a report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support import REPO_ROOT

from verifythm import Claim, Source, default_registry
from verifythm.claims.model import Comparison, Expected
from verifythm.claims.registry import Registry
from verifythm.report.docs_pages import (
    GENERATED_MARKER,
    claim_docname,
    figure_links,
    main,
    md_escape,
    md_statement,
    missing_pages,
    write_claim_pages,
)

DOCS = REPO_ROOT / "docs"


def _fake_report(claims: list[Claim], skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A report in the schema of ``verifythm check --json`` with made-up, recognisable numbers."""
    entries = []
    for k, c in enumerate(claims):
        if c.id in skip:
            continue
        status = "counterexample" if c.expected.is_failure else "verified"
        entries.append(
            {
                **c.metadata(),
                "status": status,
                "as_expected": True,
                "checks": [
                    {
                        "name": chk.name,
                        "method": chk.method,
                        "status": status,
                        "instances": 1000 + k,
                        "hypotheses_met": 900 + k,
                        "unresolved": 7,
                        "explored": {"scalars": {"n": [2, 6]}, "shapes": {}, "scale": [0.5, 4.0]},
                        "worst_slack": -1.25e-15,
                        "worst_ratio": 0.75,
                        "duration_s": 0.0123,
                        "note": f"note of {chk.name} | with a pipe",
                    }
                    for chk in c.checks
                ],
                "counterexample": (
                    {
                        "report": "x.md",
                        "instance": "x.npz",
                        "violation": "lhs = 2 <= rhs = 1",
                        "reproduce": "…",
                    }
                    if c.expected.is_failure
                    else None
                ),
            }
        )
    return {
        "verifythm_version": "0.1.0",
        "profile": "quick",
        "seed": 20221,
        "started": "2026-11-22T21:58:24+00:00",
        "duration_s": 36.6,
        "claims": entries,
    }


@pytest.fixture(scope="module")
def registry() -> Registry:
    return default_registry()


@pytest.fixture(scope="module")
def pages(registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    claims = list(registry)
    skip = frozenset({claims[-1].id})
    out = tmp_path_factory.mktemp("docs") / "claims"
    res = write_claim_pages(registry, _fake_report(claims, skip), out, docs_root=DOCS)
    return out, res


def test_every_registered_claim_has_a_page(registry: Registry, pages: tuple[Path, Any]) -> None:
    out, res = pages
    assert set(res.pages) == {c.id for c in registry}
    for c in registry:
        text = (out / f"{c.id}.md").read_text("utf-8")
        assert f"# `{c.id}`" in text
        assert f"{{cite:t}}`{c.source.key}`" in text  # rendered through the bibliography
        assert md_escape(c.source.locator) in text
        for h in c.hypotheses:
            assert md_escape(h.name) in text
        if c.expected.is_failure:
            assert md_escape(c.expected.erratum) in text
    docnames = [claim_docname(p.stem) for p in out.glob("*.md")]
    assert missing_pages(registry, docnames) == []


def test_pages_show_the_report(registry: Registry, pages: tuple[Path, Any]) -> None:
    out, res = pages
    claims = list(registry)
    last = claims[-1]
    assert res.not_in_report == [last.id] and res.not_registered == []
    assert "Not run in this report" in (out / f"{last.id}.md").read_text("utf-8")
    first = claims[0]
    text = (out / f"{first.id}.md").read_text("utf-8")
    for chk in first.checks:
        assert f"| `{chk.name}` | {md_escape(chk.method)} |" in text
    # instances, met, unresolved, explored region, slack, ratio, time
    assert "| 1000 | 900 | 7 | n ∈ \\[2, 6\\]; scale 0.5..4 | -1.25e-15 | 0.75 | 0.012 |" in text
    assert "note of" in text and "\\| with a pipe" in text  # pipes escaped inside the table
    assert "profile `quick`, seed 20221, run started 2026-11-22T21:58:24+00:00" in text


def test_status_overview_lists_every_claim_and_links_errata(
    registry: Registry, pages: tuple[Path, Any]
) -> None:
    out, res = pages
    index = res.index.read_text("utf-8")
    for c in registry:
        assert f"\n{c.id}\n" in index  # in the (hidden) toctree
        assert f"{{ref}}`{c.id} <claim-{c.id.replace('.', '-')}>`" in index
    for key in {c.source.key for c in registry}:
        assert f"## {key}" in index
    for c in registry:
        if (
            c.expected.is_failure
            and c.expected.report.startswith("docs/")
            and (DOCS.parent / c.expected.report).is_file()
        ):
            target = c.expected.report[len("docs/") : -len(".md")]
            assert f"</{target}>`" in index
            assert f"</{target}>`" in (out / f"{c.id}.md").read_text("utf-8")


def test_statement_math_is_kept_and_text_escaped() -> None:
    assert md_statement(r"For $a_1 \le b_*$ and x_i*y: $|x|$.") == r"For $a_1 \le b_*$ and x\_i\*y: $|x|$."
    assert md_statement("price $5") == r"price \$5"  # unbalanced dollar: no math span


def test_figure_links() -> None:
    fig = Claim(
        id="dexter2024.sec5_2.example",
        title="t",
        source=Source("dexter2024precise", "Section 5.2, Figures 1-2"),
        statement="s",
        conclusion=lambda inst: Comparison(0.0, 1.0, "<="),
    )
    plain = fig.variant(id="dexter2024.thm9", source=Source("dexter2024precise", "Theorem 9"))
    if not (DOCS / "figures" / "dexter2024").is_dir():
        pytest.skip("no reproduced figure data in this tree")
    assert figure_links(fig, DOCS) == ["figures/dexter2024"]
    assert figure_links(plain, DOCS) == []
    assert figure_links(fig, None) == []


def test_stale_pages_removed_and_cli(tmp_path: Path) -> None:
    claim = Claim(
        id="demo.one",
        title="a demo claim",
        source=Source("wu2022alignment", "Lemma Z.9", page=3),
        statement=r"$x \le 1$.",
        conclusion=lambda inst: Comparison(inst["x"], 1.0, "<="),
        expected=Expected.fails("demo erratum", "docs/errata/does_not_exist.md"),
    )
    out = tmp_path / "claims"
    out.mkdir()
    (out / "gone.md").write_text(GENERATED_MARKER + "\n\nstale page of a removed claim")
    (out / "mine.md").write_text("a hand-written file")
    res = write_claim_pages(Registry([claim]), _fake_report([claim]), out, docs_root=tmp_path)
    assert not (out / "gone.md").exists()
    assert (out / "mine.md").read_text() == "a hand-written file"  # never deleted
    text = res.pages["demo.one"].read_text("utf-8")
    assert "Lemma Z.9, p. 3" in text
    assert "`docs/errata/does_not_exist.md`" in text  # a missing report is named, not linked
    report = tmp_path / "report.json"
    report.write_text(json.dumps(_fake_report([claim])))
    assert main(["--report", str(report), "--out", str(tmp_path / "cli"), "--docs-root", str(DOCS)]) == 0
    assert (tmp_path / "cli" / "index.md").is_file()


def test_single_bibliography() -> None:
    from importlib import resources

    shipped = resources.files("verifythm").joinpath("data/references.bib").read_text("utf-8")
    assert shipped == (DOCS / "references.bib").read_text("utf-8")


def test_sphinx_build_fails_when_a_claim_has_no_page(registry: Registry) -> None:
    pytest.importorskip("sphinx")
    import importlib.util
    from types import SimpleNamespace

    from sphinx.errors import ExtensionError

    spec = importlib.util.spec_from_file_location("verifythm_docs_conf", DOCS / "conf.py")
    assert spec is not None and spec.loader is not None
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    ids = [c.id for c in registry]
    conf._check_every_claim_has_a_page(None, SimpleNamespace(found_docs={claim_docname(i) for i in ids}))
    with pytest.raises(ExtensionError, match=ids[0]):
        conf._check_every_claim_has_a_page(
            None, SimpleNamespace(found_docs={claim_docname(i) for i in ids[1:]})
        )


def test_claim_page_shows_the_survey_entry(tmp_path):
    import json as _json

    from verifythm import default_registry
    from verifythm.report.docs_pages import write_claim_pages

    reg = default_registry()
    claim = reg.get("wu2022.thm3_3")
    (tmp_path / "search").mkdir()
    entry = {
        "id": claim.id,
        "sup_ratio": 0.9999,
        "violated": False,
        "tightness_report": "tightness__wu2022.thm3_3.md",
        "hypotheses": [{"dropped": "θ* linearly stable", "necessary": True}],
    }
    (tmp_path / "search" / "survey.json").write_text(_json.dumps([entry]))
    report = {"profile": "quick", "seed": 1, "started": "2026-11-22", "claims": []}
    pages = write_claim_pages([claim], report, tmp_path / "claims", docs_root=tmp_path)
    text = pages.pages[claim.id].read_text()
    assert "0.9999" in text and "docs/search/tightness__wu2022.thm3_3.md" in text
    assert "Hypotheses shown necessary" in text and "linearly stable" in text


def test_pages_for_the_reports_claims_only(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``--report-only``: a researcher's report gets pages for its own claims, not the catalogue's."""
    from verifythm.report.docs_pages import main as pages_main

    report = {"claims": [{"id": "wu2022.lemma_g1", "status": "verified", "checks": []}]}
    path = tmp_path / "r.json"
    path.write_text(json.dumps(report))
    assert pages_main(["--report", str(path), "--out", str(tmp_path / "pages"), "--report-only"]) == 0
    assert sorted(p.name for p in (tmp_path / "pages").glob("*.md")) == ["index.md", "wu2022.lemma_g1.md"]
    assert pages_main(["--report", str(tmp_path / "missing.json"), "--out", str(tmp_path / "p2")]) == 2
