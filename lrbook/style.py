"""The book's figure style: colours, sizes and the Korean font, applied only inside ``style()``.

Nothing happens at import: :func:`style` registers NanumGothic (the Hangul font shipped in
the ``koreanize-matplotlib`` wheel, located with :func:`importlib.util.find_spec` without
importing that package, whose import needs ``distutils``) the first time it is entered,
sets :data:`STYLE` and the font family for the ``with`` block, and restores every rcParam
it changed when the block ends. Without the font package a warning is shown once and the
figures fall back to DejaVu Sans (Hangul then shows as empty boxes).
"""

from __future__ import annotations

import functools
import importlib.util
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib as mpl
from cycler import cycler
from matplotlib import font_manager

__all__ = [
    "KOREAN_FONT",
    "BASE_FONT",
    "COLORS",
    "MARKERS",
    "LINESTYLES",
    "DIVERGED",
    "STYLE",
    "WIDE",
    "korean_font_files",
    "font_family",
    "style",
]

KOREAN_FONT = "NanumGothic"
#: Listed before NanumGothic: Latin letters, digits, Greek and math symbols come from the font
#: matplotlib always ships, which also has the U+2212 minus sign that mathtext puts in every
#: log-axis label such as 10^-3 (NanumGothic lacks it, and mathtext takes its default glyphs
#: from the first family only). Hangul, absent from DejaVu Sans, falls back to NanumGothic.
BASE_FONT = "DejaVu Sans"

#: Okabe–Ito colours (distinguishable with colour-vision deficiencies), in cycle order.
COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
#: One marker per colour of :data:`COLORS`, so that methods differ by more than colour.
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
#: One line style per colour of :data:`COLORS`, for lines without markers.
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (3, 1)), (0, (1, 1)))
#: The colour of every divergence mark and message.
DIVERGED = "#C62828"

#: The one style of every figure of the book: a laptop-sized 7x4 in figure, 11 pt text.
STYLE: dict[str, Any] = {
    "figure.figsize": (7.0, 4.0),
    "figure.dpi": 100,
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 1.8,
    "lines.markersize": 5,
    "axes.prop_cycle": cycler(color=COLORS),
}

#: The size of the two-panel figures (landscape | loss, schedule | training), inches.
WIDE = (8.5, 3.8)


def korean_font_files() -> list[Path]:
    """Return the NanumGothic ``.ttf`` files shipped by the ``koreanize-matplotlib`` wheel.

    Raises:
        ModuleNotFoundError: if ``koreanize-matplotlib`` is not installed.
        FileNotFoundError: if the package has no ``.ttf`` file.
    """
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(
            "Korean figures need the NanumGothic font from the 'koreanize-matplotlib' package: "
            "pip install koreanize-matplotlib"
        )
    files = sorted((Path(spec.origin).parent / "fonts").glob("*.ttf"))
    if not files:
        raise FileNotFoundError(f"no .ttf files next to {spec.origin}")
    return files


@functools.cache
def font_family() -> tuple[str, ...]:
    """Register NanumGothic with matplotlib (once) and return the font family of the book.

    The family is ``(DejaVu Sans, NanumGothic)``: matplotlib draws each character with the
    first family that has it, so Hangul comes from NanumGothic and everything else
    (digits, Greek, the mathtext minus sign) from DejaVu Sans. Without
    ``koreanize-matplotlib`` it warns once and returns ``(DejaVu Sans,)``.

    Example:
        >>> font_family()
        ('DejaVu Sans', 'NanumGothic')
    """
    try:
        files = korean_font_files()
    except (ModuleNotFoundError, FileNotFoundError) as err:
        warnings.warn(
            f"{err}. Figures fall back to {BASE_FONT}, which has no Hangul.",
            RuntimeWarning,
            stacklevel=2,
        )
        return (BASE_FONT,)
    known = {f.fname for f in font_manager.fontManager.ttflist}
    for path in files:
        if str(path) not in known:
            font_manager.fontManager.addfont(str(path))
    return (BASE_FONT, KOREAN_FONT)


#: The font sizes of :data:`STYLE`, which ``style(scale=...)`` multiplies.
_FONT_SIZES = (
    "font.size",
    "axes.titlesize",
    "axes.labelsize",
    "xtick.labelsize",
    "ytick.labelsize",
    "legend.fontsize",
)


@contextmanager
def style(scale: float = 1.0) -> Iterator[None]:
    """Apply :data:`STYLE` and the Korean font inside a ``with`` block, then restore them.

    Args:
        scale: factor on every font size (the HTML twins use larger text, readable when a
            phone shrinks the figure to its column).

    Only the keys this block sets are saved and restored: :data:`STYLE`, ``font.family``
    and ``axes.unicode_minus`` (ASCII ``-`` on axes). (``matplotlib.rc_context`` would
    restore every rcParam, including the interactive mode that a notebook's backend
    switches on when the first figure is created inside the block: later pyplot figures
    would then no longer display.) Text keeps the font it was created with, so a figure
    made inside the block draws in Korean wherever it is shown later.

    Example:
        >>> import matplotlib.pyplot as plt
        >>> before = dict(mpl.rcParams)
        >>> with style():
        ...     fig = plt.figure()
        ...     mpl.rcParams["font.family"]
        ['DejaVu Sans', 'NanumGothic']
        >>> fig.get_size_inches().tolist()
        [7.0, 4.0]
        >>> plt.close(fig)
        >>> dict(mpl.rcParams) == before
        True
    """
    if not (isinstance(scale, int | float) and 0 < scale < 10):
        raise ValueError(f"scale must be a number in (0, 10), got {scale=}")
    settings = {
        **STYLE,
        **{key: STYLE[key] * scale for key in _FONT_SIZES},
        "font.family": list(font_family()),
        "axes.unicode_minus": False,
    }
    saved = {key: mpl.rcParams[key] for key in settings}
    mpl.rcParams.update(settings)
    try:
        yield
    finally:
        mpl.rcParams.update(saved)
