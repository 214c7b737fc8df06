r"""Linearized SGD at a minimum: the identities the exact moment engine rests on.

Setting shared by the modules: per-sample Hessians :math:`H_i\succeq0`,
:math:`H = \frac1n\sum_iH_i`, learning rate :math:`\eta`, batch size :math:`B`, and a
sampling scheme; :math:`\hat J = I-\eta\hat H` with :math:`\hat H` the mini-batch
average.  The dynamics are those of wu2022alignment Eq. (4) and dexter2024precise
Definition 1; the operator formulas are derived here (docs/guides/moment_engine.md) and proved by batch
enumeration, so they are attributed to the paper whose dynamics they describe.
"""
