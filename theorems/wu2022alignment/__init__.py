r"""Wu, Wang & Su (2022), *The alignment property of SGD noise and how it helps select flat minima*.

Bibliography key ``wu2022alignment`` (NeurIPS 2022).  Setting shared by the
modules: square loss :math:`L(\theta)=\frac1{2n}\sum_i (f(x_i;\theta)-y_i)^2`,
model gradients :math:`g_i`, Fisher :math:`G`, Hessian :math:`H`, noise covariance
:math:`\Sigma`; linearized model at a minimum :math:`\theta^*=0` with
:math:`L(\theta)=\frac12\theta^TH\theta`, :math:`H=G=\frac1n\sum_i g_ig_i^T`.
"""

KEY = "wu2022alignment"
