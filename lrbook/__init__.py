"""lrbook: the numpy companion package of the interactive textbook 「학습률」.

The core (optimizers, schedules, landscapes, curvature, LR range test, models, data)
imports numpy only and is re-exported here, so ``import lrbook as lrb`` gives
``lrb.adam``, ``lrb.cosine_annealing``, ``lrb.run``, ``lrb.lr_find`` and the rest.
Plotting lives in :mod:`lrbook.plotting` (matplotlib) and the live explorers in
:mod:`lrbook.widgets` (ipywidgets); import them explicitly.
"""

from .analysis import *  # noqa: F403
from .curvature import *  # noqa: F403
from .data import *  # noqa: F403
from .finder import *  # noqa: F403
from .hessian import *  # noqa: F403
from .landscapes import *  # noqa: F403
from .models import *  # noqa: F403
from .optimizers import *  # noqa: F403
from .schedules import *  # noqa: F403
from .training import *  # noqa: F403
from .trajectory import *  # noqa: F403

# isort: split
# step sizes that choose themselves, closed forms, preconditioned sharpness, statistics
from .linesearch import *  # noqa: F403
from .preconditioned import *  # noqa: F403
from .stats import *  # noqa: F403
from .theory import *  # noqa: F403

__version__ = "0.1.0"
