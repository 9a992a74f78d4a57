"""Point the book at another repository (a fork): launch buttons, repository button, Colab.

The repository URL lives in ``_config.yml`` (``repository: url:``). The only other copy is
in each notebook's first cell, which installs lrbook from that repository on Colab; this
script rewrites both, and ``tests/test_notebooks.py`` fails if they ever disagree.

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
COLAB_URL = re.compile(r"git\+(https://[^\s\"']+)")


def set_repository(url: str) -> list[Path]:
    """Rewrite the repository URL everywhere; return the files changed."""
    if not re.fullmatch(r"https://\S+", url):
        raise ValueError(f"url must be an https URL, got {url=}")
    url = url.rstrip("/").removesuffix(".git")
    changed = []
    config = ROOT / "_config.yml"
    text, n = CONFIG_URL.subn(lambda m: m.group(1) + url, config.read_text(encoding="utf-8"))
    if n != 1:
        raise RuntimeError("could not find 'repository: url:' in _config.yml")
    config.write_text(text, encoding="utf-8")
    changed.append(config)
    for path in sorted((ROOT / "book").glob("*.ipynb")):
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
