"""The option dataclasses: each refuses bad values, RunOptions composes them, the CLI
shows their defaults, and read_corpus takes them as ``options=``."""

from __future__ import annotations

import argparse
import dataclasses

import pytest

from nqp_text import ReadOptions, SegmentOptions, TopicOptions, read_corpus
from nqp_text.cli import run as cli_run
from nqp_text.cli._options import add_reading_options, reading_options
from nqp_text.errors import OptionError
from nqp_text.pipeline.options import RunOptions, validate

BAD = [
    (ReadOptions, {"unit": "chapter"}, "unit"),
    (ReadOptions, {"unit": "window"}, "size"),
    (ReadOptions, {"size": 100}, "size"),
    (ReadOptions, {"max_passage": 5}, "max_passage"),
    (ReadOptions, {"pdf_engine": "acrobat"}, "PDF engine"),
    (ReadOptions, {"ocr": "sometimes"}, "OCR mode"),
    (ReadOptions, {"sections": ["no_such_chapter"]}, "no_such_chapter"),
    (ReadOptions, {"timeout": 0}, "timeout"),
    (ReadOptions, {"timeout": "soon"}, "timeout"),
    (ReadOptions, {"memory_limit": -1}, "memory_limit"),
    (SegmentOptions, {"backend": "pkuseg"}, "backend"),
    (SegmentOptions, {"lexicon": ""}, "lexicon"),
    (SegmentOptions, {"stopwords": 3}, "stopwords"),
    (TopicOptions, {"k": 0}, "k must"),
    (TopicOptions, {"k": True}, "k must"),
    (TopicOptions, {"seed": -1}, "seed must"),
    (TopicOptions, {"passes": 0}, "passes must"),
    (TopicOptions, {"topic_unit": "sentence"}, "topic_unit"),
    (TopicOptions, {"seed_weight": -0.1}, "seed_weight"),
    (TopicOptions, {"min_df": -1}, "min_df"),
    (TopicOptions, {"max_df": 1.5}, "max_df"),
]


@pytest.mark.parametrize(("cls", "values", "named"), BAD)
def test_each_options_class_refuses_bad_values(cls, values, named):
    with pytest.raises(OptionError, match=named):
        cls(**values)


@pytest.mark.parametrize(("cls", "values", "named"), BAD)
def test_run_options_validate_refuses_the_same_values(cls, values, named):
    with pytest.raises(OptionError, match=named):
        validate(RunOptions(workers=1, **values))


def test_defaults_and_good_values_are_accepted_and_frozen():
    for cls in (ReadOptions, SegmentOptions, TopicOptions):
        options = cls()
        with pytest.raises(dataclasses.FrozenInstanceError):
            options.__setattr__(dataclasses.fields(cls)[0].name, None)
    assert ReadOptions(unit="window", size=300, timeout=None, memory_limit=None).size == 300
    assert TopicOptions(min_df=0.01, max_df=0.9).max_df == 0.9


def test_run_options_compose_the_three_and_round_trip():
    run = RunOptions(unit="sentence", sections=("mda",), ocr="auto", backend="rjieba",
                     lexicon="my.tsv", k=7, seed=3, topic_unit="passage", seeded=False,
                     max_df=0.4)
    assert run.read == ReadOptions(unit="sentence", sections=("mda",), ocr="auto")
    assert run.segment == SegmentOptions(lexicon="my.tsv", backend="rjieba")
    assert run.topics == TopicOptions(k=7, seed=3, topic_unit="passage", seeded=False,
                                      max_df=0.4)
    rebuilt = RunOptions(**dataclasses.asdict(run.read), **dataclasses.asdict(run.segment),
                         **dataclasses.asdict(run.topics))
    assert rebuilt == run
    fields = {f.name: f.default for f in dataclasses.fields(RunOptions)}
    for cls in (ReadOptions, SegmentOptions, TopicOptions):
        for found in dataclasses.fields(cls):
            assert fields[found.name] == found.default, (cls.__name__, found.name)


def _run_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser()
    cli_run.register(parser.add_subparsers(dest="command"))
    return parser


def test_cli_defaults_are_the_dataclass_defaults():
    args = _run_parser().parse_args(["run", "in", "--out", "out"])
    assert reading_options(args) == ReadOptions()
    assert SegmentOptions(lexicon=args.lexicon, backend=args.backend) == SegmentOptions()
    topics = TopicOptions(k=args.k, seed=args.seed, passes=args.passes,
                          topic_unit=args.topic_unit, seed_weight=args.seed_weight,
                          keep_places=args.keep_places, min_df=args.min_df,
                          max_df=args.max_df, seeded=not args.unseeded)
    assert topics == TopicOptions()
    ingest = argparse.ArgumentParser()
    add_reading_options(ingest)
    assert reading_options(ingest.parse_args([])) == ReadOptions()


def test_cli_reading_options_map_zero_to_no_limit():
    parser = argparse.ArgumentParser()
    add_reading_options(parser)
    read = reading_options(parser.parse_args(
        ["--timeout", "0", "--max-passage", "0", "--memory-limit", "0", "--unit", "sentence"]))
    assert (read.timeout, read.max_passage, read.memory_limit, read.unit) == (
        None, None, None, "sentence")


def _folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2021_规划.txt").write_text(
        "第一段讲数字经济。它推动产业升级。\n\n第二段讲绿色发展。", encoding="utf-8")
    (folder / "2022_报告.txt").write_text("人工智能赋能制造业。", encoding="utf-8")
    return folder


def test_read_corpus_takes_options_like_keywords(tmp_path):
    folder = _folder(tmp_path)
    by_keywords = read_corpus(folder, unit="sentence", max_passage=None)
    by_options = read_corpus(folder, options=ReadOptions(unit="sentence", max_passage=None))
    assert by_options.passages.equals(by_keywords.passages)
    assert by_options.documents.equals(by_keywords.documents)
    assert len(by_options.passages) == 4


def test_read_corpus_refuses_options_and_keywords_together(tmp_path):
    folder = _folder(tmp_path)
    with pytest.raises(OptionError, match="not both.*unit"):
        read_corpus(folder, unit="sentence", options=ReadOptions())
    with pytest.raises(OptionError, match="ReadOptions"):
        read_corpus(folder, options={"unit": "sentence"})
