"""The one verdict table (``verifythm check`` and the pytest plugin): width, counts, skip reasons."""

from __future__ import annotations

import io
import json

import pytest

from verifythm import Claim, Comparison, Context, ExactCheck, Source
from verifythm.claims.model import Status
from verifythm.claims.registry import default_registry
from verifythm.cli import main, summary_table
from verifythm.report.table import (
    DEFAULT_WIDTH,
    VerdictRow,
    counts_line,
    render_table,
    rows_from_claims,
    skip_reason,
    table_width,
)
from verifythm.runner import run_claims


@pytest.fixture(autouse=True)
def _no_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)


def _row(cid: str, status: Status = Status.VERIFIED, **kw: object) -> VerdictRow:
    base: dict[str, object] = dict(
        claim=cid,
        source_key="wu2022alignment",
        locator="Lemma 3.2",
        status=status,
        as_expected=True,
        expected="holds",
        region="n≤6 d≤3",
        worst_slack=0.5,
        worst_ratio=0.5,
    )
    base.update(kw)
    return VerdictRow(**base)  # type: ignore[arg-type]


def _body(table: str) -> list[str]:
    """The rows of a rendered table: between the dashes and the counts line."""
    lines = table.splitlines()
    return lines[2 : next(i for i, ln in enumerate(lines) if " claim(s): " in ln)]


def test_real_catalogue_fits_120_columns_with_full_ids_and_statuses() -> None:
    """Worst cells for every claim id of the catalogue: long sources, an unexpected counterexample."""
    rows = [
        _row(
            c.id,
            Status.COUNTEREXAMPLE,
            source_key=c.source.key,
            locator=c.source.locator,
            as_expected=False,
            expected=c.expected.outcome,
            region="n≤16 d≤28 B≤16",
            worst_slack=-1.234e-05,
            worst_ratio=12.34,
        )
        for c in default_registry()
    ]
    text = render_table(rows)
    lines = text.splitlines()
    assert max(len(ln) for ln in lines) <= DEFAULT_WIDTH
    body = _body(text)
    assert len(body) == len(rows)
    for line, r in zip(body, rows, strict=True):
        assert line.startswith(r.claim + " ") and "counterexample  ✗" in line and "-1.23e-05" in line
    # the uncut table would be wider: the source was shortened, never the status
    assert max(len(ln) for ln in render_table(rows, width=10_000).splitlines()) > DEFAULT_WIDTH


def test_long_cells_are_cut_with_an_ellipsis_and_the_source_goes_first() -> None:
    long_src = "dexter2024precise Definition 2 and its discussion (rank-one case); Section 5.1"
    rows = [_row("dexter2024.def2.second_setting.rank_one", locator=long_src, region="n≤128 d≤256 B≤64")]
    wide = render_table(rows, width=200)
    assert long_src in wide and "n≤128 d≤256 B≤64" in wide
    mid = render_table(rows, width=130)
    assert all(len(ln) <= 130 for ln in mid.splitlines())
    (row,) = _body(mid)
    assert "wu2022alignment" not in row  # the key goes first, then the locator is cut
    assert "  dexter2024precise Definition 2…  verified" in row and "n≤128 d≤256 B≤64" in row
    cut = render_table(rows, width=100)  # no room for a useful locator: no source column
    assert (
        "source" not in cut and "n≤128 d≤256 B≤64" in cut and all(len(ln) <= 100 for ln in cut.splitlines())
    )
    narrow = render_table(rows, width=90)  # then the region is cut
    assert " ".join(narrow.splitlines()[0].split()) == "claim status expected region worst slack ratio"
    assert all(len(ln) <= 90 for ln in narrow.splitlines())
    (row,) = _body(narrow)
    assert row.startswith("dexter2024.def2.second_setting.rank_one  verified  holds     n≤128 …  0.5")
    tiny = render_table([_row("a" * 60)], width=40)  # too narrow: the id is elided in its middle
    assert "a" * 12 + "…" + "a" * 11 + " " in tiny and "verified" in tiny


def test_counts_line_names_every_status() -> None:
    rows = [
        _row("a.one"),
        _row("a.two"),
        _row("a.three", Status.COUNTEREXAMPLE, expected="fails"),
        _row("a.four", Status.INCONCLUSIVE, as_expected=False),
        _row("a.five", Status.SKIPPED, skip_reason="needs torch"),
    ]
    line = counts_line(rows)
    assert line == (
        "5 claim(s): 2 verified, 1 counterexample, 1 inconclusive, 0 vacuous, 0 error, 1 skipped; "
        "1 unexpected verdict(s)"
    )
    assert [s.value for s in Status] == [
        "verified",
        "counterexample",
        "inconclusive",
        "vacuous",
        "error",
        "skipped",
    ]
    assert render_table(rows).splitlines()[-1] == line
    short = counts_line(rows, width=80)  # zero counts are dropped only when the line would not fit
    assert (
        short
        == "5 claim(s): 2 verified, 1 counterexample, 1 inconclusive, 1 skipped; 1 unexpected verdict(s)"
    )


def test_skipped_claim_says_why() -> None:
    assert skip_reason("skipped: optional module(s) torch, dask not installed") == "needs torch, dask"
    assert skip_reason("skipped: " + "x" * 80).endswith("…")

    def conclusion(inst: dict) -> Comparison:
        return Comparison(inst["x"], inst["x"] + 1, "<=")

    gen = lambda rng, k: [{"x": float(v)} for v in rng.standard_normal(k)]  # noqa: E731
    src = Source("mm2024own", "Lemma 1")
    needs = Claim(
        id="mm2024.needs_a_module",
        title="t",
        source=src,
        statement="s",
        conclusion=conclusion,
        checks=(ExactCheck("exact", gen, requires=("verifythm_no_such_module",)),),
    )
    part = needs.variant(
        id="mm2024.partly",
        checks=(ExactCheck("exact", gen), ExactCheck("torch", gen, requires=("verifythm_no_such_module",))),
    )
    run = run_claims([needs, part], Context())
    text = summary_table(run.results)
    (skipped,) = [ln for ln in text.splitlines() if ln.startswith("mm2024.needs_a_module")]
    assert "skipped (needs verifythm_no_such_module)" in skipped
    (ran,) = [ln for ln in text.splitlines() if ln.startswith("mm2024.partly")]
    assert " verified " in ran and "needs" not in ran
    assert "1 verified, 0 counterexample, 0 inconclusive, 0 vacuous, 0 error, 1 skipped" in text
    assert text.splitlines()[-1] == "1 claim(s) ran with some checks skipped (needs verifythm_no_such_module)"


def test_width_comes_from_columns_or_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    assert table_width(False, 80) == DEFAULT_WIDTH  # a log or a pipe: 120
    assert table_width(True, 80) == 80 and table_width(True, 300) == DEFAULT_WIDTH
    monkeypatch.setenv("COLUMNS", "150")
    assert table_width(False, 80) == 150


def test_cli_and_plugin_render_the_same_rows() -> None:
    """The plugin's per-check rows, aggregated as it aggregates them, give the CLI's table."""
    from verifythm import pytest_plugin

    reg = default_registry()
    claims = [
        reg.get(cid) for cid in ("wu2022.eq12", "dexter2024.thm1", "wu2022.lemma3_2.unconditional_mean")
    ]
    run = run_claims(claims, Context())
    checks = [
        json.loads(json.dumps(pytest_plugin._check_row(r.claim, c, None)))  # as it travels between processes
        for r in run.results
        for c in r.checks
    ]
    plugin_rows = rows_from_claims(pytest_plugin._claim_docs(checks[::-1]))  # any order of arrival
    cli_rows = rows_from_claims(sorted((r.to_json() for r in run.results), key=lambda d: d["id"]))
    assert plugin_rows == cli_rows
    assert {r.status for r in cli_rows} == {Status.VERIFIED, Status.COUNTEREXAMPLE}
    assert render_table(plugin_rows) == render_table(cli_rows)


def test_cli_check_prints_table_and_counts(tmp_path: object) -> None:
    out = io.StringIO()
    assert (
        main(["check", "wu2022.eq12", "dexter2024.thm1", "-q", "--report-dir", str(tmp_path)], out=out) == 0
    )
    text = out.getvalue()
    lines = text.splitlines()
    assert lines[0].split() == ["claim", "source", "status", "expected", "region", "worst", "slack", "ratio"]
    assert any(ln.startswith("dexter2024.thm1 ") and "dexter2024precise Theorem 1" in ln for ln in lines)
    assert "2 claim(s): 1 verified, 1 counterexample, 0 inconclusive, 0 vacuous, 0 error, 0 skipped" in text
    assert all(len(ln) <= DEFAULT_WIDTH for ln in lines)
