"""lrbook: the numpy companion package of the interactive textbook 「학습률」.

The core (optimizers, schedules, landscapes, curvature, LR range test, models, data)
imports numpy only and is re-exported here, so ``import lrbook as lrb`` gives
``lrb.adam``, ``lrb.cosine_annealing``, ``lrb.run``, ``lrb.lr_find`` and the rest.
Plotting lives in :mod:`lrbook.plotting` (matplotlib) and the live explorers in
:mod:`lrbook.widgets` (ipywidgets); import them explicitly.

The training protocol, one for every loop: ``loss_and_grad`` in, ``diverged_step`` out.

Every loop of lrbook (:func:`lrbook.run`, :func:`lrbook.train`,
:func:`lrbook.gd_sharpness`, :func:`lrbook.lr_find`) takes the objective as

* a callable ``loss_and_grad(params, batch=None) -> (loss, grads)``: ``params`` of shape
  ``(..., P)``, ``loss`` of shape ``(...)``, ``grads`` of shape ``(..., P)``;
* a :class:`~lrbook.Landscape`, whose method ``f.loss_and_grad`` is such a callable
  (``batch`` must be None); the loop first calls ``f.fresh()``, so a seeded random
  landscape (:func:`lrbook.noisy`) replays the same noise in every run;
* a model of :mod:`lrbook.models` (anything with a ``loss_and_grad`` method).

Divergence is recorded the same way by every loop. Each result has

* ``diverged``: bool, shape ``B`` (the batch shape of the runs);
* ``diverged_step``: int, shape ``B``: the step index ``t`` at which the loss first
  became non-finite or exceeded the loop's bound, -1 if it never did. ``t`` indexes the
  result's loss record (``losses[t]`` is the first bad loss; for :func:`lrbook.run` it is
  the loss at ``params[t]``, for :func:`lrbook.train` the minibatch loss before update
  ``t``).

What a loop records after ``diverged_step`` differs by purpose and is stated in each
result: :func:`lrbook.run` freezes the trajectory at its last good point (a plot stops
there), :func:`lrbook.train` and :func:`lrbook.gd_sharpness` record NaN, and
:func:`lrbook.lr_find` ends the test (its curve is ``diverged_step + 1`` points long).
"""

from .analysis import *  # noqa: F403
from .curvature import *  # noqa: F403
from .data import *  # noqa: F403
from .finder import *  # noqa: F403
from .hessian import *  # noqa: F403
from .landscapes import *  # noqa: F403
from .models import *  # noqa: F403
from .optimizers import *  # noqa: F403
from .plateau import *  # noqa: F403
from .schedules import *  # noqa: F403
from .training import *  # noqa: F403
from .trajectory import *  # noqa: F403

# isort: split
# step sizes that choose themselves, learning-rate tables, closed forms, preconditioned
# sharpness, statistics
from .linesearch import *  # noqa: F403
from .lr_table import *  # noqa: F403
from .preconditioned import *  # noqa: F403
from .races import *  # noqa: F403
from .stats import *  # noqa: F403
from .theory import *  # noqa: F403
from .warmup import *  # noqa: F403

__version__ = "0.1.0"
