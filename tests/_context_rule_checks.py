"""Checks shared by the test files that give each keyword context rule an example and a
counter-example of our own wording: the rule blocks the keyword in the example and not in
the counter, through :meth:`KeywordContexts.blocks`, the evidence extractor and
``nqp-text classify --text``."""

from __future__ import annotations

import json

import pytest

from nqp_text.classify.contexts import load_contexts
from nqp_text.classify.evidence import EvidenceExtractor
from nqp_text.cli import main


def terms(extractor: EvidenceExtractor, text: str) -> set[tuple[str, str]]:
    """``(category, term)`` of every keyword hit the extractor counts in ``text``."""
    return {(hit.category, hit.term) for hit in extractor.hits(text)}


def assert_rule_blocks(keyword: str, example: str, counter: str) -> None:
    """The shipped rules block ``keyword`` in ``example`` and not in ``counter``."""
    rules = load_contexts()
    assert rules.blocks(keyword, example, example.index(keyword))
    assert not rules.blocks(keyword, counter, counter.index(keyword))


def assert_rule_acts_through_the_extractor(extractor: EvidenceExtractor, keyword: str,
                                           category: str, example: str,
                                           counter: str) -> None:
    """The extractor finds ``keyword`` as ``category`` evidence in the counter only."""
    assert (category, keyword) not in terms(extractor, example + "。")
    assert (category, keyword) in terms(extractor, counter + "。")


def assert_rule_acts_through_the_command_line(capsys: pytest.CaptureFixture[str],
                                              category: str, example: str, counter: str,
                                              strong: bool) -> None:
    """``nqp-text classify --text`` (dictionary model): the example does not get
    ``category``; the counter has a score for it and gets the label when ``strong``."""
    assert main(["classify", "--text", example + "。", "--model", "dictionary", "--json"]) == 0
    assert category not in json.loads(capsys.readouterr().out)["labels"]
    assert main(["classify", "--text", counter + "。", "--model", "dictionary", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (category in result["labels"]) is strong
    assert result["scores"][category] > 0
