"""Figures for the book (matplotlib only): Korean font setup and pure ``plot_*`` functions.

Importing this module registers NanumGothic, the Hangul font that ships inside the
``koreanize-matplotlib`` wheel, and makes it matplotlib's default family, so Korean labels
render the same offline, on Binder and on Colab. The font files are located with
:func:`importlib.util.find_spec` instead of importing ``koreanize_matplotlib`` itself, whose
import needs ``distutils`` (gone from Python 3.12).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

__all__ = ["KOREAN_FONT", "korean_font_files", "use_korean_font"]

KOREAN_FONT = "NanumGothic"


def korean_font_files() -> list[Path]:
    """Return the NanumGothic ``.ttf`` files shipped by the ``koreanize-matplotlib`` wheel.

    Raises:
        ModuleNotFoundError: if ``koreanize-matplotlib`` is not installed.
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


def use_korean_font() -> str:
    """Register NanumGothic with matplotlib and make it the default font family.

    Safe to call more than once. Also switches the axis minus sign to ASCII ``-``, so
    negative tick labels do not depend on the font having U+2212.

    Returns:
        The font family name now in ``rcParams["font.family"]``.
    """
    known = {f.fname for f in font_manager.fontManager.ttflist}
    for path in korean_font_files():
        if str(path) not in known:
            font_manager.fontManager.addfont(str(path))
    mpl.rcParams["font.family"] = KOREAN_FONT
    mpl.rcParams["axes.unicode_minus"] = False
    return KOREAN_FONT


use_korean_font()
