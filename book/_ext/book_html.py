"""HTML clean-up for the book's pages, applied as each page is written.

- A script registered twice is written once. Under Jupyter Book the inline settings of
  sphinx-thebe and sphinx-togglebutton reach every page twice, and the second
  ``const THEBE_JS_URL`` is a JavaScript error ("already been declared").
- The ipywidgets state that execution stores in a notebook is not written into its page:
  the pages load no widget JavaScript (``nb_ipywidgets_js`` is empty), and the state of
  the live explorers weighs 80-190 KB per chapter.
"""

from __future__ import annotations

from typing import Any

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def script_key(script: Any) -> tuple:
    """What the page gets from a script entry: its file and tag attributes, not its priority."""
    attributes = getattr(script, "attributes", {})
    # An inline script is registered with filename None by some extensions, "" by others.
    filename = getattr(script, "filename", script) or ""
    return (str(filename), tuple(sorted((k, str(v)) for k, v in attributes.items())))


def clean_scripts(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen = set()
    kept = []
    for script in scripts:
        key = script_key(script)
        if key in seen or getattr(script, "attributes", {}).get("type") == WIDGET_STATE:
            continue
        seen.add(key)
        kept.append(script)
    scripts[:] = kept


def setup(app) -> dict:
    # After every extension that adds per-page scripts (MyST-NB uses the default 500).
    app.connect("html-page-context", clean_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
