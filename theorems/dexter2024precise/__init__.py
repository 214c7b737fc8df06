r"""Dexter, Ocejo, Keerthi, Gupta, Acharya & Khanna (2024), *A precise characterization of SGD stability*.

Full title: *A precise characterization of SGD stability using loss surface geometry*.

Bibliography key ``dexter2024precise`` (ICLR 2024).  Setting: per-sample Hessians
:math:`H_i\succeq0` at a point where every :math:`\ell_i` is minimal,
:math:`H=\frac1n\sum_iH_i`, Bernoulli sampling (each sample kept independently with
probability :math:`B/n`, step :math:`\frac\eta B\sum_{i\in S}H_i`), :math:`J = I-\eta H`,
:math:`\hat J = I-\frac\eta B\sum_{i\in S}H_i` (Definition 1).
"""

KEY = "dexter2024precise"
