"""Point the book at another repository (a fork): launch buttons, repository button, Colab.

The repository URL lives in ``_config.yml`` (``repository: url:``). Three things follow it:
each notebook's first cell, which installs lrbook from that repository on Colab; and the
address of the published book (``html_baseurl`` and ``ogp_site_url``, the repository's
GitHub Pages site), which the sitemap and the Open Graph tags use. This script rewrites
all of them, and ``tests/test_notebooks.py`` fails if they ever disagree.

Usage:
    python tools/set_repository.py https://github.com/<you>/<fork>
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
CONFIG_URL = re.compile(r"(?m)^(repository:\s*\n\s+url:\s*)(\S+)")
SITE_URL = re.compile(r"(?m)^(\s+(?:html_baseurl|ogp_site_url):\s*)(\S+)")
COLAB_URL = re.compile(r"git\+(https://[^\s\"']+)")


def pages_url(url: str) -> str:
    """The GitHub Pages address of a GitHub repository (``https://<owner>.github.io/<repo>/``)."""
    m = re.fullmatch(r"https://github\.com/([^/]+)/([^/]+)", url)
    if not m:
        raise ValueError(f"url must be a GitHub repository URL, got {url=}")
    owner, repo = m.groups()
    if repo.lower() == f"{owner.lower()}.github.io":
        return f"https://{owner.lower()}.github.io/"
    return f"https://{owner.lower()}.github.io/{repo}/"


def set_repository(url: str, root: Path = ROOT) -> list[Path]:
    """Rewrite the repository URL everywhere; return the files changed."""
    if not re.fullmatch(r"https://\S+", url):
        raise ValueError(f"url must be an https URL, got {url=}")
    url = url.rstrip("/").removesuffix(".git")
    site = pages_url(url)
    changed = []
    config = root / "_config.yml"
    text, n = CONFIG_URL.subn(lambda m: m.group(1) + url, config.read_text(encoding="utf-8"))
    if n != 1:
        raise RuntimeError("could not find 'repository: url:' in _config.yml")
    text, n = SITE_URL.subn(lambda m: m.group(1) + site, text)
    if n != 2:
        raise RuntimeError("could not find html_baseurl and ogp_site_url in _config.yml")
    config.write_text(text, encoding="utf-8")
    changed.append(config)
    for path in sorted((root / "book").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        first = next(c for c in nb.cells if c.cell_type == "code")
        new = COLAB_URL.sub(f"git+{url}", first.source)
        if new != first.source:
            first.source = new
            nbformat.write(nb, path)
            changed.append(path)
    return changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    for path in set_repository(parser.parse_args().url):
        print(f"updated {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
