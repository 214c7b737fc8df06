"""Requests too large for memory fail at once, naming the argument and the size (issue 21, item 1).

Zero-stride views (``np.broadcast_to``) stand for inputs of any size without taking memory: if
the engine tried to allocate for them, numpy would raise its own ``MemoryError`` (or the
machine would swap), not :class:`InsufficientMemoryError`.
"""

from __future__ import annotations

import io

import numpy as np
import pytest

from verifythm.cli import main
from verifythm.dynamics import Family, NoiseModel, critical_learning_rate
from verifythm.linalg.gram import gram_from_gradients, max_abs
from verifythm.linalg.memory import (
    ENV_LIMIT,
    InsufficientMemoryError,
    available_bytes,
    parse_bytes,
    require_memory,
)


def test_sizes_parse_and_bad_sizes_name_the_variable() -> None:
    assert parse_bytes("2GiB") == 2 * 2**30
    assert parse_bytes("1.5 MiB") == 3 * 2**19
    assert parse_bytes("4096") == 4096
    for bad in ("lots", "-1GiB", "0", "3 parsecs"):
        with pytest.raises(ValueError, match=ENV_LIMIT):
            parse_bytes(bad)


def test_the_user_cap_lowers_what_is_available(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_LIMIT, "100MiB")
    assert available_bytes() == 100 * 2**20
    require_memory(50 * 2**20, "half the cap", name="x")
    with pytest.raises(InsufficientMemoryError, match=r"^x: twice the cap needs about 200\.0 MiB"):
        require_memory(200 * 2**20, "twice the cap", name="x")


def test_small_requests_are_not_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_LIMIT, "1KiB")  # below any small request: still not checked
    require_memory(2**20, "a small request", name="x")


@pytest.mark.parametrize(
    ("shape", "what"),
    [((10**6, 10**7), "n × n Gram matrix"), ((10**8, 10**6), "p × p form")],
)
def test_family_from_gradients_refuses_before_allocating(shape: tuple[int, int], what: str) -> None:
    G = np.broadcast_to(np.ones(1), shape)  # 10¹³-10¹⁴ entries, no memory
    with pytest.raises(InsufficientMemoryError, match=rf"^gradients: the {what}.* needs about .*TiB"):
        Family.from_gradients(G)


def test_gram_and_hessians_refuse_before_allocating(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InsufficientMemoryError, match=r"^Q2: the n × n Gram matrix.*n = 1000000"):
        gram_from_gradients(np.broadcast_to(np.ones(1), (10**6, 10)), name="Q2")
    monkeypatch.setenv(ENV_LIMIT, "256MiB")
    H = np.broadcast_to(np.eye(200), (400, 200, 200))  # 128 MB as an array, 3× that to reduce
    with pytest.raises(InsufficientMemoryError, match=r"^hessians: working copies.*n = 400, d = 200"):
        Family.from_hessians(H)


def test_a_forced_dense_operator_names_the_method(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(0)
    fam = Family.from_gradients(rng.standard_normal((150, 200)))
    noise = NoiseModel.build(fam, 10, "without_replacement")
    monkeypatch.setenv(ENV_LIMIT, "1GiB")  # m = 150·151/2 = 11325: the dense matrix needs ~3.8 GiB
    message = r"^method: the dense m × m matrix.*m = r\(r\+1\)/2 = 11325"
    with pytest.raises(InsufficientMemoryError, match=message):
        critical_learning_rate(noise, method="dense")
    assert critical_learning_rate(noise).value > 0  # the matrix-free default still answers


def test_cli_exits_2_with_one_line(tmp_path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "g.npz"
    np.savez(path, gradients=np.random.default_rng(1).standard_normal((3000, 3500)))
    monkeypatch.setenv(ENV_LIMIT, "100MiB")
    argv = ["stability", str(path), "--batch-size", "10", "--sampling", "without_replacement"]
    rc = main(argv, io.StringIO())
    err = capsys.readouterr().err
    assert rc == 2
    assert err.count("\n") == 1 and err.startswith("verifythm: error: gradients: the n × n Gram matrix")
    assert "(n = 3000) needs about 412.0 MiB" in err and "100.0 MiB" in err


def test_max_abs_reads_bounded_blocks_and_rejects_nan() -> None:
    rng = np.random.default_rng(0)
    for shape in [(1, 1), (3, 1000), (1000, 3), (37, 41)]:
        G = rng.standard_normal(shape)
        for block in (1, 5, 64, 1 << 22):  # single entries, partial rows, several rows, all
            assert max_abs(G, "g", block=block) == np.max(np.abs(G)), (shape, block)
    G = np.arange(-30.0, 30.0).reshape(6, 10)
    assert max_abs(G, "g", block=7) == 30.0
    G[5, 9] = np.nan
    with pytest.raises(ValueError, match=r"^g: contains NaN"):
        max_abs(G, "g", block=7)
