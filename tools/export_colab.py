"""Plain-Jupyter copies of the chapters for Colab, and the Colab button that opens them.

Placeholder for the exporter; the Sphinx hook below is complete.
"""

from __future__ import annotations

import re

COLAB_BRANCH = "colab"


def _point_colab_button(app, pagename, templatename, context, doctree) -> None:
    """Send the theme's Colab launch button to the export on the ``colab`` branch."""
    for group in context.get("header_buttons", []):
        if group.get("label") != "launch-buttons":
            continue
        for button in group["buttons"]:
            if button.get("text") == "Colab":
                button["url"] = re.sub(
                    r"/blob/[^/]+/", f"/blob/{COLAB_BRANCH}/", button["url"], count=1
                )


def setup(app):
    # after sphinx-book-theme's own html-page-context handler has added the buttons
    app.connect("html-page-context", _point_colab_button, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
