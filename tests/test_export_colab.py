"""The Colab exports (tools/export_colab.py) are plain Jupyter that reads like the book.

A small made-up book pins down the conversion exactly (numbers, citations, directives,
captions, hidden code); the real chapters are then checked for leftover MyST syntax and
structure, and one exported chapter is executed.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import nbformat
import pytest
import yaml
from nbclient import NotebookClient

from tools.export_colab import (
    COLAB_BRANCH,
    _point_colab_button,
    export_book,
    load_book,
    resolve_roles,
)

ROOT = Path(__file__).resolve().parents[1]
COLAB = "https://colab.research.google.com/github"
CHECKED = "nbval-check-output"  # cell tag of the cells whose output nbval compares
# MyST that plain Jupyter would show as raw text
MYST = {
    "role": re.compile(r"\{[\w:-]+\}`"),
    "directive fence": re.compile(r"^(`{3,}|:{3,})\s*\{", re.M),
    "colon fence": re.compile(r"^:::", re.M),
    "target": re.compile(r"^\([^)\s]+\)=\s*$", re.M),
    "directive option": re.compile(r"^:(class|label|header-rows|widths|name):", re.M),
    "labelled math": re.compile(r"\$\$\s*\([\w-]+\)"),
}

BIB = r"""
@article{dollar2020one,
  author = {Doll{\'a}r, Piotr},
  title = {One Author},
  journal = {Journal A},
  year = {2020}
}
@inproceedings{kim2019two,
  author = {Kim, Minji and Park, Jisoo},
  title = {Two Authors},
  booktitle = {Conference B},
  year = {2019}
}
@book{lee2018three,
  author = {Lee, Ana and Choi, Bo and Jung, Chan},
  title = {Three Authors},
  publisher = {Press C},
  year = {2018}
}
"""

CHAPTER_1 = [
    ("code", ["remove-cell"], {}, 'pip("lrbook @ git+https://github.com/kim/fork")'),
    (
        "markdown",
        [],
        {},
        """\
        # 첫 장

        (sec-first)=
        ## 절

        $$
        x = 1
        $$ (eq-a)

        $$
        y
        $$

        $$
        z = 2
        $$ (eq-b)

        {eq}`eq-b`, {numref}`fig-a2`, {cite}`dollar2020one,kim2019two`, {cite:p}`lee2018three`.""",
    ),
    (
        "code",
        ["hide-input"],
        {"figure": {"caption": "첫 그림, {eq}`eq-a`.", "name": "fig-a1"}},
        "plot(1)",
    ),
    ("code", ["nbval-check-output"], {}, "print(1)"),
    ("code", [], {"figure": {"caption": "둘째 그림.", "name": "fig-a2"}}, "plot(2)"),
    (
        "markdown",
        [],
        {},
        """\
        ```{tip}
        눌러 보세요.
        ```

        ```{list-table}
        :header-rows: 1

        * - 이름
          - 값
        * - $|x|$
          - 두 줄로
            이어지는 칸
        ```

        ````{exercise}
        :label: ex-a1

        풀어 보세요.
        ````

        ````{solution} ex-a1
        :class: dropdown

        ```python
        print(2)
        ```
        ````""",
    ),
]

CHAPTER_2 = [
    ("code", ["remove-cell"], {}, 'pip("lrbook @ git+https://github.com/kim/fork")'),
    (
        "markdown",
        [],
        {},
        """\
        # 둘째 장

        {doc}`앞 장 <01_a>`과 {doc}`용어집 <glossary>`, {numref}`fig-a1`, {ref}`ex-b1`.

        $$
        w
        $$ (eq-c)

        ````{exercise}
        :label: ex-b1

        {eq}`eq-c`를 보세요.
        ````""",
    ),
]


def write_notebook(path: Path, cells) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    for kind, tags, mystnb, text in cells:
        text = textwrap.dedent(text)
        if kind == "markdown":
            cell = nbformat.v4.new_markdown_cell(text)
        else:
            cell = nbformat.v4.new_code_cell(text)
            if text.startswith("# NBVAL"):
                cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
        if tags:
            cell.metadata["tags"] = tags
        if mystnb:
            cell.metadata["mystnb"] = mystnb
        nb.cells.append(cell)
    nbformat.write(nb, path)


@pytest.fixture
def small_book(tmp_path):
    (tmp_path / "book").mkdir()
    config = {
        "repository": {"url": "https://github.com/kim/fork"},
        "bibtex_bibfiles": ["book/refs.bib"],
        "sphinx": {
            "config": {
                "html_baseurl": "https://kim.github.io/fork/",
                "math_eqref_format": "식 ({number})",
                "numfig_format": {"figure": "그림 %s"},
            }
        },
    }
    toc = {
        "format": "jb-book",
        "root": "book/intro",
        "parts": [
            {
                "caption": "본문",
                "numbered": True,
                "chapters": [{"file": "book/01_a"}, {"file": "book/02_b"}],
            },
            {"caption": "부록", "chapters": [{"file": "book/glossary"}]},
        ],
    }
    (tmp_path / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (tmp_path / "_toc.yml").write_text(yaml.safe_dump(toc), encoding="utf-8")
    (tmp_path / "book" / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "book" / "glossary.md").write_text("# 용어집\n", encoding="utf-8")
    write_notebook(tmp_path / "book" / "01_a.ipynb", CHAPTER_1)
    write_notebook(tmp_path / "book" / "02_b.ipynb", CHAPTER_2)
    written = export_book(tmp_path / "out", root=tmp_path)
    assert [p.relative_to(tmp_path / "out").as_posix() for p in written] == [
        "book/01_a.ipynb",
        "book/02_b.ipynb",
    ]
    return [nbformat.read(p, as_version=4) for p in written]


def test_roles_become_the_numbers_and_citations_the_book_prints(small_book):
    first, second = small_book
    prose = first.cells[1].source
    assert prose.startswith("# 1. 첫 장\n\n## 절\n")
    assert "$$\nx = 1 \\tag{1.1}\n$$" in prose
    assert "$$\ny\n$$" in prose  # an unlabelled equation gets no number
    assert "$$\nz = 2 \\tag{1.2}\n$$" in prose
    assert prose.endswith(
        "식 (1.2), 그림 1.2, (Dollár, 2020; Kim and Park, 2019), (Lee et al., 2018)."
    )
    text = second.cells[1].source
    assert text.startswith("# 2. 둘째 장\n\n")
    assert f"[앞 장]({COLAB}/kim/fork/blob/{COLAB_BRANCH}/book/01_a.ipynb)과" in text
    assert "[용어집](https://kim.github.io/fork/book/glossary.html)" in text
    assert ", 그림 1.1, 연습 2.1." in text  # a figure of another chapter keeps its number
    assert "w \\tag{2.1}" in text and "**연습 2.1**\n\n식 (2.1)를 보세요." in text


def test_captions_follow_their_figures_and_hidden_code_is_folded(small_book):
    cells = small_book[0].cells
    install, _, hidden, caption_1, checked, shown, caption_2 = cells[:7]
    assert install.cell_type == "code" and "git+https://github.com/kim/fork" in install.source
    assert hidden.source == "#@title 그림 1.1 코드\nplot(1)"
    assert hidden.metadata["cellView"] == "form"
    assert hidden.metadata["jupyter"] == {"source_hidden": True}
    assert caption_1.cell_type == "markdown"
    assert caption_1.source == "**그림 1.1** 첫 그림, 식 (1.1)."
    assert checked.source == "print(1)" and checked.outputs == []
    assert shown.source == "plot(2)" and "cellView" not in shown.metadata
    assert caption_2.source == "**그림 1.2** 둘째 그림."
    assert all("tags" not in c.metadata and "mystnb" not in c.metadata for c in cells)


def test_directives_become_markdown_with_solutions_folded(small_book):
    blocks = small_book[0].cells[7].source
    assert blocks.startswith("> **팁**\n>\n> 눌러 보세요.\n\n")
    assert "| 이름 | 값 |\n|---|---|\n| $\\|x\\|$ | 두 줄로 이어지는 칸 |" in blocks
    assert "**연습 1.1**\n\n풀어 보세요.\n\n" in blocks
    assert blocks.endswith(
        "<details>\n<summary>해답 연습 1.1</summary>\n\n```python\nprint(2)\n```\n\n</details>"
    )


def test_cited_works_are_listed_at_the_end(small_book):
    last = small_book[0].cells[-1].source
    assert last == (
        "## 참고문헌\n\n"
        "- Piotr Dollár (2020). One Author. *Journal A*.\n"
        "- Minji Kim and Jisoo Park (2019). Two Authors. *Conference B*.\n"
        "- Ana Lee, Bo Choi and Chan Jung (2018). Three Authors. *Press C*."
    )
    assert not small_book[1].cells[-1].source.startswith("## 참고문헌")


def test_unknown_targets_and_syntax_fail_loudly():
    book = load_book()
    with pytest.raises(ValueError, match="eq-nowhere"):
        resolve_roles("{eq}`eq-nowhere`", book, "book/01_step_size", [])
    with pytest.raises(ValueError, match="nobody2000"):
        resolve_roles("{cite}`nobody2000`", book, "book/01_step_size", [])
    with pytest.raises(ValueError, match="abbr"):
        resolve_roles("{abbr}`LR (learning rate)`", book, "book/01_step_size", [])


def test_section_references_print_the_section_title():
    book = load_book()
    assert resolve_roles("{ref}`sec-ch1-norms`", book, "book/03_adaptive", []) == (
        "‘가장 가파른 방향은 자에 따라 다릅니다’"
    )
    assert resolve_roles("{ref}`1장 <sec-ch1-norms>`", book, "book/03_adaptive", []) == "1장"


def test_glossary_and_api_links_point_at_the_published_pages():
    book = load_book()
    glossary = f"{book.baseurl}book/glossary.html"
    api = f"{book.baseurl}book/api.html"
    assert resolve_roles("{term}`학습률`", book, "book/01_step_size", []) == (
        f"[학습률]({glossary})"
    )
    assert resolve_roles("{term}`학습률들 <학습률>`", book, "book/01_step_size", []) == (
        f"[학습률들]({glossary})"
    )
    assert resolve_roles("{py:func}`~lrbook.adam`", book, "book/01_step_size", []) == (
        f"[`adam`]({api}#lrbook.adam)"
    )
    assert resolve_roles("{py:func}`lrb.adam <lrbook.adam>`", book, "book/03_x", []) == (
        f"[`lrb.adam`]({api}#lrbook.adam)"
    )


def test_colab_button_opens_the_export_and_binder_stays():
    binder = "https://mybinder.org/v2/gh/kim/fork/main?urlpath=lab/tree/book/01_a.ipynb"
    context = {
        "header_buttons": [
            {
                "label": "launch-buttons",
                "buttons": [
                    {"text": "Binder", "url": binder},
                    {"text": "Colab", "url": f"{COLAB}/kim/fork/blob/main/book/01_a.ipynb"},
                ],
            }
        ]
    }
    _point_colab_button(None, "book/01_a", "page.html", context, None)
    binder_button, colab_button = context["header_buttons"][0]["buttons"]
    assert binder_button["url"] == binder
    assert colab_button["url"] == f"{COLAB}/kim/fork/blob/colab/book/01_a.ipynb"


# ---------------------------------------------------------------- the real chapters


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("colab")
    return {p.name: p for p in export_book(out)}


def chapter_sources() -> list[Path]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    numbered = [
        c["file"] for part in toc["parts"] if part.get("numbered") for c in part["chapters"]
    ]
    return [ROOT / f"{file}.ipynb" for file in numbered]


CHAPTERS = chapter_sources()


def test_every_chapter_is_exported(exported):
    assert sorted(exported) == sorted(p.name for p in CHAPTERS)


@pytest.mark.parametrize("source", CHAPTERS, ids=lambda p: p.name)
def test_export_has_no_myst_left_and_keeps_the_book_structure(exported, source):
    original = nbformat.read(source, as_version=4)
    nb = nbformat.read(exported[source.name], as_version=4)
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    for name, pattern in MYST.items():
        for text in markdown:
            m = pattern.search(text)
            assert not m, (
                f"{source.name}: {name} left: {text[max(0, m.start() - 60) : m.end() + 60]!r}"
            )
    text = "\n".join(markdown)
    mine = "\n".join(c.source for c in original.cells if c.cell_type == "markdown")
    assert text.count("<details>") == mine.count("{solution}") > 0
    assert text.count("</details>") == text.count("<details>")
    assert text.count("\\tag{") == len(MYST["labelled math"].findall(mine))
    first = nb.cells[0]
    assert first.cell_type == "code" and "lrbook @ git+https://github.com/" in first.source
    code = [c for c in original.cells if c.cell_type == "code"]
    hidden = [c for c in code if "hide-input" in c.metadata.get("tags", [])]
    assert sum(c.metadata.get("cellView") == "form" for c in nb.cells) == len(hidden)
    figures = [c for c in code if c.metadata.get("mystnb", {}).get("figure", {}).get("caption")]
    after = [
        nb.cells[i + 1].source
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code"
        and i + 1 < len(nb.cells)
        and nb.cells[i + 1].cell_type == "markdown"
    ]
    chapter = int(source.name[:2])
    captions = [s for s in after if re.match(rf"\*\*그림 {chapter}\.\d+\*\* ", s)]
    assert len(captions) == len(figures)
    assert all(not c.outputs for c in nb.cells if c.cell_type == "code")


@pytest.mark.colab_run
def test_exported_chapter_runs_top_to_bottom_and_prints_what_the_book_checks(exported, tmp_path):
    """Chapter 8 (the quickest) runs as Colab would run it: from its own folder, with
    lrbook already importable, so the install cell does nothing. The cells whose output
    the book checks with nbval print the same text here."""
    source = ROOT / "book" / "08_summary.ipynb"
    nb = nbformat.read(exported[source.name], as_version=4)
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert not errors
    images = sum(
        "image/png" in o.get("data", {})
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
    )
    assert images >= sum(s.startswith("**그림 8.") for s in (c.source for c in nb.cells))
    checked = {
        c.source: c.outputs
        for c in nbformat.read(source, as_version=4).cells
        if c.cell_type == "code" and CHECKED in c.metadata.get("tags", [])
    }
    assert checked
    ran = {c.source: c.outputs for c in nb.cells if c.cell_type == "code"}
    for code, outputs in checked.items():
        want = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
        got = "".join(o.get("text", "") for o in ran[code] if o.get("output_type") == "stream")
        assert got == want, code[:80]
