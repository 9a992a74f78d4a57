"""Tests of lrbook.scrubbers: kernel-free twins, light, offline, responsive."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest

from lrbook import live as ll
from lrbook import scrubbers
from tests.conftest import quiet

pytestmark = pytest.mark.usefixtures("no_open_figures")


# --------------------------------------------------------------------------------------
# kernel-free twins


ANIMATION_MARKUP = ('<div class="animation">', 'type="range"', "anim", "<script")


@pytest.mark.parametrize(
    "make",
    [
        lambda: scrubbers.step_size_scrubber(dim=1),
        lambda: scrubbers.step_size_scrubber(dim=2),
        lambda: scrubbers.optimizer_scrubber(),
        lambda: scrubbers.schedule_scrubber(),
        lambda: scrubbers.lr_finder_scrubber(),
        lambda: scrubbers.training_scrubber(),
    ],
    ids=["step_size_1d", "step_size_2d", "optimizer", "schedule", "lr_finder", "training"],
)
def test_scrubbers_are_light_offline_animations(make):
    with quiet():
        twin = make()
    html = twin._repr_html_()
    assert all(marker in html for marker in ANIMATION_MARKUP)
    assert html.count("data:image/png;base64,") == twin.frames
    assert 12 <= twin.frames <= 30
    assert twin.nbytes < 700_000  # a chapter page stays under 800 KB
    assert "http" not in html  # no CDN: it plays offline
    assert "lw." in html and "Binder" in html  # points to the live version


def test_scrubber_frames_follow_the_control():
    """Frame i shows the figure at values[i]: the divergence note appears only above 2/λ."""
    import base64

    from PIL import Image

    twin = scrubbers.step_size_scrubber(dim=1, lrs=[0.05, 0.25])
    frames = re.findall(r'frames\[\d+\] = "data:image/png;base64,(.*?)"', twin.html, re.S)
    images = [
        np.asarray(Image.open(io.BytesIO(base64.b64decode(f.replace("\\\n", "")))).convert("RGB"))
        for f in frames
    ]
    assert len(images) == 2 and images[0].shape == images[1].shape
    red = [((im[..., 0] > 170) & (im[..., 1] < 80) & (im[..., 2] < 80)).sum() for im in images]
    assert red[0] == 0 and red[1] > 100  # the red "발산" box


def test_scrub_validates_its_arguments():
    live = ll.StepSizeFigure()
    with pytest.raises(ValueError, match="control must be one of"):
        scrubbers.scrub(live, "eta", [0.1])
    with pytest.raises(ValueError, match="values must not be empty"):
        scrubbers.scrub(live, "lr", [])


def test_the_player_fits_its_column_and_names_its_image_and_slider():
    twin = scrubbers.step_size_scrubber(dim=1, lrs=[0.05, 0.25])
    html = twin.html
    alt = re.search(r'<img alt="([^"]+)" id="_anim_img', html)
    assert alt and "포물선" in alt.group(1) and "η = 0.05부터 0.25까지" in alt.group(1)
    assert re.search(r'type="range" class="anim-slider" aria-label="학습률 η 고르기"', html)
    css = html[: html.index("</style>")]
    width = round(ll.StepSizeFigure().fig.get_figwidth() * 72)  # the frames' natural width
    assert f"width: {width}px; max-width: 100%; height: auto" in css
    assert "width: 100%; max-width" in css and "flex-wrap: wrap" in css
    # the twin's text is larger than the explorer's: a phone shrinks it to its column
    frames = re.findall(r'frames\[\d+\] = "data:image/png;base64,(.*?)"', html, re.S)
    assert len(frames) == 2


def test_twins_use_larger_text_than_the_explorers():
    explorer = ll.StepSizeFigure()
    twin = ll.StepSizeFigure(text_scale=scrubbers.TEXT_SCALE)
    size = explorer.ax_loss.yaxis.label.get_fontsize()
    assert twin.ax_loss.yaxis.label.get_fontsize() == pytest.approx(scrubbers.TEXT_SCALE * size)
    with pytest.raises(ValueError, match="text_scale must be positive"):
        ll.StepSizeFigure(text_scale=0)
