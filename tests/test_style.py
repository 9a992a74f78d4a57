"""Tests of lrbook.style: the Korean font, the house style, rcParams left as they were."""

from __future__ import annotations

import subprocess
import sys
import warnings

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

import lrbook as lrb
from lrbook import live as ll
from lrbook import plotting as lp
from lrbook import style as ls
from tests.conftest import lines, quiet, render, shown_texts

pytestmark = pytest.mark.usefixtures("no_open_figures")


# --------------------------------------------------------------------------------------
# fonts and style


FIGURE_STACK = ("style", "plotting", "live", "scrubbers", "demos")


@pytest.mark.parametrize("module", FIGURE_STACK)
def test_importing_a_figure_module_changes_no_rcparam(module):
    """In a fresh process: rcParams equal before and after the import, and after a style()
    block; the core and demos load no matplotlib, no figure module loads ipywidgets."""
    code = f"""
import sys, lrbook
assert "matplotlib" not in sys.modules
import matplotlib as mpl
before = dict(mpl.rcParams)
import lrbook.{module}
assert dict(mpl.rcParams) == before, "changed by import"
from lrbook.style import style
with style():
    assert mpl.rcParams["font.family"] == ["DejaVu Sans", "NanumGothic"]
    assert mpl.rcParams["axes.unicode_minus"] is False
assert dict(mpl.rcParams) == before, "changed by style()"
assert "ipywidgets" not in sys.modules and "IPython" not in sys.modules
"""
    subprocess.run([sys.executable, "-c", code], check=True)


def test_demos_and_the_core_never_import_matplotlib():
    code = (
        "import sys, lrbook, lrbook.demos, lrbook.finder; "
        "assert not [m for m in sys.modules if m.startswith('matplotlib')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_korean_font_is_registered_behind_dejavu():
    assert ls.font_family() == ("DejaVu Sans", "NanumGothic")
    names = {f.name for f in font_manager.fontManager.ttflist}
    assert "NanumGothic" in names


def test_a_missing_font_package_warns_once_and_falls_back(monkeypatch):
    """Without koreanize-matplotlib: one RuntimeWarning, DejaVu Sans only, no ImportError."""
    monkeypatch.setattr(ls.importlib.util, "find_spec", lambda name: None)
    ls.font_family.cache_clear()
    try:
        with pytest.warns(RuntimeWarning, match="pip install koreanize-matplotlib"):
            with ls.style():
                assert mpl.rcParams["font.family"] == ["DejaVu Sans"]
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with ls.style():
                pass
    finally:
        ls.font_family.cache_clear()


def test_lr_finder_result_plot_draws_through_the_registered_function():
    def loss_and_grad(theta, batch=None):
        return float(5 * theta @ theta), 10 * theta

    res = lrb.lr_find(loss_and_grad, np.array([1.0, 1.0]), num_it=30)
    ax = res.plot()
    stop = res.lrs.size - 5
    np.testing.assert_allclose(lines(ax, "smoothed")[0].get_xdata(), res.lrs[:stop])
    assert ax.get_xscale() == "log"
    plt.close(ax.figure)


def test_every_character_the_figures_show_is_in_the_font_list():
    """NanumGothic covers the Hangul, DejaVu Sans the rest (η, λ, θ₁, ⁻, ×, ≥, →)."""
    fonts = [FT2Font(font_manager.findfont(name)) for name in ls.font_family()]
    hangul = FT2Font(font_manager.findfont(ls.KOREAN_FONT))
    assert "NanumGothic" in hangul.family_name
    f = lrb.quadratic((1.0, 10.0))
    figs = [
        lp.plot_landscape(f, np.array([[-2.0, 1.0], [np.inf, 0.0]]), ["발산하는 경로"]),
        lp.plot_losses({"a": np.array([1.0, np.inf])}),
        lp.plot_lr_sweep([0.1, 0.3], [0.01, np.inf], sharpness=10.0),
        lp.plot_effective_lr(np.ones((3, 2)), -np.ones((3, 2)), lr=1.0),
        lp.plot_lr_finder([1e-3, 1e-2, 1e-1], [1.0, np.nan, 2.0], suggestions={"valley": 1e-2}),
        lp.plot_sharpness(np.array([1.0, np.inf]), 0.1),
    ]
    for live in (ll.StepSizeFigure(dim=2, lr=0.3), ll.ScheduleFigure(schedule="constant", lr=0.5)):
        figs.append(live.fig)
    chars = {c for fig in figs for text in shown_texts(fig) for c in text if not c.isspace()}
    missing = {c for c in chars if not any(font.get_char_index(ord(c)) for font in fonts)}
    assert missing == set()
    assert any("\uac00" <= c <= "\ud7a3" for c in chars)  # some Hangul was checked
    for c in (c for c in chars if "\uac00" <= c <= "\ud7a3"):
        assert hangul.get_char_index(ord(c)), c


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_hangul_and_log_axes_render_without_missing_glyphs(fmt):
    with ls.style():
        fig, ax = plt.subplots()
    plt.close(fig)
    ax.plot([1, 2, 3], [1e-5, 1e-2, 3e-1])
    ax.set_yscale("log")  # matplotlib's own mathtext labels 10^-5 use U+2212
    ax.set_title("학습률 η = 0.25 > 2/λ = 0.2: 발산")
    ax.set_xlabel("스텝 t")
    with quiet():
        assert len(render(fig, fmt)) > 1000


def test_style_sets_and_restores_only_its_keys():
    keys = [*ls.STYLE, "font.family", "axes.unicode_minus"]
    before = {key: mpl.rcParams[key] for key in keys}
    interactive = mpl.rcParams["interactive"]
    with ls.style():
        assert mpl.rcParams["font.size"] == 11
        assert list(mpl.rcParams["figure.figsize"]) == [7.0, 4.0]
        mpl.rcParams["interactive"] = not interactive  # what a notebook backend does
    try:
        assert {key: mpl.rcParams[key] for key in keys} == before
        assert mpl.rcParams["interactive"] is (not interactive)
    finally:
        mpl.rcParams["interactive"] = interactive


def test_style_scale_multiplies_every_font_size_and_is_checked():
    with ls.style(scale=1.5):
        assert mpl.rcParams["font.size"] == pytest.approx(16.5)
        assert mpl.rcParams["legend.fontsize"] == pytest.approx(15.0)
    assert mpl.rcParams["font.size"] == mpl.rcParamsDefault["font.size"]
    with pytest.raises(ValueError, match="scale must be"):
        with ls.style(scale=0):
            pass


def test_no_lrbook_module_is_over_900_lines():
    from pathlib import Path

    package = Path(ls.__file__).parent
    long = {p.name: n for p in package.glob("*.py") if (n := len(p.read_text().splitlines())) > 900}
    assert long == {}
