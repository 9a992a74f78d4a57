"""Every chapter page in a real browser, at phone and laptop sizes.

Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright; Playwright's own browser
download is not used) opens the pages of the book built by tests/book_build.py from a
local HTTP server. MathJax's CDN address is answered from a local copy of npm's
``mathjax@3``, and every other outside request is refused, so the test needs no network.

Where the browser comes from:
- ``CHROMIUM``: the browser executable (default ``/usr/bin/chromium``);
- ``MATHJAX_DIR``: the ``mathjax`` package folder (default ``node_modules/mathjax`` in the
  repository, where ``npm install --prefix . --no-save mathjax@3`` puts it; .ci/run does that).

Without chromium the test is skipped, except when ``CI`` is set: there it fails instead
of silently skipping the browser checks. With chromium present, a missing MathJax copy
fails the test with the command that installs it.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

from tests.book_build import ROOT, build_book

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
MATHJAX_DIR = Path(os.environ.get("MATHJAX_DIR", ROOT / "node_modules" / "mathjax"))
MATHJAX_CDN = "https://cdn.jsdelivr.net/npm/mathjax@3/"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "laptop": {"viewport": {"width": 1366, "height": 768}},
}
CHAPTERS = sorted(p.stem for p in ROOT.glob("book/[0-9][0-9]_*.ipynb"))

# Elements of each kernel-free animation that stick out of the area that shows it: the
# article column, or a narrower ancestor that clips or scrolls its content.
OVERFLOWING_ANIMATION_PARTS = """() => {
  const out = [];
  document.querySelectorAll("article .animation").forEach((anim, index) => {
    let left = -Infinity, right = Infinity;
    for (let el = anim.parentElement; el; el = el.parentElement) {
      const style = getComputedStyle(el);
      if (style.overflowX !== "visible" || el.matches(".bd-article")) {
        const box = el.getBoundingClientRect();
        left = Math.max(left, box.left + el.clientLeft);
        right = Math.min(right, box.left + el.clientLeft + el.clientWidth);
      }
      if (el.matches(".bd-article")) break;
    }
    for (const part of [anim, ...anim.querySelectorAll("img, input, button, select")]) {
      const box = part.getBoundingClientRect();
      if (box.width > 0 && (box.left < left - 1 || box.right > right + 1)) {
        out.push(`animation ${index + 1}: ${part.tagName.toLowerCase()} spans ` +
                 `${box.left.toFixed(0)}-${box.right.toFixed(0)} px in ` +
                 `${left.toFixed(0)}-${right.toFixed(0)} px`);
      }
    }
  });
  return out;
}"""

BROKEN_IMAGES = """() => [...document.querySelectorAll("article img")]
  .filter((img) => !img.complete || img.naturalWidth === 0)
  .map((img) => img.id || img.getAttribute("src").slice(0, 80))"""

VISIBLE = """(selector) => [...document.querySelectorAll(selector)].some((el) => {
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  return box.width > 0 && box.height > 0 && style.visibility !== "hidden"
    && box.right > 0 && box.left < window.innerWidth;
})"""

RAW_MATH = """() => {
  const text = document.querySelector("article").innerText;
  return ["$$", "\\\\[", "\\\\(", "\\\\begin{"].filter((mark) => text.includes(mark));
}"""

# Text of the selected elements with less than 4.5:1 contrast (WCAG AA) against the
# background painted under them (translucent layers composed over the page colour).
LOW_CONTRAST = """(selector) => {
  const rgba = (css) => {
    const v = css.match(/[\\d.]+/g).map(Number);
    return v.length < 4 ? [...v, 1] : v;
  };
  const linear = (v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const luminance = ([r, g, b]) => 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  const background = (el) => {
    const layers = [];
    for (; el; el = el.parentElement) {
      const c = rgba(getComputedStyle(el).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let color = document.documentElement.dataset.theme === "dark" ? [18, 18, 18] : [255, 255, 255];
    for (const [r, g, b, a] of layers.reverse()) {
      color = [r * a + color[0] * (1 - a), g * a + color[1] * (1 - a), b * a + color[2] * (1 - a)];
    }
    return color;
  };
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!el.getClientRects().length) continue;
    const fg = luminance(rgba(getComputedStyle(el).color)), bg = luminance(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    if (ratio < 4.5) out.push(`${el.textContent.trim().slice(0, 30)}: ${ratio.toFixed(2)}:1`);
  }
  return out;
}"""
CONTRAST_CHECKED = "div.exercise a, div.solution a, .lrbook-scrubber-caption code"


def no_chromium(reason: str):
    """Skip on a developer machine without chromium; fail in CI."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: the browser test must run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        no_chromium(f"no chromium at {CHROMIUM}")
    # With a browser at hand the test runs: the rest is installed with the repository.
    from playwright.sync_api import sync_playwright

    if not (MATHJAX_DIR / "es5" / "tex-mml-chtml.js").is_file():
        pytest.fail(
            f"no MathJax 3 at {MATHJAX_DIR}: run `npm install --prefix . --no-save mathjax@3` "
            "in the repository, or set MATHJAX_DIR to the mathjax package folder"
        )
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@pytest.fixture(scope="module")
def site(browser):
    book = build_book()
    assert book.html.is_dir(), book.log[-4000:]
    handler = functools.partial(QuietHandler, directory=str(book.html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def answer_offline(site: str, refused: list[str]):
    """Serve MathJax's CDN from the local copy, the book from the server, refuse the rest."""

    def route(request_route):
        url = request_route.request.url
        if url.startswith(site):
            request_route.continue_()
        elif url.startswith(MATHJAX_CDN):
            path = MATHJAX_DIR / url[len(MATHJAX_CDN) :].split("?")[0]
            if path.is_file():
                request_route.fulfill(path=str(path))
            else:
                refused.append(url)
                request_route.fulfill(status=404)
        else:
            refused.append(url)
            request_route.abort()

    return route


@pytest.mark.book
@pytest.mark.parametrize("chapter", CHAPTERS)
@pytest.mark.parametrize("device", VIEWPORTS)
def test_chapter_page_works_in_the_browser(browser, site, chapter, device):
    context = browser.new_context(**VIEWPORTS[device])
    errors: list[str] = []
    refused: list[str] = []
    context.route("**/*", answer_offline(site, refused))
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    page.on(
        "console",
        lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None,
    )
    problems: dict[str, object] = {}
    try:
        page.goto(f"{site}book/{chapter}.html", wait_until="load")
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        page.evaluate("() => MathJax.startup.promise")

        if not page.evaluate("() => document.querySelectorAll('article mjx-container').length"):
            problems["math not typeset"] = "no mjx-container"
        if raw := page.evaluate(RAW_MATH):
            problems["raw TeX in the text"] = raw
        if broken := page.evaluate(BROKEN_IMAGES):
            problems["images not loaded"] = broken
        scroll_width, inner_width = page.evaluate(
            "() => [document.scrollingElement.scrollWidth, window.innerWidth]"
        )
        if scroll_width > inner_width:
            problems["page scrolls sideways"] = f"{scroll_width} px in a {inner_width} px window"
        if overflow := page.evaluate(OVERFLOWING_ANIMATION_PARTS):
            problems["animation wider than its column"] = overflow

        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.wait_for_function(f"() => document.documentElement.dataset.theme === '{scheme}'")
            if low := page.evaluate(LOW_CONTRAST, CONTRAST_CHECKED):
                problems[f"low contrast ({scheme})"] = low

        problems.update(check_sidebar_button(page))
        problems.update(check_page_toc_button(page))
    finally:
        context.close()
    if errors:
        problems["JavaScript errors"] = errors
    if refused:
        problems["requests to the network"] = refused
    assert not problems, f"{chapter} on a {device}: {problems}"


def check_sidebar_button(page) -> dict[str, str]:
    """The visible ☰ button shows the book's table of contents, or hides it on a laptop."""
    toc = "nav.bd-docs-nav"
    button = page.locator(".primary-toggle:visible").first
    if not button.count():
        return {"sidebar button": "no visible ☰ button"}
    shown = page.evaluate(VISIBLE, toc)
    button.click()
    page.wait_for_timeout(300)
    if page.evaluate(VISIBLE, toc) == shown:
        return {"sidebar button": f"table of contents {'still' if shown else 'not'} shown"}
    if shown:  # a laptop: the sidebar collapsed; the same button brings it back
        button.click()
        page.wait_for_timeout(300)
        if not page.evaluate(VISIBLE, toc):
            return {"sidebar button": "table of contents does not come back"}
    else:
        page.keyboard.press("Escape")
        page.wait_for_timeout(200)
    return {}


def check_page_toc_button(page) -> dict[str, str]:
    """Where the page's own contents are behind a button, the button shows them."""
    button = page.locator(".secondary-toggle:visible").first
    toc = "#pst-page-toc-nav"
    if not button.count() or page.evaluate(VISIBLE, toc):
        return {}
    button.click()
    page.wait_for_timeout(300)
    if not page.evaluate(VISIBLE, toc):
        return {"page contents button": "the page's contents do not open"}
    page.keyboard.press("Escape")
    return {}
