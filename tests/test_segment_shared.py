"""Segmentation on the real data in ../shared (read in place; skipped when absent):
every lexicon term whole in the government work reports, join invariant, the
fast jieba loop equal to jieba, rjieba agreement, SIGHAN 2005 F1 bounds."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import jieba
import pytest

from nqp_text.segment._jieba_fast import FastJiebaCut
from nqp_text.segment._matcher import TermMatcher, fold_width
from nqp_text.segment.evaluate import read_lines, score_sighan
from nqp_text.segment.segmenter import Segmenter

#: Raw jieba F1 measured by the team on SIGHAN 2005 (issue 3).
RAW_JIEBA_F1 = {"pku": 0.818, "msr": 0.812}


@pytest.fixture(scope="module")
def gov_passages(gov_reports_jsonl: Path) -> list[str]:
    """Paragraphs (blocks between blank lines) of all records, stripped, non-empty."""
    passages = []
    with open(gov_reports_jsonl, encoding="utf-8") as handle:
        for line in handle:
            content = json.loads(line)["content"]
            passages.extend(block.strip() for block in re.split(r"\n\s*\n", content)
                            if block.strip())
    return passages


@pytest.fixture(scope="module")
def seg() -> Segmenter:
    return Segmenter()


@pytest.fixture(scope="module")
def gov_cuts(seg: Segmenter, gov_passages: list[str]) -> list[list[str]]:
    return [seg.cut(passage) for passage in gov_passages]


def _spans(tokens: list[str], offset: int = 0) -> list[tuple[int, int]]:
    spans = []
    position = offset
    for token in tokens:
        spans.append((position, position + len(token)))
        position += len(token)
    return spans


def test_cut_joins_back_for_every_passage(gov_passages: list[str],
                                          gov_cuts: list[list[str]]) -> None:
    assert len(gov_passages) > 5000
    for passage, tokens in zip(gov_passages, gov_cuts, strict=True):
        assert "".join(tokens) == passage


def test_every_lexicon_term_occurrence_is_one_token(
        seg: Segmenter, gov_passages: list[str], gov_cuts: list[list[str]]) -> None:
    """Independent of the matcher: find every occurrence of every term with str.find
    and check it is a token, or lies in/overlaps a lexicon token that the
    leftmost-longest rule prefers (starts earlier, or same start and longer), or
    starts inside a guard word (提高 in 提高质量) that is not itself inside a token."""
    text = fold_width("\n".join(gov_passages))
    token_end: dict[int, int] = {}
    lexicon_tokens: list[tuple[int, int]] = []
    folded_terms = {fold_width(term) for term in seg.terms}
    offset = 0
    for tokens in gov_cuts:
        for start, end in _spans(tokens, offset):
            token_end[start] = end
            if text[start:end] in folded_terms:
                lexicon_tokens.append((start, end))
        offset = (_spans(tokens, offset)[-1][1] if tokens else offset) + 1
    covering = {}  # character position -> the lexicon token covering it
    for start, end in lexicon_tokens:
        for position in range(start, end):
            covering[position] = (start, end)
    guard_at = {}  # character position -> a guard occurrence covering it
    for guard in seg.guard_words:
        start = text.find(guard)
        while start >= 0:
            for position in range(start, start + len(guard)):
                guard_at[position] = (start, start + len(guard))
            start = text.find(guard, start + 1)
    whole, nested, crossing, guarded, found_terms = 0, 0, 0, 0, set()
    for term in sorted(folded_terms):
        start = text.find(term)
        while start >= 0:
            end = start + len(term)
            glued = ((term[0].isascii() and term[0].isalnum() and start > 0
                      and text[start - 1].isascii() and text[start - 1].isalnum())
                     or (term[-1].isascii() and term[-1].isalnum() and end < len(text)
                         and text[end].isascii() and text[end].isalnum()))
            guard = guard_at.get(start)
            if token_end.get(start) == end:
                whole += 1
                found_terms.add(term)
            elif guard and (guard[0] < start or guard[1] > end) and guard[0] not in covering:
                guarded += 1
            elif not glued:
                winners = {covering[p] for p in range(start, end) if p in covering}
                assert winners, f"{term!r} at {start} is split: {text[start - 5:end + 5]!r}"
                assert any(s < start or (s == start and e > end) for s, e in winners), (
                    f"{term!r} at {start} lost to {winners}")
                if any(s <= start and end <= e for s, e in winners):
                    nested += 1
                else:
                    crossing += 1
            start = text.find(term, start + 1)
    print(f"lexicon occurrences: {whole} whole tokens, {nested} nested in a longer term, "
          f"{crossing} crossing an earlier term, {guarded} inside a guard word; "
          f"{len(found_terms)} distinct terms occur")
    assert len(found_terms) > 500 and whole > 5000
    assert 0 < guarded < whole / 50  # guards block a few dozen false matches, no more


def _raw_jieba(seg: Segmenter) -> jieba.Tokenizer:
    """A plain jieba tokenizer on jieba's dictionary (prefix dict reused from ``seg``)."""
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total = seg._backend.tokenizer.FREQ, seg._backend.tokenizer.total
    tokenizer.initialized = True
    return tokenizer


def test_matcher_engines_give_identical_spans(seg: Segmenter,
                                             gov_passages: list[str]) -> None:
    pytest.importorskip("ahocorasick")
    fast = TermMatcher(seg.terms, engine="ahocorasick")
    plain = TermMatcher(seg.terms, engine="regex")
    for passage in gov_passages:
        assert fast.spans(passage) == plain.spans(passage)


@pytest.mark.slow
def test_fast_jieba_loop_equals_jieba_tokenizer(seg: Segmenter, gov_passages: list[str],
                                                shared: Path) -> None:
    tokenizer = _raw_jieba(seg)
    fast = FastJiebaCut(tokenizer.FREQ, tokenizer.total)
    sighan = read_lines(shared / "sighan2005" / "pku_test.utf8")[:600]
    for text in gov_passages[::3] + sighan:
        assert fast.cut(text, hmm=True) == list(tokenizer.cut(text, HMM=True))
    for text in gov_passages[1::10] + sighan[::3]:
        assert fast.cut(text, hmm=False) == list(tokenizer.cut(text, HMM=False))


def test_rjieba_agrees_with_jieba_on_995_of_tokens(
        gov_passages: list[str], gov_cuts: list[list[str]]) -> None:
    pytest.importorskip("rjieba")
    fast = Segmenter(backend="rjieba")
    agree = total = 0
    disagreements: Counter[tuple[str, str]] = Counter()
    for passage, reference in zip(gov_passages, gov_cuts, strict=True):
        other = fast.cut(passage)
        assert "".join(other) == passage
        ref_spans, other_spans = set(_spans(reference)), set(_spans(other))
        agree += len(ref_spans & other_spans)
        total += len(ref_spans)
        if ref_spans != other_spans:
            only_ref = " ".join(passage[s:e] for s, e in sorted(ref_spans - other_spans))
            only_other = " ".join(passage[s:e] for s, e in sorted(other_spans - ref_spans))
            disagreements[(only_ref[:30], only_other[:30])] += 1
    rate = agree / total
    print(f"rjieba agrees on {agree}/{total} jieba tokens ({rate:.4%}); commonest differences "
          f"(jieba | rjieba): {disagreements.most_common(15)}")
    assert rate >= 0.995


@pytest.mark.parametrize("name", ["pku", "msr"])
def test_sighan_f1_within_0005_of_raw_jieba(seg: Segmenter, shared: Path, name: str) -> None:
    folder = shared / "sighan2005"
    raw_path, gold_path = folder / f"{name}_test.utf8", folder / f"{name}_test_gold.utf8"
    if not gold_path.exists():
        pytest.skip(f"{gold_path} is absent")
    raw = score_sighan(_raw_jieba(seg).lcut, raw_path, gold_path)
    ours = score_sighan(seg.cut, raw_path, gold_path)
    print(f"{name}: raw jieba F1 {raw['f1']:.4f}, Segmenter F1 {ours['f1']:.4f}")
    assert abs(raw["f1"] - RAW_JIEBA_F1[name]) < 0.003  # the scorer reproduces the reference
    assert ours["f1"] >= raw["f1"] - 0.005
