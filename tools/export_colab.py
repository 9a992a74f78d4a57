"""Plain-Jupyter copies of the chapters for Colab, and the Colab button that opens them.

The chapters are written in MyST for the HTML book. Colab renders only CommonMark with
some HTML, so this tool writes a copy of every chapter notebook in which

- ``{eq}``, ``{numref}``, ``{ref}`` and ``{cite}`` become the text the book prints
  (식 (3.1), 그림 3.2, 연습 3.4, (Kingma and Ba, 2015)), numbered as the book numbers them,
  and ``{doc}`` links open the other chapter's export on Colab; ``{term}`` links go to
  the published glossary and ``{py:...}`` links to the published API page;
- labelled equations carry their number (``\\tag{3.1}``), ``(label)=`` lines go away;
- tips become block quotes, exercises bold-titled paragraphs, solutions ``<details>``
  (collapsed until clicked), list tables pipe tables;
- each figure's caption (cell metadata ``mystnb.figure``) follows its figure as text;
- figure code the book hides opens collapsed (Colab's form view, ``#@title``);
- the cited works are listed at the end;
- outputs and test markers are dropped; the Colab install cell stays first.

The copies go to ``_build/colab/book/`` (default), the layout of the ``colab`` branch that
the publishing workflow pushes; the book's Colab launch button points there (``setup``
below is a Sphinx extension loaded from ``_config.yml``).

Usage:
    python tools/export_colab.py [--out _build/colab]
"""

from __future__ import annotations

import argparse
import codecs
import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

import latexcodec  # noqa: F401  (registers the "latex" codec used for author names)
import nbformat
import yaml
from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parents[1]
COLAB_BRANCH = "colab"
COLAB = "https://colab.research.google.com/github"

# What the book's Korean build prints for directives (Sphinx's Korean catalog); references to
# figures and equations follow numfig_format and math_eqref_format in _config.yml.
ADMONITIONS = {
    "tip": "팁",
    "note": "참고",
    "hint": "힌트",
    "important": "중요",
    "warning": "경고",
    "caution": "주의",
    "attention": "주목",
    "danger": "위험",
    "error": "오류",
    "seealso": "더 보기",
}
EXERCISE, SOLUTION = "연습", "해답"

OPEN_FENCE = re.compile(r"^(?P<fence>`{3,}|:{3,})(?P<info>.*)$")
DIRECTIVE = re.compile(r"^\{(?P<name>[\w-]+)\}\s*(?P<arg>.*)$")
OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$")
ROLE = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<content>[^`]*)`")
TARGET = re.compile(r"^\((?P<label>[^)\s]+)\)=\s*$", re.M)
SECTION = re.compile(r"^\((?P<label>[^)\s]+)\)=[ \t]*\n+#+[ \t]+(?P<title>[^\n]+)$", re.M)
EXERCISE_START = re.compile(
    r"^(?:`{3,}|:{3,})\{exercise\}[^\n]*\n(?P<options>(?::[\w-]+:.*\n?)*)", re.M
)
LABELLED_MATH = re.compile(r"\$\$(?P<body>.+?)\$\$[ \t]*\((?P<label>[^)\s]+)\)", re.S)


@dataclass
class Book:
    """What resolving a chapter needs to know about the whole book."""

    repo: str  # "owner/name" on GitHub
    baseurl: str  # where the HTML book is published
    refs: dict[str, str] = field(default_factory=dict)  # label -> "그림 3.1", ...
    numbers: dict[str, str] = field(default_factory=dict)  # label -> "3.1"
    chapters: dict[str, int] = field(default_factory=dict)  # "book/03_adaptive" -> 3
    cites: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (label, entry)


# ---------------------------------------------------------------- numbering and citations


def numbered_chapters(toc: dict) -> dict[str, int]:
    """Chapter numbers of the files in the numbered parts of a jb-book ``_toc.yml``."""
    numbers, n = {}, 0
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            if part.get("numbered"):
                n += 1
                numbers[chapter["file"]] = n
    return numbers


def chapter_numbers(
    nb, chapter: int, figure: str = "Fig. %s", equation: str = "({number})"
) -> dict[str, tuple[str, str]]:
    """Number a chapter's labelled equations, figures and exercises the way Sphinx does.

    Each kind counts from 1 within the chapter, in document order, prefixed by the chapter
    number (numfig with a numbered toctree); only labelled equations get a number. A
    labelled section maps to its title, which is what ``{ref}`` prints for it.
    ``figure`` and ``equation`` are Sphinx's ``numfig_format["figure"]`` and
    ``math_eqref_format``. Returns label -> (number, text the book prints), e.g.
    ``("3.1", "그림 3.1")``.
    """
    refs: dict[str, tuple[str, str]] = {}
    n_eq = n_fig = n_ex = 0
    for cell in nb.cells:
        if cell.cell_type == "code":
            name = cell.metadata.get("mystnb", {}).get("figure", {}).get("name")
            if name:
                n_fig += 1
                number = f"{chapter}.{n_fig}"
                refs[name] = (number, figure % number)
            continue
        if cell.cell_type != "markdown":
            continue
        for m in SECTION.finditer(cell.source):  # a labelled section: {ref} shows its title
            refs[m["label"]] = ("", m["title"].strip())
        events = [(m.start(), "eq", m["label"]) for m in LABELLED_MATH.finditer(cell.source)]
        for m in EXERCISE_START.finditer(cell.source):
            options = dict(OPTION.match(line).groups() for line in m["options"].splitlines())
            events.append((m.start(), "ex", options.get("label", "").strip()))
        for _, kind, label in sorted(events):
            if kind == "eq":
                n_eq += 1
                number = f"{chapter}.{n_eq}"
                refs[label] = (number, equation.format(number=number))
            else:  # an exercise is numbered whether or not it has a label
                n_ex += 1
                number = f"{chapter}.{n_ex}"
                if label:
                    refs[label] = (number, f"{EXERCISE} {number}")
    return refs


def latex_text(value: str) -> str:
    """``Doll{\\'a}r`` -> ``Dollár``: LaTeX accents decoded, grouping braces dropped."""
    return codecs.decode(value.encode(), "latex+utf8").replace("{", "").replace("}", "")


def citations(bib: Path) -> dict[str, tuple[str, str]]:
    """Author-year labels as the book prints them (``Kingma and Ba, 2015``) and entries."""
    found = {}
    for key, entry in parse_file(str(bib)).entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        last = [latex_text(" ".join(p.last_names)) for p in people]
        names = (
            last[0]
            if len(last) == 1
            else " and ".join(last)
            if len(last) == 2
            else (f"{last[0]} et al.")
        )
        year = entry.fields.get("year", "")
        full = [
            latex_text(" ".join(p.first_names + p.middle_names + p.prelast_names + p.last_names))
            for p in people
        ]
        full = ", ".join(full[:-1]) + " and " + full[-1] if len(full) > 1 else "".join(full)
        title = latex_text(entry.fields.get("title", ""))
        venue = next(
            (entry.fields[k] for k in ("journal", "booktitle", "publisher") if k in entry.fields),
            "",
        )
        text = f"{full} ({year}). {title}."
        if venue:
            text += f" *{latex_text(venue)}*."
        found[key] = (f"{names}, {year}", text)
    return found


def load_book(root: Path = ROOT) -> Book:
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    url = config["repository"]["url"].rstrip("/")
    sphinx = config["sphinx"]["config"]
    figure = sphinx.get("numfig_format", {}).get("figure", "Fig. %s")
    equation = sphinx.get("math_eqref_format") or "({number})"
    book = Book(
        repo="/".join(url.split("/")[-2:]),
        baseurl=sphinx["html_baseurl"].rstrip("/") + "/",
        chapters=numbered_chapters(toc),
    )
    for file, number in book.chapters.items():
        path = root / f"{file}.ipynb"
        if path.is_file():
            found = chapter_numbers(nbformat.read(path, as_version=4), number, figure, equation)
            book.numbers.update({label: num for label, (num, _) in found.items()})
            book.refs.update({label: text for label, (_, text) in found.items()})
    for bib in config.get("bibtex_bibfiles", []):
        book.cites.update(citations(root / bib))
    return book


# ---------------------------------------------------------------- markdown conversion


def resolve_roles(text: str, book: Book, here: str, cited: list[str]) -> str:
    """Replace every MyST role by the text (or link) the book shows for it."""

    def one(m: re.Match) -> str:
        role, content = m["role"], m["content"]
        explicit = re.fullmatch(r"(?P<text>.*?)\s*<(?P<target>[^>]+)>", content, re.S)
        target = explicit["target"] if explicit else content
        if role in ("eq", "numref", "ref"):
            if target not in book.refs:
                raise ValueError(f"{here}: unknown {role} target {target!r}")
            if explicit:
                return explicit["text"].replace("%s", book.numbers[target])
            if not book.numbers[target]:  # a section: its title, quoted as in running text
                return f"‘{book.refs[target]}’"
            return book.refs[target]
        if role.startswith("cite"):
            keys = [k.strip() for k in target.split(",")]
            unknown = [k for k in keys if k not in book.cites]
            if unknown:
                raise ValueError(f"{here}: unknown citation keys {unknown}")
            cited.extend(k for k in keys if k not in cited)
            return "(" + "; ".join(book.cites[k][0] for k in keys) + ")"
        if role == "doc":
            page = (Path(here).parent / target).as_posix()
            page = re.sub(r"[^/]+/\.\./", "", page)
            label = explicit["text"] if explicit else page
            if page in book.chapters:
                url = f"{COLAB}/{book.repo}/blob/{COLAB_BRANCH}/{page}.ipynb"
            else:
                url = f"{book.baseurl}{page}.html"
            return f"[{label}]({url})"
        if role == "term":
            label = explicit["text"] if explicit else content
            return f"[{label}]({book.baseurl}book/glossary.html)"
        if role.startswith("py:"):
            name = target.lstrip("~")
            label = explicit["text"] if explicit else name
            if not explicit and target.startswith("~"):
                label = name.rsplit(".", 1)[-1]
            return f"[`{label}`]({book.baseurl}book/api.html#{name})"
        if role == "math":
            return f"${content}$"
        raise ValueError(f"{here}: role {{{role}}} has no plain-Markdown form")

    return ROLE.sub(one, text)


def list_table(options: dict[str, str], body: str) -> str:
    """A MyST ``list-table`` as a pipe table (the first row is the header)."""
    rows: list[list[str]] = []
    for line in body.splitlines():
        if line.startswith("* - "):
            rows.append([line[4:].strip()])
        elif line.startswith("  - "):
            rows[-1].append(line[4:].strip())
        elif line.strip():
            rows[-1][-1] += " " + line.strip()
    if options.get("header-rows", "1") != "1" or not rows:
        raise ValueError("list-table: only one header row is supported")
    cells = [[cell.replace("|", "\\|") for cell in row] for row in rows]
    lines = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * len(cells[0])]
    lines += ["| " + " | ".join(row) + " |" for row in cells[1:]]
    return "\n".join(lines)


def directive(name: str, arg: str, options: dict[str, str], body: str, book: Book) -> str:
    if name in ADMONITIONS or name == "admonition":
        title = arg if name == "admonition" else ADMONITIONS[name]
        lines = [f"**{title}**", ""] + body.splitlines()
        return "\n".join(f"> {line}".rstrip() for line in lines)
    if name == "exercise":
        if "label" not in options:
            raise ValueError("an exercise needs a :label: so that its solution can name it")
        number = book.refs[options["label"]]
        return f"**{number}**" + (f" ({arg})" if arg else "") + "\n\n" + body
    if name == "solution":
        summary = f"{SOLUTION} {book.refs[arg.strip()]}"
        return f"<details>\n<summary>{summary}</summary>\n\n{body}\n\n</details>"
    if name == "list-table":
        return list_table(options, body)
    raise ValueError(f"directive {{{name}}} has no plain-Markdown form")


def convert_blocks(text: str, book: Book) -> str:
    """Turn the MyST directives (backtick or colon fences) of a Markdown text into Markdown."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        m = OPEN_FENCE.match(lines[i])
        if not m:
            out.append(lines[i])
            i += 1
            continue
        fence = m["fence"]
        close = next((j for j in range(i + 1, len(lines)) if lines[j].rstrip() == fence), None)
        if close is None:
            raise ValueError(f"unclosed fence {lines[i]!r}")
        d = DIRECTIVE.match(m["info"].strip())
        if not d:  # an ordinary code block: copied as it is
            out.extend(lines[i : close + 1])
            i = close + 1
            continue
        body_lines = lines[i + 1 : close]
        options = {}
        while body_lines and (o := OPTION.match(body_lines[0])):
            options[o["key"]] = o["value"].strip()
            body_lines.pop(0)
        body = convert_blocks("\n".join(body_lines).strip("\n"), book)
        out.append(directive(d["name"], d["arg"].strip(), options, body, book))
        i = close + 1
    return "\n".join(out)


def convert_markdown(text: str, book: Book, here: str, cited: list[str]) -> str:
    text = TARGET.sub("", text)
    text = LABELLED_MATH.sub(
        lambda m: f"$${m['body'].rstrip()} \\tag{{{book.numbers[m['label']]}}}\n$$", text
    )
    text = convert_blocks(text, book)
    text = resolve_roles(text, book, here, cited)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


# ---------------------------------------------------------------- notebooks


def export_notebook(path: Path, book: Book, root: Path = ROOT):
    """The Colab version of one chapter notebook (a new NotebookNode)."""
    here = path.relative_to(root).with_suffix("").as_posix()
    source = nbformat.read(path, as_version=4)
    nb = nbformat.v4.new_notebook(metadata=copy.deepcopy(source.metadata))
    nb.metadata["colab"] = {"name": path.name, "toc_visible": True}
    cited: list[str] = []
    first_code = first_markdown = True
    for cell in source.cells:
        tags = set(cell.metadata.get("tags", []))
        if cell.cell_type == "markdown":
            text = convert_markdown(cell.source, book, here, cited)
            if first_markdown and here in book.chapters:
                text = re.sub(r"^# ", f"# {book.chapters[here]}. ", text, count=1)
            first_markdown = False
            nb.cells.append(nbformat.v4.new_markdown_cell(text, id=cell.get("id")))
            continue
        if cell.cell_type != "code":
            continue
        code = cell.source
        if "remove-cell" in tags and not first_code:
            continue
        new = nbformat.v4.new_code_cell(code, id=cell.get("id"))
        figure = cell.metadata.get("mystnb", {}).get("figure", {})
        if "hide-input" in tags:
            title = f"{book.refs[figure['name']]} 코드" if figure.get("name") else "코드"
            new.source = f"#@title {title}\n{code}"
            new.metadata["cellView"] = "form"
            new.metadata["jupyter"] = {"source_hidden": True}
        nb.cells.append(new)
        first_code = False
        if figure.get("caption"):
            number = book.refs.get(figure.get("name", ""), "")
            caption = convert_markdown(figure["caption"], book, here, cited)
            nb.cells.append(nbformat.v4.new_markdown_cell(f"**{number}** {caption}".strip()))
    if cited:
        entries = "\n".join(f"- {book.cites[k][1]}" for k in sorted(cited, key=str.lower))
        nb.cells.append(nbformat.v4.new_markdown_cell(f"## 참고문헌\n\n{entries}"))
    nbformat.validate(nb)
    return nb


def export_book(out: Path, root: Path = ROOT) -> list[Path]:
    """Export every numbered chapter notebook into ``out`` (same relative paths)."""
    book = load_book(root)
    written = []
    for file in book.chapters:
        path = root / f"{file}.ipynb"
        if not path.is_file():
            continue
        target = out / f"{file}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(export_notebook(path, book, root), target)
        written.append(target)
    return written


# ---------------------------------------------------------------- Sphinx: the Colab button


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "colab")
    for path in export_book(parser.parse_args().out):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
