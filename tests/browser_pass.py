"""Every chapter page of a built book in a real browser, at phone and laptop sizes.

Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright; Playwright's own browser
download is not used) opens the pages from a local HTTP server. MathJax's CDN address is
answered from a local copy of npm's ``mathjax@3``, and every other outside request is
refused, so the check needs no network. For each page it records what a reader would
meet: JavaScript errors, images that did not load, TeX left untypeset, a page that
scrolls sideways, an animation wider than its column, low-contrast text in light and
dark mode, and ☰ / "이 페이지" buttons that do nothing (or whose effect does not last).
The two sizes run side by side, each in a process with its own chromium, and the next
chapter loads while one is checked. A page built with one of each fault
(``BROKEN_PAGE``) is checked too, so the report shows that the checks can fail.

tests/parallel_build.py runs this pass right after the book is built, while the unit
tests still run, and tests/test_browser.py asserts on its report. It also works on any
build you already have::

    python tests/browser_pass.py _build/html report.json

Where the browser comes from:
- ``CHROMIUM``: the browser executable (default ``/usr/bin/chromium``);
- ``MATHJAX_DIR``: the ``mathjax`` package folder (default ``node_modules/mathjax`` in the
  repository, where ``npm install --prefix . --no-save mathjax@3`` puts it; .ci/run does that).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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
WAIT_MS = 30_000  # for a page to load and typeset (Playwright's default)
SETTLE_MS = 300  # how long a state a button produced must last

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


def page_key(device: str, chapter: str) -> str:
    """The report's name for one page at one size: ``phone-01_step_size``."""
    return f"{device}-{chapter}"


def unavailable() -> str | None:
    """Why the browser cannot run here (no chromium, or no MathJax copy), or None."""
    if not CHROMIUM.is_file():
        return f"no chromium at {CHROMIUM}"
    if not (MATHJAX_DIR / "es5" / "tex-mml-chtml.js").is_file():
        return (
            f"no MathJax 3 at {MATHJAX_DIR}: run `npm install --prefix . --no-save mathjax@3` "
            "in the repository, or set MATHJAX_DIR to the mathjax package folder"
        )
    return None


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


def answer_offline(site: str, refused: list[str], extra: dict[str, str]):
    """Serve MathJax's CDN from the local copy, the book from the server, the pages in
    ``extra`` (address -> HTML) from memory, and refuse the rest."""

    def route(request_route):
        url = request_route.request.url
        if url in extra:
            request_route.fulfill(body=extra[url], content_type="text/html; charset=utf-8")
        elif url.startswith(site):
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


class OpenPage:
    """A page loading in its own browser context, with what goes wrong recorded.

    Everything that goes wrong with one page (a load that fails, a timeout, a crash) is a
    finding about that page; it never stops the pass over the others.
    """

    def __init__(self, browser, url: str, device: str, site: str, extra=None) -> None:
        from playwright.sync_api import Error as PlaywrightError

        self.found: dict[str, object] = {}
        self.errors: list[str] = []
        self.refused: list[str] = []
        self.context = browser.new_context(**VIEWPORTS[device])
        self.context.route("**/*", answer_offline(site, self.refused, extra or {}))
        self.page = self.context.new_page()
        self.page.set_default_timeout(WAIT_MS)
        self.page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))
        self.page.on(
            "console",
            lambda msg: self.errors.append(f"console: {msg.text}") if msg.type == "error" else None,
        )
        # Only start the navigation, so that the caller can open other pages too and the
        # renderers lay out, decode and typeset at the same time.
        try:
            response = self.page.goto(url, wait_until="commit")
        except PlaywrightError as exc:
            self.found["browser"] = first_lines(exc)
        else:
            if response is not None and response.status >= 400:
                self.found["page missing"] = f"HTTP {response.status} for {url}"

    def problems(self) -> dict[str, object]:
        """Everything wrong with the page once it has loaded; closes it."""
        from playwright.sync_api import Error as PlaywrightError

        try:
            if not self.found:
                self._check()
        except PlaywrightError as exc:  # a timeout or a crashed page is a finding too
            self.found["browser"] = first_lines(exc)
        finally:
            try:
                self.context.close()
            except PlaywrightError as exc:
                self.found["closing the page"] = first_lines(exc)
        if self.errors:
            self.found["JavaScript errors"] = self.errors
        if self.refused:
            self.found["requests to the network"] = self.refused
        return self.found

    def _check(self) -> None:
        page, found = self.page, self.found
        page.wait_for_load_state("load")
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        page.evaluate("() => MathJax.startup.promise")

        if not page.evaluate("() => document.querySelectorAll('article mjx-container').length"):
            found["math not typeset"] = "no mjx-container"
        if raw := page.evaluate(RAW_MATH):
            found["raw TeX in the text"] = raw
        if broken := page.evaluate(BROKEN_IMAGES):
            found["images not loaded"] = broken
        scroll_width, inner_width = page.evaluate(
            "() => [document.scrollingElement.scrollWidth, window.innerWidth]"
        )
        if scroll_width > inner_width:
            found["page scrolls sideways"] = f"{scroll_width} px in a {inner_width} px window"
        if overflow := page.evaluate(OVERFLOWING_ANIMATION_PARTS):
            found["animation wider than its column"] = overflow

        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.wait_for_function(f"() => document.documentElement.dataset.theme === '{scheme}'")
            if low := page.evaluate(LOW_CONTRAST, CONTRAST_CHECKED):
                found[f"low contrast ({scheme})"] = low

        found.update(check_sidebar_button(page))
        found.update(check_page_toc_button(page))


def first_lines(exc: Exception, n: int = 3) -> str:
    """The head of a Playwright error (its call log follows and can run long)."""
    return " | ".join(str(exc).strip().splitlines()[:n])


def becomes_visible(page, selector: str, visible: bool) -> bool:
    """Whether, after an action, some element matching ``selector`` becomes visible (or
    none stays visible) within 2 s and is still so ``SETTLE_MS`` later: a menu that opens
    and closes again by itself fails."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            f"([selector, visible]) => ({VISIBLE})(selector) === visible",
            arg=[selector, visible],
            timeout=2000,
        )
    except PlaywrightTimeout:
        return False
    page.wait_for_timeout(SETTLE_MS)
    return page.evaluate(VISIBLE, selector) == visible


def check_sidebar_button(page) -> dict[str, str]:
    """The visible ☰ button shows the book's table of contents, or hides it on a laptop;
    on a phone, Escape closes it again."""
    toc = "nav.bd-docs-nav"
    button = page.locator(".primary-toggle:visible").first
    if not button.count():
        return {"sidebar button": "no visible ☰ button"}
    shown = page.evaluate(VISIBLE, toc)
    button.click()
    if not becomes_visible(page, toc, not shown):
        return {"sidebar button": f"table of contents {'still' if shown else 'not'} shown"}
    if shown:  # a laptop: the sidebar collapsed; the same button brings it back
        button.click()
        if not becomes_visible(page, toc, True):
            return {"sidebar button": "table of contents does not come back"}
    else:
        page.keyboard.press("Escape")
        if not becomes_visible(page, toc, False):
            return {"sidebar button": "Escape does not close the table of contents"}
    return {}


def check_page_toc_button(page) -> dict[str, str]:
    """Where the page's own contents are behind a button, the button shows them."""
    button = page.locator(".secondary-toggle:visible").first
    toc = "#pst-page-toc-nav"
    if not button.count() or page.evaluate(VISIBLE, toc):
        return {}
    button.click()
    if not becomes_visible(page, toc, True):
        return {"page contents button": "the page's contents do not open"}
    return {}


# A page with one fault for each check but "math not typeset" (the page typesets its
# formula; a page without MathJax would only time out), checked at laptop size alongside
# the chapters so that the report shows those checks can fail: tests/test_browser.py
# asserts that each fault in BROKEN_PAGE_FAULTS is found. The ☰ and "이 페이지" buttons are
# there and visible but do nothing, so the button checks fail on what the buttons do.
ONE_PIXEL_PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)
BROKEN_PAGE = f"""<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<script defer src="{MATHJAX_CDN}es5/tex-mml-chtml.js"></script>
<script>
  const dark = matchMedia("(prefers-color-scheme: dark)");
  const follow = () => (document.documentElement.dataset.theme = dark.matches ? "dark" : "light");
  follow();
  dark.addEventListener("change", follow);
</script>
<style>html[data-theme="dark"] body {{ background: rgb(18, 18, 18); color: #eee; }}</style>
</head>
<body>
<button class="primary-toggle">☰</button><button class="secondary-toggle">이 페이지</button>
<nav class="bd-docs-nav" style="display: none">차례</nav>
<nav id="pst-page-toc-nav" style="display: none">이 페이지의 차례</nav>
<article class="bd-article">
<p>typeset: \\(x^2\\), left as TeX: <code>\\begin{{aligned}}</code></p>
<img src="missing.png" alt="missing">
<img src="https://example.com/outside.png" alt="outside">
<div style="width: 2000px">wide</div>
<div class="animation"><img alt="frame" style="width: 3000px; height: 10px"
  src="data:image/png;base64,{ONE_PIXEL_PNG}"></div>
<div class="exercise"><a href="#" style="color: #ddd">pale link</a></div>
<div class="solution"><a href="#" style="color: #333">dark link</a></div>
<script>undefinedFunction();</script>
</article></body></html>"""
BROKEN_PAGE_FAULTS = (
    "raw TeX in the text",
    "images not loaded",
    "page scrolls sideways",
    "animation wider than its column",
    "low contrast (light)",
    "low contrast (dark)",
    "sidebar button",
    "page contents button",
    "JavaScript errors",
    "requests to the network",
)


def check_device(html: Path, device: str) -> dict[str, dict[str, object]]:
    """Problems of every chapter page at one size (and at laptop size, of ``BROKEN_PAGE``
    under ``broken-page``), keyed by :func:`page_key`. One browser of its own."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(QuietHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_address[1]}/"
    report: dict[str, dict[str, object]] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            if device == "laptop":  # the laptop checks are the shorter: this evens them out
                broken = f"{site}__broken__.html"
                page = OpenPage(browser, broken, device, site, extra={broken: BROKEN_PAGE})
                report["broken-page"] = page.problems()

            # The next chapter loads while this one is checked (the checks mostly wait on
            # the buttons), so the browser has work during those waits.
            def open_chapter(name: str) -> OpenPage:
                return OpenPage(browser, f"{site}book/{name}.html", device, site)

            following = [open_chapter(CHAPTERS[0])] if CHAPTERS else []
            for index, chapter in enumerate(CHAPTERS):
                page = following.pop()
                if index + 1 < len(CHAPTERS):
                    following.append(open_chapter(CHAPTERS[index + 1]))
                report[page_key(device, chapter)] = page.problems()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return report


def check_site(html: Path) -> dict[str, dict[str, object]]:
    """:func:`check_device` for each size, the sizes in two processes side by side."""
    report: dict[str, dict[str, object]] = {}
    with ProcessPoolExecutor(max_workers=len(VIEWPORTS)) as pool:
        for part in pool.map(check_device, [html] * len(VIEWPORTS), VIEWPORTS):
            report.update(part)
    return report


def main(html: Path, out: Path) -> int:
    reason = unavailable()
    if reason is None:
        result = {"pages": check_site(html)}
    else:
        result = {"unavailable": reason}
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
