r"""The enumeration instances of Eq. (20) of Wu, Wang & Su (2022) (not collected).

Discrete data laws on L atoms with kernel matrix :math:`K_0`: :math:`\mathbb E\|K\|_F^2` by enumerating all
:math:`L^n` data tuples and :math:`\sum_s\lambda_s^2(\mathcal K)` from the spectrum of
:math:`P^{1/2}K_0P^{1/2}`;
used by ``eq20`` and ``eq20_lower``.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from hypothesis import strategies as st

from verifythm import Hypothesis
from verifythm.claims.inputs import INT, array
from verifythm.strategies.scalars import reals

from ._appf import kappa_angles, random_gram


def expected_fro2(K0: np.ndarray, p: np.ndarray, n: int) -> float:
    r""":math:`\mathbb E\|K\|_F^2` by enumerating all :math:`L^n` data tuples."""
    tot = 0.0
    for idx in itertools.product(range(p.size), repeat=n):
        ix = np.array(idx)
        tot += float(np.prod(p[ix])) * float(np.sum(K0[np.ix_(ix, ix)] ** 2)) / n**2
    return tot


def hs2(K0: np.ndarray, p: np.ndarray) -> float:
    r""":math:`\sum_s\lambda_s^2(\mathcal K)` from the spectrum of :math:`P^{1/2}K_0P^{1/2}`."""
    s = np.sqrt(p)
    return float(np.sum(np.linalg.eigvalsh(s[:, None] * K0 * s[None, :]) ** 2))


#: The schema of both Eq. (20) claims (their conclusions and VALID read it).
INPUTS = {"K0": array(), "p": array(), "n": INT}


def _parts(inst: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, int]:
    return inst["K0"], inst["p"], inst["n"]


def _valid(inst: dict[str, Any]) -> bool:
    K0, p, n = _parts(inst)
    ok = K0.shape == (p.size, p.size) and p.size <= 5 and 1 <= n <= 6
    return ok and bool(np.allclose(K0, K0.T)) and bool(np.all(p >= 0)) and abs(p.sum() - 1) < 1e-12


VALID = Hypothesis("symmetric K₀ on L ≤ 5 atoms, p a probability vector, 1 ≤ n ≤ 6", _valid)


def _generate(rng: np.random.Generator, k: int, *, indefinite: bool = True) -> list[dict[str, Any]]:
    out = []
    for i in range(min(k, 40)):
        L = int(rng.integers(1, 5))
        n = int(rng.integers(1, 6 if L <= 3 else 5))
        if indefinite and i % 6 == 5:
            K0 = rng.standard_normal((L, L))
            K0 = (K0 + K0.T) / 2
        elif i % 6 == 4:
            K0 = kappa_angles(rng.uniform(0, 2 * np.pi, L))
        else:
            K0 = random_gram(rng, L, i % 5)
        out.append({"K0": K0, "p": rng.dirichlet(np.ones(L)), "n": n})
    return out


FIXED = [
    {"K0": np.array([[0.7]]), "p": np.array([1.0]), "n": 3},  # point mass: equality
    {"K0": np.full((3, 3), 0.5), "p": np.array([0.2, 0.3, 0.5]), "n": 4},  # constant kernel: equality
    {"K0": kappa_angles(np.array([0.0, 1.0, 2.5])), "p": np.array([0.5, 0.3, 0.2]), "n": 2},
]


@st.composite
def _strategy(draw: Any, psd: bool = True) -> dict[str, Any]:
    L = draw(st.integers(1, 3))
    B = np.array(draw(st.lists(reals(-2, 2), min_size=L * L, max_size=L * L))).reshape(L, L)
    w = np.array(draw(st.lists(st.floats(0.01, 1.0), min_size=L, max_size=L)))
    return {"K0": B.T @ B if psd else (B + B.T) / 2, "p": w / w.sum(), "n": draw(st.integers(1, 4))}
