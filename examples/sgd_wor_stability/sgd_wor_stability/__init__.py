r"""The stability threshold of SGD without replacement: a worked verifythm example.

Linearized SGD at a minimum with per-sample Hessians :math:`H_1,\dots,H_n` (symmetric PSD,
:math:`H = \frac1n\sum_i H_i`) takes steps :math:`w \mapsto (I - \eta\hat H_S)w` with
:math:`\hat H_S = \frac1B\sum_{i\in S}H_i` for a uniform ``B``-subset :math:`S` (sampling
*without* replacement).  The modules state and check:

* :mod:`sgd_wor_stability.mixture` — the second-moment operator of this scheme is that of a
  process which takes a single-sample step with probability :math:`p = (n-B)/(B(n-1))` and a
  full-batch step otherwise (Proposition 1), its engine form, and a tempting but false variant
  with :math:`p = 1/B` (the draft's slip, an expected failure);
* :mod:`sgd_wor_stability.threshold` — the critical learning rate :math:`\eta^*(B)` is
  non-decreasing in ``B`` with :math:`\eta^*(n) = 2/\lambda_1(H)` (Proposition 2), and
  mean-square stability at :math:`\eta` forces :math:`\eta \le 2/\lambda_1(H)` (Proposition 3).

The bibliography is ``references.bib`` in this folder (``verifythm cite`` finds it there).
"""
