"""The declared instance schema (issue 24): the engine reads an instance once, as modules did by hand."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from verifythm import Claim, Comparison, Hypothesis, Source
from verifythm.claims.inputs import INT, REAL, Input, array, normalise, reads_inputs

SCHEMA = {"X": array(2), "B": INT, "eta": REAL}


def _conclusion(inst):
    return Comparison(inst["B"] * inst["eta"], float(inst["X"].sum()), "<=")


def _claim(**kw):
    fields = dict(
        id="t.inputs",
        title="t",
        source=Source("k", "Lemma 1"),
        statement="s",
        conclusion=_conclusion,
        hypotheses=(Hypothesis("B is an int", lambda i: isinstance(i["B"], int)),),
        inputs=SCHEMA,
    )
    fields.update(kw)
    return Claim(**fields)


@pytest.mark.parametrize("value", [2, 2.0, 2.7, -3.5, np.int64(4), np.float32(1.5), True, "7"], ids=repr)
def test_int_and_real_are_the_hand_conversions(value):
    assert normalise({"v": INT}, {"v": value})["v"] == int(value)
    assert type(normalise({"v": INT}, {"v": value})["v"]) is int
    assert normalise({"v": REAL}, {"v": value})["v"] == float(value)


@pytest.mark.parametrize(
    "value", [[[1, 2], [3, 4]], np.eye(2, dtype=np.float32), ((1.5,),), np.arange(4).reshape(2, 2)]
)
def test_arrays_are_float64_as_by_hand(value):
    out = normalise({"X": array(2)}, {"X": value})["X"]
    ref = np.asarray(value, float)
    assert out.dtype == np.float64 and np.array_equal(out, ref) and out.shape == ref.shape


def test_axes_are_checked_and_named():
    with pytest.raises(ValueError, match=r"^H: expected an array with 3 axes, got shape \(2, 2\)$"):
        normalise({"H": array(3)}, {"H": np.eye(2)})
    assert normalise({"H": array()}, {"H": 1.0})["H"].shape == ()


def test_unnamed_and_absent_keys_pass_through_and_the_caller_keeps_its_values():
    inst = {"B": 2.5, "tag": "x", "ints": [1, 2]}
    out = normalise(SCHEMA, inst)
    assert out == {"B": 2, "tag": "x", "ints": [1, 2]} and inst["B"] == 2.5


def test_a_claim_reads_its_inputs_for_conclusion_precise_conclusion_and_hypotheses():
    seen = {}

    def precise(inst):
        seen["precise"] = inst
        return _conclusion(inst)

    claim = _claim(precise_conclusion=precise)
    raw = {"X": [[1, 2]], "B": 2.0, "eta": 1}
    assert claim.evaluate(raw).lhs == 2.0 and claim.conclusion(raw).rhs == 3.0
    assert claim.failed_hypotheses(raw) == []  # B arrives as an int
    claim.precise_conclusion(raw)
    assert isinstance(seen["precise"]["X"], np.ndarray)
    assert raw["B"] == 2.0 and isinstance(raw["X"], list)
    # without the schema the same hypothesis sees the drawn float: the declaration is what converts
    assert _claim(inputs={}).failed_hypotheses(raw) == ["B is an int"]


def test_variants_are_not_wrapped_twice_and_claims_pickle():
    claim = _claim()
    again = claim.variant(title="u").variant(title="v")
    assert again.conclusion.raw is _conclusion
    assert again.hypotheses == claim.hypotheses and again.conclusion == claim.conclusion
    assert len({again.conclusion, claim.conclusion}) == 1
    assert claim.conclusion != reads_inputs({}, _conclusion)
    assert pickle.loads(pickle.dumps(reads_inputs(SCHEMA, abs))).raw is abs


class _Statistical:
    statistical = True

    def __call__(self, inst):
        return _conclusion(inst)


def test_a_conclusion_object_keeps_its_attributes():
    claim = _claim(conclusion=_Statistical())
    assert claim.conclusion.statistical is True and getattr(claim.conclusion, "missing", None) is None
    assert pickle.loads(pickle.dumps(claim.conclusion)).statistical is True


def test_bad_declarations_name_their_argument():
    with pytest.raises(ValueError, match=r"^kind:"):
        Input("matrix")
    with pytest.raises(ValueError, match=r"^ndim:"):
        Input("real", 1)
