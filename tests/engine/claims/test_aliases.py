"""A renamed claim keeps answering to its old ids and keeps its draws (``Claim.aliases``)."""

from __future__ import annotations

import pytest
from hypothesis import strategies as st

from verifythm import Claim, Comparison, Source
from verifythm.claims.registry import Registry, UnknownClaimError
from verifythm.evidence.base import Context
from verifythm.evidence.numeric import PropertyCheck
from verifythm.evidence.run import run_checks
from verifythm.report.docs_pages import GENERATED_MARKER, write_claim_pages

SRC = Source("demo2020", "Theorem 1")


def _claim(cid: str, **kw) -> Claim:
    strategy = st.fixed_dictionaries({"x": st.floats(0.0, 1.0), "y": st.floats(0.0, 1.0)})
    return Claim(
        id=cid,
        title="t",
        source=SRC,
        statement="x*y <= 1",
        conclusion=lambda i: Comparison(i["x"] * i["y"], 1.0, "<="),
        checks=(PropertyCheck("property", strategy, max_examples=30),),
        **kw,
    )


def test_seed_id_is_the_first_published_id() -> None:
    assert _claim("demo.thm1").seed_id == "demo.thm1"
    c = _claim("demo.thm1", aliases=["demo.theorem1", "demo.t1"])
    assert c.aliases == ("demo.theorem1", "demo.t1") and c.seed_id == "demo.theorem1"
    assert c.metadata()["aliases"] == ["demo.theorem1", "demo.t1"]
    assert "aliases" not in _claim("demo.thm1").metadata()  # reports of unrenamed claims unchanged


@pytest.mark.parametrize("bad", [("demo.thm1",), ("Not an id",), ("demo",)])
def test_an_alias_is_another_dotted_id(bad: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="aliases"):
        _claim("demo.thm1", aliases=bad)


def test_a_sub_claim_variant_inherits_the_aliases_with_its_suffix() -> None:
    c = _claim("demo.thm1", aliases=("demo.theorem1",))
    assert c.variant(id="demo.thm1.as_proved").aliases == ("demo.theorem1.as_proved",)
    assert c.variant(id="demo.other").aliases == ()  # not below: a planted claim answers to no old id
    assert c.variant(title="u").aliases == c.aliases


def test_a_renamed_claim_draws_what_it_drew_under_its_old_id() -> None:
    ctx = Context(shrink=False)
    old, new = _claim("demo.theorem1"), _claim("demo.thm1", aliases=("demo.theorem1",))
    (a,), (b,) = run_checks(old, ctx), run_checks(new, ctx)
    assert (a.status, a.instances, a.worst_slack, a.worst_instance) == (
        b.status,
        b.instances,
        b.worst_slack,
        b.worst_instance,
    )
    assert a.status.value == "verified" and a.instances >= 30
    # ... and the salt does matter: the same claim under another id draws other instances
    (c,) = run_checks(_claim("demo.thm9"), ctx)
    assert c.worst_instance != a.worst_instance


def test_the_registry_resolves_old_ids_globs_and_prefixes() -> None:
    c = _claim("demo.thm1", aliases=("demo.theorem1",))
    sub = c.variant(id="demo.thm1.part")
    reg = Registry([c, sub, _claim("demo.lemma2")])
    assert reg.get("demo.theorem1") is c and reg.resolve("demo.theorem1") == "demo.thm1"
    assert "demo.theorem1.part" in reg and reg.get("demo.theorem1.part") is sub
    assert reg.select(["demo.theorem1"]) == [c]
    assert reg.select(["demo.theorem1*"]) == [c, sub]
    assert reg.select(["demo.theorem1"], prefix=True) == [c, sub]
    with pytest.raises(UnknownClaimError):
        reg.get("demo.theorem2")


def test_an_alias_cannot_shadow_an_id_or_another_alias() -> None:
    reg = Registry([_claim("demo.thm1", aliases=("demo.theorem1",))])
    with pytest.raises(ValueError, match=r"demo\.theorem1"):
        reg.add(_claim("demo.theorem1"))
    with pytest.raises(ValueError, match=r"demo\.theorem1"):
        reg.add(_claim("demo.thm2", aliases=("demo.theorem1",)))
    with pytest.raises(ValueError, match=r"demo\.thm1"):
        reg.add(_claim("demo.thm3", aliases=("demo.thm1",)))


def test_the_old_page_points_to_the_new_one_and_old_reports_still_read(tmp_path) -> None:
    c = _claim("demo.thm1", aliases=("demo.theorem1",))
    old_report = {"claims": [{"id": "demo.theorem1", "status": "verified", "checks": []}]}
    res = write_claim_pages(Registry([c]), old_report, tmp_path / "claims")
    moved = (tmp_path / "claims" / "demo.theorem1.md").read_text()
    assert moved.startswith("---\norphan: true\n---\n" + GENERATED_MARKER)
    assert "[`demo.thm1`](demo.thm1.md)" in moved
    assert res.not_in_report == [] and res.not_registered == []
    # the page goes once the alias does (it is a generated page)
    write_claim_pages(Registry([_claim("demo.thm1")]), old_report, tmp_path / "claims")
    assert not (tmp_path / "claims" / "demo.theorem1.md").exists()
