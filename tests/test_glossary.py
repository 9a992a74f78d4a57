"""The book speaks one vocabulary and one notation.

``book/_data/vocabulary.yml`` lists every headword of ``book/glossary.md`` with the
variants the book rejects, a few conventions (unit spacing "300 스텝", register,
spelling), and the notation table of the 머리말. These tests check that the glossary, the
vocabulary file and the 머리말 agree, that the checked pages use no rejected variant, and
that ``tools/apply_vocabulary.py`` rewrites variants (particles included) and nothing else.

A chapter joins the check when its author has applied the vocabulary to it
(``python tools/apply_vocabulary.py --write book/0N_x.ipynb``, then a read of the diff):
add its name to ``CHECKED_CHAPTERS``. Once all chapters are listed, every headword must
also be used somewhere in the book.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"

# Chapters whose prose, captions and plot labels already follow the vocabulary.
CHECKED_CHAPTERS: list[str] = [
    "01_step_size",
    "02_convergence",
    "03_adaptive",
    "04_schedules",
    "05_landscape",
    "06_practice",
    "07_lr_finder",
    "08_summary",
]
ALL_CHAPTERS = sorted(path.stem for path in BOOK.glob("0*.ipynb"))
PAGES = ["intro.md", "glossary.md"]


def _load_tool():
    spec = importlib.util.spec_from_file_location(
        "apply_vocabulary", ROOT / "tools" / "apply_vocabulary.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


av = _load_tool()
VOCABULARY = av.load_vocabulary()
RULES = av.load_rules(VOCABULARY)
HEADWORDS = [term["headword"] for term in VOCABULARY["terms"]]


def glossary_entries() -> dict[str, tuple[str, str]]:
    """Headword -> (English term, definition) from the ``{glossary}`` block."""
    text = (BOOK / "glossary.md").read_text(encoding="utf-8")
    block = re.search(r"```\{glossary\}\n(.*?)\n```", text, re.DOTALL)
    assert block, "book/glossary.md has no {glossary} block"
    entries: dict[str, tuple[str, str]] = {}
    term = None
    for line in block[1].splitlines():
        if not line.strip() or line.startswith(":"):
            continue
        if not line.startswith(" "):
            match = re.fullmatch(r"(?P<head>.+?) \((?P<english>[^()]+)\)", line.strip())
            assert match, f"glossary term line without '(English)': {line!r}"
            term = match["head"]
            assert term not in entries, f"glossary lists {term!r} twice"
            entries[term] = (match["english"], "")
        else:
            english, definition = entries[term]
            entries[term] = (english, f"{definition} {line.strip()}".strip())
    return entries


def report(findings: list[tuple[str, str, object]]) -> str:
    return "\n".join(
        f"{name}: {where}: [{f.rule.headword}] {f.found!r} -> {f.replacement!r}"
        for name, where, f in findings
    )


def variants_in(path: Path) -> list[tuple[str, str, object]]:
    return [
        (path.name, passage.where, finding)
        for passage in av.file_passages(path)
        for finding in av.find_variants(passage.text, RULES)
    ]


# --- the glossary and the vocabulary file agree ---------------------------------------


def test_glossary_and_vocabulary_have_the_same_headwords_and_english():
    entries = glossary_entries()
    in_glossary_only = sorted(set(entries) - set(HEADWORDS))
    in_vocabulary_only = sorted(set(HEADWORDS) - set(entries))
    assert not in_glossary_only and not in_vocabulary_only, (
        f"only in glossary.md: {in_glossary_only}; only in vocabulary.yml: {in_vocabulary_only}"
    )
    english = {term["headword"]: term["english"] for term in VOCABULARY["terms"]}
    differ = {h: (e, english[h]) for h, (e, _) in entries.items() if e != english[h]}
    assert not differ, f"English terms differ (glossary, vocabulary): {differ}"


def test_lrbook_names_in_the_glossary_exist():
    import lrbook

    text = (BOOK / "glossary.md").read_text(encoding="utf-8")
    names = set(re.findall(r"`lrb\.(\w+)", text))
    assert names
    missing = sorted(name for name in names if not hasattr(lrbook, name))
    assert not missing, f"glossary names lrbook functions that do not exist: {missing}"


def test_headwords_are_unique():
    assert len(HEADWORDS) == len(set(HEADWORDS))


def test_every_definition_is_written_and_not_circular():
    """A definition's first sentence may not use its own headword."""
    circular = {}
    for head, (_, definition) in glossary_entries().items():
        assert len(definition) > 15, f"{head!r} has no real definition: {definition!r}"
        first = re.split(r"(?<=[.다])\s", definition, maxsplit=1)[0]
        if head in first:
            circular[head] = first
    assert not circular, f"definitions that use their own headword: {circular}"


def test_no_rule_rejects_a_headword_or_its_own_replacement():
    """Rewriting must settle: no headword or replacement is itself a rejected variant."""
    for head in HEADWORDS:
        assert not av.find_variants(head, RULES), f"headword {head!r} matches a rejected variant"
    for rule in RULES:
        if "\\" not in rule.replace:  # templates with groups are checked on real text below
            assert not av.find_variants(rule.replace, RULES), rule


# --- pages and chapters use no rejected variant ---------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_page_uses_no_rejected_variant(page):
    found = variants_in(BOOK / page)
    assert not found, "rejected variants:\n" + report(found)


def test_checked_chapters_exist():
    unknown = sorted(set(CHECKED_CHAPTERS) - set(ALL_CHAPTERS))
    assert not unknown, f"CHECKED_CHAPTERS names no notebook: {unknown}"


@pytest.mark.parametrize("chapter", CHECKED_CHAPTERS)
def test_chapter_uses_no_rejected_variant(chapter):
    found = variants_in(BOOK / f"{chapter}.ipynb")
    assert not found, (
        f"rejected variants (fix with tools/apply_vocabulary.py --write):\n{report(found)}"
    )


def book_prose() -> str:
    """All prose of the book outside the glossary, with code and math removed."""
    parts = []
    for path in [BOOK / "intro.md", *sorted(BOOK.glob("0*.ipynb"))]:
        for passage in av.file_passages(path):
            text = passage.text
            for start, end in reversed(av.protected_spans(text)):
                text = text[:start] + " " + text[end:]
            parts.append(text)
    return re.sub(r"\s+", " ", "\n".join(parts))


def test_every_headword_is_used_in_the_book():
    unchecked = sorted(set(ALL_CHAPTERS) - set(CHECKED_CHAPTERS))
    if unchecked:
        pytest.skip(f"runs once every chapter is in CHECKED_CHAPTERS; missing: {unchecked}")
    prose = book_prose()
    unused = [head for head in HEADWORDS if head not in prose]
    assert not unused, f"glossary headwords that no page uses: {unused}"


# --- the notation table ---------------------------------------------------------------


def test_intro_prints_the_notation_table_of_the_vocabulary():
    intro = (BOOK / "intro.md").read_text(encoding="utf-8")
    assert av.notation_table(VOCABULARY) in intro, (
        "the 머리말's notation table differs from vocabulary.yml: "
        "paste the output of `python tools/apply_vocabulary.py --notation`"
    )


def test_notation_gives_each_symbol_one_meaning():
    symbols = [entry["symbol"] for entry in VOCABULARY["notation"]]
    assert len(symbols) == len(set(symbols))
    meanings = {entry["symbol"]: entry["meaning"] for entry in VOCABULARY["notation"]}
    assert "고윳값" in meanings[r"\lambda"]
    assert "모멘텀" in meanings[r"\beta"] and "모멘텀" not in meanings[r"\mu"].split(".")[0]
    assert meanings[r"\omega"] == "가중치 감쇠 계수"


# --- tools/apply_vocabulary.py ---------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # batchim changes, particle follows: ㅁ -> none, none -> ㄹ, ㄹ handling of 으로/로
        ("날카로움을 $2/\\eta$까지 끌어올립니다.", "샤프니스를 $2/\\eta$까지 끌어올립니다."),
        ("날카로움이 커지면", "샤프니스가 커지면"),
        ("날카로움은 곡률입니다.", "샤프니스는 곡률입니다."),
        ("평활화(smoothing)와 발산 정지", "평활(smoothing)과 발산 정지"),
        ("평활화가 늦습니다", "평활이 늦습니다"),
        ("**평활화**를 봅니다", "**평활**을 봅니다"),
        ("평활화로 줄입니다", "평활로 줄입니다"),
        ("**Finder가 제안한", "**범위 테스트가 제안한"),
        ("헤비볼(heavy ball) 식과", "무거운 공(heavy ball) 식과"),
        ("최적 heavy ball의 스텝 수", "최적 무거운 공의 스텝 수"),
        # the particle agrees already, or the copula follows: unchanged
        ("유효 학습률은 0.1입니다", "실효 학습률은 0.1입니다"),
        ("날카로움입니다", "샤프니스입니다"),
        ("안정성의 한계는 0.2", "안정 한계는 0.2"),
        ("LR 범위 테스트로 좁히고", "학습률 범위 테스트로 좁히고"),
        ("이차함수와 로젠브록 함수", "2차 함수와 로젠브록 함수"),
        ("경사 하강법(SGD)의 걸음은", "경사 하강법의 걸음은"),
        # unit spacing
        ("15걸음씩, 100스텝, 3에폭 뒤", "15 스텝씩, 100 스텝, 3 에폭 뒤"),
        ("$\\approx 236$걸음입니다", "$\\approx 236$ 스텝입니다"),
        ("결론을 먼저 말씀드리면 다음과 같습니다.", "결론부터 말하면 다음과 같습니다."),
    ],
)
def test_rewrite_replaces_variants_and_fixes_particles(before, after):
    assert av.rewrite(before, RULES)[0] == after


@pytest.mark.parametrize(
    "text",
    [
        "첫 걸음, 한 걸음씩, 12번째 걸음",  # prose, not a count of steps
        "날카로운 최솟값과 평탄한 최솟값",
        "`lrb.lr_find`와 LR Finder, 무거운 공(heavy ball)",
        "```python\nx = '날카로움'  # 300걸음\n```\n",
        "$\\text{이차함수}$와 $$\\text{날카로움}$$",
        "{cite}`heavy ball` 그리고 [링크](https://e.org/Finder)",
        ":label: 날카로움\n",
        "````{exercise}\n:label: ex\n\n샤프니스\n````\n\n````{solution} ex\n스텝\n````\n",
    ],
)
def test_rewrite_leaves_prose_that_follows_the_vocabulary_and_non_prose_alone(text):
    assert av.rewrite(text, RULES) == (text, [])


def test_directives_hold_prose_and_code_blocks_inside_them_do_not():
    text = "````{solution} ex\n날카로움\n```python\ny = '날카로움'\n```\n날카로움\n````\n"
    found = [f.start for f in av.find_variants(text, RULES)]
    assert found == [text.index("날카로움"), text.rindex("날카로움")]


def test_korean_string_literals_of_code_cells_are_prose():
    source = "%matplotlib inline\nax.set_xlabel('300걸음')  # 주석 300걸음\nlabel = \"t\"\n"
    spans = av._string_literals(source)
    assert [source[s:e] for s, e in spans] == ["'300걸음'"]


def test_rewriting_every_chapter_leaves_no_variant():
    for path in sorted(BOOK.glob("0*.ipynb")):
        for passage in av.file_passages(path):
            new, _ = av.rewrite(passage.text, RULES)
            left = av.find_variants(new, RULES)
            assert not left, f"{path.name} {passage.where}: {left}"


def test_tool_dry_run_leaves_files_alone_and_write_rewrites_them(tmp_path, capsys):
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["날카로움을 봅니다.\n", "끝"]},
            {
                "cell_type": "code",
                "metadata": {"mystnb": {"figure": {"caption": "100스텝 뒤", "name": "f"}}},
                "source": ["ax.set_title('유효 학습률')\n", "x = 1"],
                "outputs": [],
                "execution_count": None,
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "09_x.ipynb"
    original = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
    path.write_text(original, encoding="utf-8")
    assert av.main([str(path)]) == 1
    assert path.read_text(encoding="utf-8") == original
    out = capsys.readouterr().out
    assert "09_x.ipynb: would rewrite 3" in out
    assert av.main(["--write", str(path)]) == 0
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written["cells"][0]["source"] == ["샤프니스를 봅니다.\n", "끝"]
    assert written["cells"][1]["source"] == ["ax.set_title('실효 학습률')\n", "x = 1"]
    assert written["cells"][1]["metadata"]["mystnb"]["figure"]["caption"] == "100 스텝 뒤"
    assert av.main([str(path)]) == 0


def test_tool_rewrites_a_copy_of_each_chapter_into_valid_notebooks(tmp_path):
    for path in sorted(BOOK.glob("0*.ipynb")):
        copy = tmp_path / path.name
        shutil.copy(path, copy)
        av.main(["--write", str(copy)])
        nb = json.loads(copy.read_text(encoding="utf-8"))
        assert len(nb["cells"]) == len(json.loads(path.read_text(encoding="utf-8"))["cells"])
        assert not variants_in(copy), report(variants_in(copy))


# --- English at first use -------------------------------------------------------------


def first_uses(texts: list[tuple[str, str]]) -> dict[str, tuple[str, int, str]]:
    """Headword -> (file, offset, text) of its first use in reading order.

    An occurrence inside a longer headword (경사 하강법 in 확률적 경사 하강법) does not count
    as a use of the shorter one.
    """
    found: dict[str, tuple[str, int, str]] = {}
    for head in HEADWORDS:
        longer = [h for h in HEADWORDS if head in h and h != head]
        for name, text in texts:
            for match in re.finditer(re.escape(head), text):
                inside = any(
                    text.startswith(h, match.start() - h.index(head))
                    for h in longer
                    if match.start() >= h.index(head)
                )
                if not inside:
                    found[head] = (name, match.start(), text)
                    break
            if head in found:
                break
    return found


def english_follows(head: str, offset: int, text: str, english: str) -> bool:
    after = text[offset + len(head) :]
    gloss = re.match(r"\**\s?\(([^()]*)\)", after)
    if not gloss:
        return False

    def short(s: str) -> str:
        return s.lower().replace("learning rate", "lr")

    return short(english.split(",")[0]) in short(gloss[1])


def chapter_texts(chapters: list[str]) -> list[tuple[str, str]]:
    """(location, prose) of the chapters in reading order: markdown without headings, and
    captions; code and math blanked, spaces collapsed. Plot labels do not count."""
    texts = []
    for name in chapters:
        path = BOOK / f"{name}.ipynb"
        for passage in av.file_passages(path):
            if "code string" in passage.where:
                continue
            text = re.sub(r"(?m)^#+ .*$", " ", passage.text)
            # a glossary link {term}`shown <target>` is a use of the words it shows
            text = re.sub(r"\{term\}`([^`<]*?)(?:\s*<[^`]*>)?`", r"\1", text)
            for start, end in reversed(av.protected_spans(text)):
                text = text[:start] + " " * (end - start) + text[end:]
            texts.append((f"{path.name} {passage.where}", re.sub(r"\s+", " ", text)))
    return texts


def missing_english(chapters: list[str]) -> dict[str, str]:
    """Korean headwords whose first use in ``chapters`` has no (English) after it."""
    english = {term["headword"]: term["english"] for term in VOCABULARY["terms"]}
    return {
        head: where
        for head, (where, offset, text) in first_uses(chapter_texts(chapters)).items()
        if _hangul(head) and not english_follows(head, offset, text, english[head])
    }


def _hangul(text: str) -> bool:
    return any("가" <= c <= "힣" for c in text)


def test_first_use_gives_the_english_term():
    """In reading order (chapter 1 to 8), a Korean headword's first use carries its English
    term in parentheses: 곡률(curvature). Checked over the leading run of chapters that are
    in CHECKED_CHAPTERS, so chapter N joins once chapters 1 to N-1 have."""
    leading = []
    for chapter in ALL_CHAPTERS:
        if chapter not in CHECKED_CHAPTERS:
            break
        leading.append(chapter)
    if not leading:
        pytest.skip("no leading run of chapters in CHECKED_CHAPTERS yet")
    english = {term["headword"]: term["english"] for term in VOCABULARY["terms"]}
    missing = missing_english(leading)
    assert not missing, "first uses without '(English)': " + "; ".join(
        f"{head} ({english[head]}) in {where}" for head, where in missing.items()
    )
