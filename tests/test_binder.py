"""Binder's environment renders the chapters' MyST in JupyterLab (checked in a real browser).

Binder builds its image from ``binder/``: the reader's packages, JupyterLab and
jupyterlab-myst. These tests start JupyterLab from a virtual environment made the same way
and open chapters in headless Chromium (playwright): tips and exercises must be rendered,
every solution collapsed until clicked, every labelled equation numbered and every ``{eq}``
reference showing its equation's number.

They need that environment, so they run only when ``LRBOOK_BINDER_VENV`` names it
(the publishing workflow's ``binder`` job does this)::

    python3 -m venv /tmp/binder-venv
    /tmp/binder-venv/bin/pip install -r binder/requirements.txt
    LRBOOK_BINDER_VENV=/tmp/binder-venv python -m pytest tests/test_binder.py

``LRBOOK_CHROMIUM`` may name a Chromium executable (default: playwright's own), and
``LRBOOK_SCREENSHOTS`` a folder for one screenshot per chapter.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VENV = os.environ.get("LRBOOK_BINDER_VENV")
CHAPTERS = ["01_step_size", "03_adaptive", "06_practice"]

pytestmark = pytest.mark.skipif(
    not VENV, reason="set LRBOOK_BINDER_VENV to a venv made from binder/requirements.txt"
)


def markdown_of(chapter: str) -> str:
    nb = json.loads((ROOT / "book" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_environment_has_a_compatible_jupyterlab_myst_and_no_book_toolchain():
    bin_dir = Path(VENV) / "bin"
    listing = subprocess.run(
        [str(bin_dir / "jupyter"), "labextension", "list"],
        capture_output=True,
        text=True,
        check=True,
    )
    text = re.sub(r"\x1b\[[0-9;]*m", "", listing.stdout + listing.stderr)
    line = next(ln for ln in text.splitlines() if "jupyterlab-myst" in ln)
    assert re.search(r"enabled\s+OK", line), text
    assert "incompatible" not in text.lower() and "X" not in line.split()
    probe = (
        "import importlib.util as u; print([m for m in ('jupyter_book', 'sphinx')"
        " if u.find_spec(m)])"
    )
    found = subprocess.run(
        [str(bin_dir / "python"), "-c", probe], capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "[]", "Binder readers do not build the book"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server from the Binder environment, serving the repository."""
    settings = tmp_path_factory.mktemp("lab-settings")
    # Render every cell at once (JupyterLab 4 renders only the cells on screen by default).
    tracker = settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text(json.dumps({"windowingMode": "none"}), encoding="utf-8")
    # Never write the opened notebooks back into the repository.
    docmanager = settings / "@jupyterlab" / "docmanager-extension" / "plugin.jupyterlab-settings"
    docmanager.parent.mkdir(parents=True)
    docmanager.write_text(json.dumps({"autosave": False}), encoding="utf-8")
    port, token = free_port(), secrets.token_hex(16)
    server = subprocess.Popen(
        [
            str(Path(VENV) / "bin" / "jupyter"),
            "lab",
            "--no-browser",
            "--allow-root",
            f"--port={port}",
            f"--ServerApp.token={token}",
            f"--ServerApp.root_dir={ROOT}",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={tmp_path_factory.mktemp('lab-workspaces')}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start")
        yield base, token
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=os.environ.get("LRBOOK_CHROMIUM") or None,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


READ_PAGE = """() => {
  const text = (el) => el.textContent.replace(/\\s+/g, ' ').trim();
  // false inside a closed <details> (display: none or content-visibility: hidden)
  const seen = (el) => el.checkVisibility() && el.offsetHeight > 0;
  const eqs = {};
  for (const el of document.querySelectorAll('.jp-MarkdownCell div[id^="eq-"]')) {
    const num = el.querySelector('.select-none.text-right');
    eqs[el.id] = num ? text(num) : null;
  }
  const refs = [...document.querySelectorAll('.jp-MarkdownCell a[href^="#eq-"]')]
    .map((a) => [a.getAttribute('href').slice(1), text(a)]);
  return {
    tips: [...document.querySelectorAll('aside.myst-admonition-tip')].map(text),
    exercises: [...document.querySelectorAll('aside.myst-exercise')]
      .map((a) => [a.id, text(a.querySelector('.myst-exercise-title'))]),
    solutions: [...document.querySelectorAll('details.myst-exercise')].map((d) => ({
      open: d.open,
      title: text(d.querySelector('summary')),
      bodyShown: seen(d.querySelector('.myst-exercise-body')),
    })),
    eqs,
    refs,
    markdown: [...document.querySelectorAll('.jp-MarkdownCell .jp-RenderedMarkdown')]
      .map(text).join('\\n'),
  };
}"""


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_jupyterlab_renders_tips_exercises_collapsed_solutions_and_equation_numbers(
    lab, browser, chapter
):
    base, token = lab
    source = markdown_of(chapter)
    n_tips = source.count("```{tip}")
    exercise_labels = re.findall(r"````\{exercise\}[^\n]*\n:label: (\S+)", source)
    n_solutions = source.count("````{solution}")
    eq_labels = re.findall(r"\$\$\s*\(([^)\s]+)\)", source)
    assert n_tips and exercise_labels and n_solutions and eq_labels

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    # a workspace of its own, so no tab restored from an earlier page covers this one
    page.goto(f"{base}/lab/workspaces/{chapter}/tree/book/{chapter}.ipynb?reset&token={token}")
    page.wait_for_selector("details.myst-exercise", timeout=120_000)
    page.wait_for_function(
        f"document.querySelectorAll('details.myst-exercise').length >= {n_solutions}",
        timeout=60_000,
    )
    seen = page.evaluate(READ_PAGE)

    assert len(seen["tips"]) == n_tips
    assert all(len(tip) > 40 for tip in seen["tips"]), seen["tips"]
    assert [label for label, _ in seen["exercises"]] == exercise_labels
    assert all(title.startswith("Exercise") for _, title in seen["exercises"])
    assert len(seen["solutions"]) == n_solutions
    for solution in seen["solutions"]:
        assert solution["title"].startswith("Solution to Exercise")
        assert not solution["open"] and not solution["bodyShown"], solution
    # equations: every labelled one is numbered, in order, and each {eq} shows that number
    numbers = [seen["eqs"].get(label) for label in eq_labels]
    assert all(n and re.fullmatch(r"\(\d+\)", n) for n in numbers), numbers
    values = [int(n.strip("()")) for n in numbers]
    assert values == sorted(values) and len(set(values)) == len(values)
    assert seen["refs"], "no {eq} reference rendered"
    for label, shown in seen["refs"]:
        assert shown == seen["eqs"][label], (label, shown)
    for raw in ("```{", ":class: dropdown", "{numref}", "{eq}", ":label:"):
        assert raw not in seen["markdown"], f"raw MyST {raw!r} shown"

    if os.environ.get("LRBOOK_SCREENSHOTS"):
        shots = Path(os.environ["LRBOOK_SCREENSHOTS"])
        shots.mkdir(parents=True, exist_ok=True)
        page.locator("aside.myst-admonition-tip").first.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / f"{chapter}-tip.png"))
        page.locator("details.myst-exercise").first.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / f"{chapter}-solution.png"))
    # a click opens a solution: the collapsed state above is the dropdown, not a missing body
    page.locator("details.myst-exercise summary").first.click()
    assert page.locator("details.myst-exercise .myst-exercise-body").first.is_visible()
    page.close()
