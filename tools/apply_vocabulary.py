"""Find, and optionally rewrite, the variants that the book's vocabulary rejects.

The vocabulary lives in ``book/_data/vocabulary.yml``: every headword lists the other
spellings of the same concept that the book does not use, and a few rules cover what is
not a single term (unit spacing "300 스텝", register, 사이시옷 spelling). This script reads
the prose of the chapter notebooks (markdown cells, figure captions in
``metadata.mystnb.figure.caption``, and Korean string literals of code cells such as plot
labels), skips code, math, MyST role targets and links, and replaces each rejected variant
by its headword. When the replacement changes whether the word ends in a batchim, the
particle after it follows: 날카로움을 -> 샤프니스를, 평활화와 -> 평활과.

Usage:
    python tools/apply_vocabulary.py                      # dry run over book/0*.ipynb
    python tools/apply_vocabulary.py --write book/03_adaptive.ipynb
    python tools/apply_vocabulary.py book/intro.md        # markdown pages work too

A dry run prints every change (file, cell, before -> after) and the count per file; it
exits with status 1 when it found something, so it can gate a commit.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
VOCABULARY = ROOT / "book" / "_data" / "vocabulary.yml"

Span = tuple[int, int]


@dataclass(frozen=True)
class Rule:
    """One rejected variant: where it comes from, its pattern and its replacement."""

    headword: str
    pattern: re.Pattern[str]
    replace: str


@dataclass(frozen=True)
class Finding:
    """A rejected variant found in a text, with the text that replaces it."""

    rule: Rule
    start: int
    end: int
    found: str
    replacement: str


def load_vocabulary(path: Path = VOCABULARY) -> dict:
    """The parsed vocabulary file (``terms``, ``rules``, ``notation``)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def flexible_spaces(pattern: str) -> str:
    r"""``pattern`` with each literal space outside lookarounds and classes made ``(?:\s+)``.

    Markdown wraps lines anywhere, so "안정성의 한계" may be written "안정성의\n한계". Spaces
    inside lookbehinds stay literal (a lookbehind must have a fixed width).
    """
    out, i, in_class, stack = [], 0, False, []
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            stack.append(pattern.startswith(("(?<=", "(?<!", "(?=", "(?!"), i))
        elif c == ")" and stack:
            stack.pop()
        elif c == " " and not any(stack):
            out.append(r"(?:\s+)")
            i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def load_rules(vocabulary: dict | None = None) -> list[Rule]:
    """Every rejected variant of the vocabulary as a compiled :class:`Rule`.

    A term's variant is replaced by ``replace`` if given, else by the headword; a rule's
    variant must say its replacement (a ``re.sub`` template).
    """
    vocabulary = load_vocabulary() if vocabulary is None else vocabulary
    rules = []
    for term in vocabulary["terms"]:
        for variant in term.get("reject", []):
            replace = variant.get("replace", term["headword"])
            pattern = re.compile(flexible_spaces(variant["pattern"]))
            rules.append(Rule(term["headword"], pattern, replace))
    for group in vocabulary.get("rules", []):
        for variant in group["reject"]:
            pattern = re.compile(flexible_spaces(variant["pattern"]))
            rules.append(Rule(group["name"], pattern, variant["replace"]))
    return rules


# --- where prose is -------------------------------------------------------------------

_FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$")
# Directives whose body is not prose.
_CODE_DIRECTIVES = ("{code-block}", "{code-cell}", "{code}", "{math}", "{raw}")
_INLINE = re.compile(
    r"(?P<code>`[^`\n]*`)"  # inline code and MyST role targets ({cite}`key`)
    r"|(?P<dmath>\$\$.*?\$\$)"
    r"|(?P<math>\$(?:[^$\\\n]|\\.|\n(?![ \t]*\n))+?\$)"
    r"|(?P<url>https?://[^\s)>]+)"
    r"|(?P<target>\]\([^)\s]*\))"  # markdown link targets
    r"|(?P<option>^[ \t]*:[\w-]+:[^\n]*$)",  # directive options (:label: ...)
    re.MULTILINE | re.DOTALL,
)


def _code_fences(text: str) -> list[Span]:
    """Spans of fenced code blocks; directive fences (```{note}) hold prose and stay."""
    spans, stack, offset = [], [], 0
    for line in text.splitlines(keepends=True):
        match = _FENCE.match(line.rstrip("\n"))
        if match:
            fence, info = match["fence"], match["info"].strip()
            top = stack[-1] if stack else None
            closes = (
                top is not None and not info and fence[0] == top[0][0] and len(fence) >= len(top[0])
            )
            if closes:
                fence0, start, is_code = stack.pop()
                if is_code:
                    spans.append((start, offset + len(line)))
            elif not (top and top[2]):  # nothing opens inside a code block
                is_code = not info.startswith("{") or info.startswith(_CODE_DIRECTIVES)
                stack.append((fence, offset, is_code))
        offset += len(line)
    spans.extend((start, len(text)) for _, start, is_code in stack if is_code)
    return sorted(spans)


def protected_spans(text: str) -> list[Span]:
    """Spans of ``text`` that are not prose: code, math, role targets, links, options."""
    fences = _code_fences(text)
    spans = list(fences)
    start = 0
    for fence_start, fence_end in [*fences, (len(text), len(text))]:
        segment = text[start:fence_start]
        spans += [(start + m.start(), start + m.end()) for m in _INLINE.finditer(segment)]
        start = fence_end
    return sorted(spans)


def _overlaps(start: int, end: int, spans: list[Span]) -> bool:
    return any(s < end and start < e for s, e in spans)


# --- particles ------------------------------------------------------------------------

_NO_BATCHIM, _RIEUL, _OTHER = 0, 8, -1
_DIGIT_BATCHIM = {"0": _OTHER, "1": _RIEUL, "3": _OTHER, "6": _OTHER, "7": _RIEUL, "8": _RIEUL}


def final_batchim(word: str) -> int | None:
    """How the last sound of ``word`` ends: no batchim, ㄹ, another batchim, or unknown.

    Hangul syllables are exact. Digits are read in Sino-Korean (1 일, 3 삼, 2 이); Latin
    words by a rough rule (final l -> ㄹ, m/n -> batchim, vowels and r/y/w -> none).
    """
    word = word.rstrip()
    if not word:
        return None
    last = word[-1]
    if "가" <= last <= "힣":
        jong = (ord(last) - ord("가")) % 28
        return {0: _NO_BATCHIM, 8: _RIEUL}.get(jong, _OTHER)
    if last.isdigit():
        return _DIGIT_BATCHIM.get(last, _NO_BATCHIM)
    lower = last.lower()
    if lower == "l":
        return _RIEUL
    if lower in "mn":
        return _OTHER
    if lower in "aeiouryw":
        return _NO_BATCHIM
    return None


# (after a batchim, after none); 으로/로 treats ㄹ like no batchim.
_PARTICLES = {"은": "는", "이": "가", "을": "를", "과": "와", "으로": "로"}
_PARTICLE_FORMS = {form: pair for pair in _PARTICLES.items() for form in pair}
_PARTICLE = re.compile(
    r"(?:\*{1,2}|_{1,2})?(?:\s?\([^()\n]*\))?(?:\*{1,2})?"  # emphasis, (English gloss)
    r"(?P<particle>으로|로|은|는|이|가|을|를|과|와)"
    r"(?=[^가-힣]|$|(?<=로)(?:서|써|는|도|부터|만)(?![가-힣]))"
)


def _particle_for(pair: tuple[str, str], batchim: int) -> str:
    with_batchim, without = pair
    if with_batchim == "으로":
        return with_batchim if batchim == _OTHER else without
    return without if batchim == _NO_BATCHIM else with_batchim


def _particle_fix(text: str, end: int, old: str, new: str) -> tuple[int, int, str] | None:
    """The particle after ``text[:end]`` rewritten for ``new``, if ``old`` -> ``new`` needs it."""
    match = _PARTICLE.match(text, end)
    if not match:
        return None
    before, after = final_batchim(old), final_batchim(new)
    if before is None or after is None:
        return None
    particle = match["particle"]
    pair = _PARTICLE_FORMS[particle]
    if _particle_for(pair, before) != particle:
        return None  # the text did not agree with the old word either: leave it
    fixed = _particle_for(pair, after)
    if fixed == particle:
        return None
    return match.start("particle"), match.end("particle"), fixed


# --- finding and rewriting ------------------------------------------------------------


def find_variants(text: str, rules: list[Rule] | None = None) -> list[Finding]:
    """Every rejected variant in the prose of ``text``, left to right, without overlaps."""
    rules = load_rules() if rules is None else rules
    protected = protected_spans(text)
    candidates = []
    for rule in rules:
        for m in rule.pattern.finditer(text):
            if m.end() > m.start() and not _overlaps(m.start(), m.end(), protected):
                candidates.append(Finding(rule, m.start(), m.end(), m[0], m.expand(rule.replace)))
    candidates.sort(key=lambda f: (f.start, -(f.end - f.start)))
    findings, last_end = [], -1
    for finding in candidates:
        if finding.start >= last_end:
            findings.append(finding)
            last_end = finding.end
    return findings


def rewrite(text: str, rules: list[Rule] | None = None) -> tuple[str, list[Finding]]:
    """``text`` with every rejected variant replaced and its particle fixed."""
    findings = find_variants(text, rules)
    edits = []
    for f in findings:
        edits.append((f.start, f.end, f.replacement))
        fix = _particle_fix(text, f.end, f.found, f.replacement)
        if fix:
            edits.append(fix)
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text, findings


# --- the book's prose -----------------------------------------------------------------


@dataclass
class Passage:
    """One piece of prose in a file: where it is, and its text."""

    where: str
    text: str


def _hangul(s: str) -> bool:
    return any("가" <= c <= "힣" for c in s)


def _string_literals(source: str) -> list[tuple[int, int]]:
    """Character spans of the string literals with Korean text in a code cell."""
    lines = [line for line in source.splitlines(keepends=True)]
    cleaned = "".join("\n" if line.lstrip().startswith(("%", "!")) else line for line in lines)
    try:
        tree = ast.parse(cleaned)
    except SyntaxError:
        return []
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    spans = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _hangul(node.value):
            start = starts[node.lineno - 1] + len(
                lines[node.lineno - 1].encode()[: node.col_offset].decode()
            )
            end = starts[node.end_lineno - 1] + len(
                lines[node.end_lineno - 1].encode()[: node.end_col_offset].decode()
            )
            spans.append((start, end))
    return sorted(set(spans))


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def notebook_passages(nb: dict) -> Iterator[tuple[Passage, dict, str]]:
    """Each prose passage of a notebook with the cell it lives in and its kind."""
    for index, cell in enumerate(nb["cells"]):
        source = _source(cell)
        if cell["cell_type"] == "markdown":
            yield Passage(f"cell {index} (markdown)", source), cell, "markdown"
        elif cell["cell_type"] == "code":
            for start, end in _string_literals(source):
                yield Passage(f"cell {index} (code string)", source[start:end]), cell, "code"
        caption = cell.get("metadata", {}).get("mystnb", {}).get("figure", {}).get("caption")
        if caption:
            yield Passage(f"cell {index} (caption)", caption), cell, "caption"


def file_passages(path: Path) -> list[Passage]:
    """The prose of a chapter notebook or a markdown page."""
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text(encoding="utf-8"))
        return [passage for passage, _, _ in notebook_passages(nb)]
    return [Passage("page", path.read_text(encoding="utf-8"))]


def _rewrite_code(source: str, rules: list[Rule]) -> tuple[str, list[Finding]]:
    found = []
    for start, end in reversed(_string_literals(source)):
        new, findings = rewrite(source[start:end], rules)
        source = source[:start] + new + source[end:]
        found += findings
    return source, found


def _set_source(cell: dict, text: str) -> None:
    cell["source"] = text.splitlines(keepends=True) if isinstance(cell["source"], list) else text


def apply_to_file(path: Path, rules: list[Rule], write: bool) -> list[tuple[str, Finding]]:
    """Rewrite one notebook or markdown page; return what changed, by location."""
    changes: list[tuple[str, Finding]] = []
    if path.suffix != ".ipynb":
        new, findings = rewrite(path.read_text(encoding="utf-8"), rules)
        changes += [("page", f) for f in findings]
        if write and findings:
            path.write_text(new, encoding="utf-8")
        return changes
    nb = json.loads(path.read_text(encoding="utf-8"))
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown":
            new, findings = rewrite(_source(cell), rules)
            kind = "markdown"
        elif cell["cell_type"] == "code":
            new, findings = _rewrite_code(_source(cell), rules)
            kind = "code string"
        else:
            continue
        changes += [(f"cell {index} ({kind})", f) for f in findings]
        if findings:
            _set_source(cell, new)
        figure = cell.get("metadata", {}).get("mystnb", {}).get("figure", {})
        if figure.get("caption"):
            new, findings = rewrite(figure["caption"], rules)
            changes += [(f"cell {index} (caption)", f) for f in findings]
            figure["caption"] = new
    if write and changes:
        text = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
        path.write_text(text, encoding="utf-8")
    return changes


def notation_table(vocabulary: dict | None = None) -> str:
    """The notation of the vocabulary as the markdown table the 머리말 prints."""
    vocabulary = load_vocabulary() if vocabulary is None else vocabulary
    rows = ["| 기호 | 뜻 | PyTorch의 이름 |", "| --- | --- | --- |"]
    for entry in vocabulary["notation"]:
        pytorch = f"`{entry['pytorch']}`" if entry.get("pytorch") else ""
        rows.append(f"| ${entry['symbol']}$ | {entry['meaning']} | {pytorch} |")
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="default: book/0*.ipynb")
    parser.add_argument("--write", action="store_true", help="rewrite the files in place")
    parser.add_argument(
        "--notation", action="store_true", help="print the 머리말's notation table and exit"
    )
    args = parser.parse_args(argv)
    if args.notation:
        print(notation_table(), end="")
        return 0
    files = args.files or sorted((ROOT / "book").glob("0*.ipynb"))
    rules = load_rules()
    total = 0
    counts = {}
    for path in files:
        changes = apply_to_file(path, rules, args.write)
        for where, f in changes:
            print(f"{path.name}: {where}: [{f.rule.headword}] {f.found!r} -> {f.replacement!r}")
        counts[path.name] = len(changes)
        total += len(changes)
    verb = "rewrote" if args.write else "would rewrite"
    for name, count in counts.items():
        print(f"{name}: {verb} {count}")
    print(f"total: {verb} {total}")
    return 1 if total and not args.write else 0


if __name__ == "__main__":
    sys.exit(main())
