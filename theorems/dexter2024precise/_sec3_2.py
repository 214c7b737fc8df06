r"""Private helpers of the squared-scaling modules of dexter2024precise (not collected).

The instances are :math:`(t,n,B,\eta,\sigma)` (all read as reals) with :math:`t\ge1`, :math:`t^2B<n`.

* :data:`KEYS` / :data:`INPUTS`: the instance keys and their declared schema.
* :data:`SCALING_HYP`: the hypothesis :math:`t\ge1`, :math:`1\le B`, :math:`t^2B<n`, :math:`\eta>0`,
  :math:`\sigma\ge1`.
* :func:`scaling_generate`: seeded instances (:math:`n<1000`), plus :math:`n=4`, :math:`B=1`,
  :math:`t=\sqrt2`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from verifythm import Hypothesis
from verifythm.claims.inputs import REAL

KEYS = ("t", "n", "B", "eta", "sigma")
INPUTS = dict.fromkeys(KEYS, REAL)


def _scaling_ok(inst: dict[str, Any]) -> bool:
    t, n, B, eta, s = (inst[k] for k in KEYS)
    return t >= 1 and 1 <= B and t * t * B < n and eta > 0 and s >= 1


SCALING_HYP = (Hypothesis("t ≥ 1, 1 ≤ B, t²B < n, η > 0, σ ≥ 1", _scaling_ok),)


def scaling_generate(rng: np.random.Generator, k: int) -> list[dict[str, Any]]:
    out = [{"t": math.sqrt(2.0), "n": 4.0, "B": 1.0, "eta": 1.0, "sigma": 1.0}]
    for _ in range(k):
        n = int(rng.integers(2, 1000))
        B = int(rng.integers(1, n))
        tmax = math.sqrt((n - 1e-9) / B)
        out.append(
            {
                "t": float(rng.uniform(1.0, tmax)),
                "n": float(n),
                "B": float(B),
                "eta": float(10 ** rng.uniform(-2, 1)),
                "sigma": float(rng.uniform(1, n)),
            }
        )
    return out
