"""lrbook: the numpy companion package of the interactive textbook 「학습률」.

The core (optimizers, schedules, landscapes, curvature, LR range test, models, data)
imports numpy only. Plotting lives in :mod:`lrbook.plotting` (matplotlib) and the live
explorers in :mod:`lrbook.widgets` (ipywidgets); import them explicitly.
"""

__version__ = "0.1.0"
from .optimizers import *  # noqa: F403
from .landscapes import *  # noqa: F403
from .trajectory import *  # noqa: F403
from .curvature import *  # noqa: F403
from .schedules import *  # noqa: F403
from .analysis import *  # noqa: F403
from .models import *  # noqa: F403
from .data import *  # noqa: F403
from .training import *  # noqa: F403
from .finder import *  # noqa: F403
