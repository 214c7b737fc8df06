r"""Li, Gu, Zhou, Chen & Banerjee (2019), *Hessian based analysis of SGD for Deep Nets*.

Full title: *Hessian based analysis of SGD for Deep Nets: Dynamics and Generalization*.

Bibliography key ``li2019hessian``.  Notation shared by the modules (the paper's):
training set :math:`S=\{z_1,\dots,z_n\}`, per-sample log-loss
:math:`f(\theta;z_i)=-\log p(\theta;z_i)`, mean gradient :math:`\mu_t`, centred
covariance :math:`\Sigma_t`, second moment :math:`M_t=\Sigma_t+\mu_t\mu_t^T`, Hessian
:math:`H_f(\theta_t)`, residual :math:`H_p(\theta_t)`, mini-batch size :math:`m`, step
size :math:`\eta_t`, smoothness constant :math:`L` (Assumption 1), prior
:math:`\mathcal N(\theta_0,\operatorname{diag}\sigma_j^2)` and posterior
:math:`\mathcal N(\theta,\operatorname{diag}\nu_j^{-1})` (Assumption 2).
"""

KEY = "li2019hessian"
