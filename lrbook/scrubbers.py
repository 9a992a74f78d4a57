"""Kernel-free twins of the explorers: a live figure animated over one control, as HTML."""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import PIL.Image
from matplotlib.animation import FuncAnimation

from ._checks import check_int, check_positive
from ._figure import _object_particle
from .live import (
    LiveFigure,
    LRFinderFigure,
    OptimizerRaceFigure,
    ScheduleFigure,
    StepSizeFigure,
    TrainingFigure,
)

__all__ = [
    "Scrubber",
    "scrub",
    "step_size_scrubber",
    "optimizer_scrubber",
    "schedule_scrubber",
    "lr_finder_scrubber",
    "training_scrubber",
]


class Scrubber:
    """A self-contained HTML animation with play buttons and a frame slider.

    Put it last in a notebook cell: it displays through :meth:`_repr_html_`, and in the
    rendered book it plays without a kernel.

    Attributes:
        html: the markup (the ``to_jshtml`` player, its frames as embedded PNG, a caption).
        frames: number of frames.
    """

    def __init__(self, html: str, frames: int) -> None:
        self.html = html
        self.frames = frames

    @property
    def nbytes(self) -> int:
        """Size of the markup in bytes (UTF-8)."""
        return len(self.html.encode("utf-8"))

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<Scrubber: {self.frames} frames, {self.nbytes / 1e6:.2f} MB>"


def scrub(
    live: LiveFigure,
    control: str,
    values: Sequence[Any],
    *,
    caption: str = "",
    alt: str = "",
    label: str = "",
    fps: float = 3.0,
    dpi: float = 72.0,
    colors: int = 96,
) -> Scrubber:
    """Animate ``live`` over ``values`` of one control into a :class:`Scrubber`.

    Each frame is ``live.update(**{control: value})`` rendered at ``dpi``; the frames are
    embedded by :meth:`matplotlib.animation.Animation.to_jshtml`, then each PNG frame is
    re-encoded with a palette of ``colors`` colours (line art loses nothing visible and
    the page gets about three times lighter). The player is made responsive: the image
    never grows past its natural width and shrinks to the column (``max-width: 100%``,
    ``height: auto``), the slider takes the column's width, and the buttons wrap, so it
    fits a 390 px phone. The figure is closed afterwards (``live`` should not be used
    again).

    Args:
        live: the figure to animate.
        control: the name of the control to vary.
        values: its values, one per frame (15 to 30 is plenty).
        caption: HTML shown under the player (e.g. how to open the live version).
        alt: the image's alternative text (what the animation shows).
        label: the accessible name of the frame slider (what it changes).
        fps: frames per second when playing.
        dpi: resolution of the embedded frames.
        colors: palette size of the embedded frames (2 to 256).

    Returns:
        The scrubber.
    """
    values = list(values)
    if not values:
        raise ValueError(f"values must not be empty, got {values=}")
    if control not in live.defaults:
        raise ValueError(f"control must be one of {sorted(live.defaults)}, got {control=}")
    check_positive("fps", fps)
    check_positive("dpi", dpi)
    check_int("colors", colors, minimum=2)
    if colors > 256:
        raise ValueError(f"colors must be at most 256, got {colors=}")
    fig = live.fig
    fig.set_dpi(dpi)

    def frame(i: int) -> list:
        live.update(**{control: values[i]})
        return []

    anim = FuncAnimation(fig, frame, frames=len(values), repeat=False)
    # to_jshtml draws each frame twice: the animation asks the canvas for an idle redraw
    # (on an Agg canvas, a full draw) and then saves the frame (a second full draw); only
    # the saved one is embedded, so the idle redraw is skipped while the frames are made.
    canvas = fig.canvas
    canvas.draw_idle = lambda *args, **kwargs: None
    try:
        with mpl.rc_context({"animation.frame_format": "png"}):
            jshtml = anim.to_jshtml(fps=fps, default_mode="once")
    finally:
        del canvas.draw_idle
    width = round(fig.get_figwidth() * dpi)
    alt = alt or (
        f"조작값 {control}{_object_particle(control)} {len(values)}가지로 바꾸며 "
        "그린 그림의 애니메이션"
    )
    label = label or f"{control} 값 고르기"
    player = _responsive(_offline(_palette_frames(jshtml, colors)), alt, label, width)
    anim.event_source = None
    plt.close(fig)
    note = f'<p class="lrbook-scrubber-caption">{caption}</p>' if caption else ""
    return Scrubber(f'<div class="lrbook-scrubber">{player}{note}</div>', len(values))


_FRAME = re.compile(r'(frames\[\d+\] = "data:image/png;base64,)(.*?)(")', re.DOTALL)


def _palette_frames(player: str, colors: int) -> str:
    """Re-encode every embedded PNG frame of a ``to_jshtml`` player with a palette."""

    def shrink(match: re.Match) -> str:
        data = base64.b64decode(match.group(2).replace("\\\n", ""))
        image = PIL.Image.open(io.BytesIO(data)).convert("RGB")
        out = io.BytesIO()
        image.quantize(colors).save(out, format="png", optimize=True)
        return match.group(1) + base64.b64encode(out.getvalue()).decode("ascii") + match.group(3)

    return _FRAME.sub(shrink, player)


#: The player's Font Awesome icons (fetched from a CDN) as plain characters, and its
#: repetition modes in Korean, so that the player needs no network at all.
_PLAYER_TEXT = {
    '<i class="fa fa-minus"></i>': "−",
    '<i class="fa fa-fast-backward"></i>': "|◀◀",
    '<i class="fa fa-step-backward"></i>': "|◀",
    '<i class="fa fa-play fa-flip-horizontal"></i>': "◀",
    '<i class="fa fa-pause"></i>': "❚❚",
    '<i class="fa fa-play"></i>': "▶",
    '<i class="fa fa-step-forward"></i>': "▶|",
    '<i class="fa fa-fast-forward"></i>': "▶▶|",
    '<i class="fa fa-plus"></i>': "+",
    ">Once</label>": ">한 번</label>",
    ">Loop</label>": ">반복</label>",
    ">Reflect</label>": ">왕복</label>",
}


_ICON_CSS = re.compile(r'<link rel="stylesheet"\s+href="[^"]*font-awesome[^"]*">\s*')


#: Scoped to the twins: matplotlib's own stylesheet fixes the slider at 374 px, wider than
#: a phone's column (358 px at 390 px), and leaves the image at its pixel width.
_RESPONSIVE_CSS = """<style>
.lrbook-scrubber .animation {{ display: block; max-width: 100%; }}
.lrbook-scrubber .animation img {{
  display: block; width: {width}px; max-width: 100%; height: auto; margin: 0 auto;
}}
.lrbook-scrubber input[type=range].anim-slider {{
  display: block; width: 100%; max-width: {width}px; box-sizing: border-box;
}}
.lrbook-scrubber .anim-buttons {{
  display: flex; flex-wrap: wrap; justify-content: center; gap: 2px;
}}
</style>
"""


def _responsive(player: str, alt: str, label: str, width: int) -> str:
    """The player sized to its column, with alt text on the image and a name on the slider."""
    player = player.replace(
        '<img id="_anim_img', f'<img alt="{html.escape(alt, quote=True)}" id="_anim_img', 1
    )
    player = player.replace(
        'type="range" class="anim-slider"',
        f'type="range" class="anim-slider" aria-label="{html.escape(label, quote=True)}"',
        1,
    )
    return _RESPONSIVE_CSS.format(width=width) + player


def _offline(player: str) -> str:
    """The ``to_jshtml`` player without its one network dependency (the icon font)."""
    player = _ICON_CSS.sub("", player)
    for old, new in _PLAYER_TEXT.items():
        player = player.replace(old, new)
    return player


#: Text size of the twins relative to the explorers: a phone shrinks a twin to its
#: column, so its labels start larger.
TEXT_SCALE = 1.35


def _span(values: Sequence[float]) -> str:
    return f"η = {float(values[0]):.4g}부터 {float(values[-1]):.4g}까지"


def _live_caption(call: str, what: str) -> str:
    return (
        f"▶ 재생하거나 슬라이더를 끌어 {what}{_object_particle(what)} 바꿔 보세요. 직접 조작하려면 "
        "페이지 위의 Binder·Colab 버튼으로 노트북을 열고 다음 코드를 실행하세요: "
        f"<code>{call}</code>"
    )


def step_size_scrubber(
    dim: int = 2, lrs: Sequence[float] | None = None, steps: int = 20
) -> Scrubber:
    """Kernel-free twin of ``lw.step_size_explorer``: :class:`~lrbook.live.StepSizeFigure`
    over a log grid of step sizes (default 20 values from 0.01 to 0.25, across 2/λ = 0.2).

    Example:
        >>> s = step_size_scrubber(dim=1, lrs=[0.05, 0.25])
        >>> s.frames, "<script" in s._repr_html_()
        (2, True)
    """
    lrs = np.geomspace(0.01, 0.25, 20) if lrs is None else lrs
    live = StepSizeFigure(dim, lr=float(lrs[0]), steps=steps, text_scale=TEXT_SCALE)
    where = "포물선" if dim == 1 else "2차원 그릇"
    return scrub(
        live,
        "lr",
        [float(v) for v in lrs],
        caption=_live_caption(f"lw.step_size_explorer(dim={dim})", "학습률 η"),
        alt=f"{where} 위 경사 하강법의 경로(왼쪽)와 손실(오른쪽)이 {_span(lrs)} 바뀌는 애니메이션",
        label="학습률 η 고르기",
    )


def optimizer_scrubber(
    landscape: str = "ill_conditioned",
    optimizers: Sequence[str] = ("SGD", "모멘텀", "Adam"),
    lrs: Sequence[float] | None = None,
    **controls: Any,
) -> Scrubber:
    """Kernel-free twin of ``lw.optimizer_explorer``:
    :class:`~lrbook.live.OptimizerRaceFigure` over a log grid of learning rates (default 12
    values from 1e-3 to 0.3: its contour frames are the heaviest of the book).

    Example:
        >>> s = optimizer_scrubber(optimizers=("SGD",), lrs=[0.01, 0.1], steps=20)
        >>> s.frames
        2
    """
    lrs = np.geomspace(1e-3, 0.3, 12) if lrs is None else lrs
    live = OptimizerRaceFigure(
        landscape=landscape,
        optimizers=tuple(optimizers),
        lr=float(lrs[0]),
        text_scale=TEXT_SCALE,
        **controls,
    )
    names = ", ".join(optimizers)
    return scrub(
        live,
        "lr",
        [float(v) for v in lrs],
        caption=_live_caption("lw.optimizer_explorer()", "학습률 η"),
        alt=f"{names}의 경로(왼쪽)와 손실(오른쪽)이 {_span(lrs)} 바뀌는 애니메이션",
        label="학습률 η 고르기",
    )


def schedule_scrubber(
    schedule: str = "warmup_cosine", lrs: Sequence[float] | None = None, **controls: Any
) -> Scrubber:
    """Kernel-free twin of ``lw.schedule_explorer``: :class:`~lrbook.live.ScheduleFigure`
    over a log grid of peak learning rates (default 16 values from 0.01 to 0.3).

    Example:
        >>> schedule_scrubber("constant", lrs=[0.05, 0.3]).frames
        2
    """
    lrs = np.geomspace(0.01, 0.3, 16) if lrs is None else lrs
    live = ScheduleFigure(schedule=schedule, lr=float(lrs[0]), text_scale=TEXT_SCALE, **controls)
    return scrub(
        live,
        "lr",
        [float(v) for v in lrs],
        caption=_live_caption("lw.schedule_explorer()", "최대 학습률 η"),
        alt=f"학습률 스케줄(왼쪽)과 그 학습 손실(오른쪽)이 최대 {_span(lrs)} 바뀌는 애니메이션",
        label="최대 학습률 η 고르기",
    )


def lr_finder_scrubber(betas: Sequence[float] | None = None, **controls: Any) -> Scrubber:
    """Kernel-free twin of ``lw.lr_finder_explorer``: :class:`~lrbook.live.LRFinderFigure` over the
    smoothing factor β (default 16 values from 0 to 0.99).

    Example:
        >>> lr_finder_scrubber(betas=[0.0, 0.98], num_it=40).frames
        2
    """
    betas = np.r_[0.0, 1.0 - np.geomspace(0.5, 0.01, 15)] if betas is None else betas
    live = LRFinderFigure(beta=float(betas[0]), text_scale=TEXT_SCALE, **controls)
    return scrub(
        live,
        "beta",
        [float(v) for v in betas],
        caption=_live_caption("lw.lr_finder_explorer()", "평활 계수 β"),
        alt=(
            "LR 범위 테스트의 손실 곡선과 네 제안(valley, steep, minimum, slide)이 평활 계수 "
            f"β = {betas[0]:g}부터 {betas[-1]:g}까지 바뀌는 애니메이션"
        ),
        label="평활 계수 β 고르기",
    )


def training_scrubber(
    optimizer: str = "Adam", lrs: Sequence[float] | None = None, **options: Any
) -> Scrubber:
    """Kernel-free twin of ``lw.training_explorer``: :class:`~lrbook.live.TrainingFigure` for one
    optimizer over its grid of learning rates (default every grid point, 19 values from
    1e-5 to 10).

    Args:
        optimizer: a key of :data:`lrbook.demos.TRAINING_OPTIMIZERS`.
        lrs: the learning rates of the frames (each shown at its nearest grid point).
        **options: ``grid``, ``epochs``, ``batch_size``, ``width``, ``seed`` of
            :class:`~lrbook.live.TrainingFigure`.

    Returns:
        The scrubber.

    Example:
        >>> training_scrubber("SGD + 모멘텀", lrs=[0.01, 10.0]).frames
        2
    """
    live = TrainingFigure(optimizer=optimizer, text_scale=TEXT_SCALE, **options)
    lrs = live.grid if lrs is None else lrs
    return scrub(
        live,
        "lr",
        [float(v) for v in lrs],
        caption=_live_caption("lw.training_explorer()", "학습률 η"),
        alt=(
            f"옵티마이저 {optimizer}: 학습 손실, 검증 정확도, 학습률 스윕이 {_span(lrs)} "
            "바뀌는 애니메이션"
        ),
        label="학습률 η 고르기",
    )
