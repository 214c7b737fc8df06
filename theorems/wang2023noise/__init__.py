r"""Wang & Wu (2023), *A theoretical analysis of noise geometry in stochastic gradient descent*.

Bibliography key ``wang2023noise``.  Setting shared by the modules: square loss
:math:`\mathcal L(\theta)=\frac1{2n}\sum_i e_i^2` with residuals :math:`e_i=f(x_i;\theta)-y_i`,
model gradients :math:`g_i=\nabla f(x_i;\theta)` (columns of :math:`Q`), empirical Fisher
:math:`G=\frac1nQQ^T`, :math:`\Sigma_1=\frac1n\sum_ie_i^2g_ig_i^T`, the batch-size-one SGD
noise covariance :math:`\Sigma_0=\Sigma_1-\nabla\mathcal L\nabla\mathcal L^T` (Eq. (7)), the loss
alignment :math:`\mu(\theta)` (Def. 3.1), the directional alignment :math:`g(\theta;v)`
(Def. 4.1) and the escape ratios :math:`D_{t,k}, P_{t,k}` of Section 5.
"""

KEY = "wang2023noise"
