"""Segmenter on our own small texts: lexicon terms whole, special terms, options,
independence from jieba's global tokenizer, pickling, config hash, pipe."""

from __future__ import annotations

import importlib.util
import pickle
from collections.abc import Iterator
from pathlib import Path

import jieba
import pytest

from nqp_text.segment._matcher import TermMatcher
from nqp_text.segment.segmenter import Segmenter

SAMPLES = [
    "加快发展新质生产力，提高全要素生产率。",
    "培育数据要素市场，做强做优做大数字经济，前瞻布局未来产业。",
    "  空格 \t制表\n换行\r\n和全角　空格 ",
    "推进5G基站、6G研发和“人工智能+”行动，发展B2B电商。",
    "互联网＋行动计划与ＡＩ+应用；PM2.5浓度下降3.5%。",
    "",
    "English words mixed, MAIL 15G and 2024年",
]


@pytest.fixture(scope="module")
def seg() -> Iterator[Segmenter]:
    with Segmenter() as segmenter:  # ends the worker processes pipe() keeps
        yield segmenter


@pytest.mark.parametrize("text", SAMPLES)
def test_cut_joins_back_to_the_text(seg: Segmenter, text: str) -> None:
    assert "".join(seg.cut(text)) == text
    assert "".join(word for word, _tag in seg.cut_with_pos(text)) == text


@pytest.mark.parametrize("term", ["新质生产力", "全要素生产率", "数据要素", "数字经济", "未来产业"])
def test_terms_raw_jieba_splits_are_one_token(seg: Segmenter, term: str) -> None:
    text = f"我们要{term}。"
    assert term not in jieba.Tokenizer().lcut(text)  # raw jieba splits it ...
    assert term in seg.cut(text)  # ... the Segmenter keeps it whole


@pytest.mark.parametrize(("text", "term"), [
    ("建设5G基站", "5G基站"), ("布局6G网络", "6G"), ("开展B2B交易", "B2B"),
    ("实施人工智能+行动", "人工智能+"), ("推动AI+制造", "AI+"),
    ("互联网+政务服务", "互联网+政务服务"),
    ("互联网＋行动", "互联网＋行动"), ("５Ｇ基站", "５Ｇ基站"), ("部署5G-A网络", "5G-A"),
    ("推广Wi-Fi覆盖", "Wi-Fi"), ("PM2.5浓度", "PM2.5"), ("5G+工业互联网项目", "5G+工业互联网"),
])
def test_special_terms_jieba_would_split_are_whole(seg: Segmenter, text: str, term: str) -> None:
    assert term in seg.cut(text)


@pytest.mark.parametrize("term", ["碳达峰·碳中和", "Wi-Fi 7", "100%国产化", "数据要素 × 行动"])
def test_user_terms_with_dot_space_percent_are_whole(term: str) -> None:
    seg = Segmenter().add_words([term])
    text = f"推进{term}工作"
    assert term in seg.cut(text)
    assert "".join(seg.cut(text)) == text


def test_ascii_terms_match_only_at_letter_digit_boundaries(seg: Segmenter) -> None:
    assert "5G" not in seg.cut("容量15G")
    assert "AI" not in seg.cut("MAIL")
    assert "AI" in seg.cut("发展AI技术")


def test_overlapping_terms_are_resolved_leftmost_longest() -> None:
    seg = Segmenter(lexicon=["产业数字化", "数字化转型", "数字经济", "数字经济核心产业"])
    assert seg.cut("产业数字化转型")[:1] == ["产业数字化"]
    assert seg.cut("数字经济核心产业") == ["数字经济核心产业"]
    assert TermMatcher(["甲乙", "乙丙丁", "甲乙丙丁戊"]).find("甲乙丙丁己") == ["甲乙"]


def test_two_segmenters_with_different_lexicons_coexist() -> None:
    text = "我们研究量子纠缠态和星链计划"
    first = Segmenter(lexicon=["量子纠缠态"])
    second = Segmenter(lexicon=["星链计划"])
    assert "量子纠缠态" in first.cut(text) and "星链计划" not in first.cut(text)
    assert "星链计划" in second.cut(text) and "量子纠缠态" not in second.cut(text)
    assert "量子纠缠态" in first.cut(text)  # unchanged after the second one was used


def test_global_jieba_tokenizer_is_untouched(seg: Segmenter) -> None:
    seg.cut("新质生产力和具身智能")
    seg.add_words(["全新测试术语甲"])
    assert "全新测试术语甲" not in jieba.dt.FREQ
    assert not jieba.dt.FREQ.get("具身智能")


def test_backend_owns_a_private_tokenizer_with_cache_outside_tmp(seg: Segmenter) -> None:
    seg.cut("测试")
    tokenizer = seg._backend.tokenizer
    assert tokenizer is not jieba.dt
    assert tokenizer.tmp_dir and not tokenizer.tmp_dir.startswith("/tmp")


def test_tokens_filters_stopwords_punctuation_numbers_single_chars() -> None:
    text = "我们的2024年目标是：发展数字经济，3.5%增长和5G。"
    tokens = Segmenter().tokens(text)
    assert "数字经济" in tokens and "5G" in tokens
    assert not {"的", "我们", "：", "，", "。", "2024", "3.5%"} & set(tokens)
    assert all(len(token) > 1 for token in tokens)
    assert "2024" in Segmenter(keep_numbers=True).tokens(text)
    assert "油" not in Segmenter().tokens("粮食和油")
    assert "油" in Segmenter(keep_single_chars=True).tokens("粮食和油")


@pytest.mark.parametrize("options", [{}, {"keep_numbers": True}, {"keep_single_chars": True}])
def test_content_tokens_of_cuts_equal_tokens_of_texts(options: dict) -> None:
    segmenter = Segmenter(**options)
    cuts = [segmenter.cut(text) for text in SAMPLES]
    assert segmenter.content_tokens(cuts) == [segmenter.tokens(text) for text in SAMPLES]
    assert segmenter.content_tokens(tuple(cut) for cut in cuts) == \
        segmenter.content_tokens(cuts)


def test_policy_verbs_are_dropped_only_when_asked() -> None:
    text = "加快推进数字中国"
    assert "加快" in Segmenter().tokens(text)
    assert "加快" not in Segmenter(policy_verbs=True).tokens(text)
    assert "数字中国" in Segmenter(policy_verbs=True).tokens(text)


def test_cut_with_pos_gives_lexicon_tags(seg: Segmenter) -> None:
    pairs = dict(seg.cut_with_pos("发展数据要素市场化和5G"))
    lexicon = seg.terms
    assert pairs["数据要素市场化"] == lexicon["数据要素市场化"]
    assert pairs["5G"] == "eng"


def test_add_words_from_jieba_user_dict_and_tsv(tmp_path: Path) -> None:
    user_dict = tmp_path / "user.txt"
    user_dict.write_text("星链计划 10 nz\n量子纠缠态\n带 空格 的词 3\n", encoding="utf-8")
    seg = Segmenter(lexicon=None).add_words(user_dict)
    assert seg.terms == {"星链计划": "nz", "量子纠缠态": "nz", "带 空格 的词": "nz"}
    assert "带 空格 的词" in seg.cut("这是带 空格 的词吗")
    tsv = tmp_path / "lex.tsv"
    tsv.write_text("term\tweight\tpos\tcategory\tnote\n星链计划\t2\tnt\tmine\tmy note\n",
                   encoding="utf-8")
    assert Segmenter(lexicon=tsv).terms == {"星链计划": "nt"}
    assert Segmenter(lexicon=None).add_words([("星链计划", 5, "nt")]).terms == {"星链计划": "nt"}


def test_pickle_round_trip_drops_the_tokenizer(seg: Segmenter) -> None:
    seg.cut("预热")
    blob = pickle.dumps(seg)
    assert len(blob) < 200_000  # configuration only, no prefix dictionary
    clone = pickle.loads(blob)
    assert clone._backend_obj is None
    for text in SAMPLES:
        assert clone.cut(text) == seg.cut(text)
    assert clone.config_hash == seg.config_hash


def test_config_hash_changes_with_every_option() -> None:
    base = Segmenter()
    assert base.config_hash == Segmenter().config_hash
    variants = [
        Segmenter(lexicon=None), Segmenter(stopwords=None), Segmenter(hmm=False),
        Segmenter(policy_verbs=True), Segmenter(keep_numbers=True),
        Segmenter(keep_single_chars=True), Segmenter(stopwords=["的"]),
        Segmenter().add_words(["星链计划"]),
    ]
    if importlib.util.find_spec("rjieba"):
        variants.append(Segmenter(backend="rjieba"))
    hashes = {variant.config_hash for variant in variants}
    assert base.config_hash not in hashes and len(hashes) == len(variants)


def test_unknown_and_missing_backend_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="unknown backend"):
        Segmenter(backend="thulac")
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "rjieba" else real_find_spec(name, *a))
    with pytest.raises(ImportError, match=r'pip install "nqp-text\[fast\]"'):
        Segmenter(backend="rjieba")


def _texts(n: int) -> list[str]:
    return [f"第{i}段：加快发展新质生产力，推进{i % 7}G与数据要素市场化配置改革。" * (1 + i % 3)
            for i in range(n)]


def test_guards_stop_terms_starting_inside_common_words(seg: Segmenter) -> None:
    assert "高质量" not in seg.cut("要提高质量和效益")
    assert "极地" not in seg.cut("积极地推进改革")
    assert seg.cut("提高科技创新能力") == ["提高", "科技创新", "能力"]
    assert "高质量发展" in seg.cut("提高质量，推动高质量发展")
    assert seg.guard_words >= {"提高", "积极"}
    unguarded = Segmenter(guards=None)
    assert "高质量" in unguarded.cut("要提高质量和效益")
    assert unguarded.config_hash != seg.config_hash
    own = Segmenter(lexicon=["高质量"], guards=["提高"])
    assert own.cut("提高质量和高质量发展").count("高质量") == 1


def test_a_guard_that_is_also_a_term_is_a_term() -> None:
    matcher = TermMatcher(["提高", "高质量"], guards=["提高"])
    assert matcher.find("提高质量") == ["提高"]
    longer_guard = TermMatcher(["高质量"], guards=["提高质量标准"])
    assert longer_guard.find("提高质量标准和高质量") == ["高质量"]


def test_pipe_is_streaming_and_order_preserving(seg: Segmenter) -> None:
    texts = _texts(50)
    expected = [seg.cut(text) for text in texts]
    assert list(seg.pipe(iter(texts), batch_size=7)) == expected
    assert list(seg.pipe(texts, method="tokens", batch_size=7)) == [seg.tokens(t) for t in texts]
    with pytest.raises(ValueError, match="method"):
        list(seg.pipe(texts, method="lcut"))


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_pipe_workers_give_identical_tokens(seg: Segmenter, start_method: str) -> None:
    texts = _texts(120)
    single = list(seg.pipe(texts, workers=1, batch_size=16))
    double = list(seg.pipe((t for t in texts), workers=2, batch_size=16,
                           start_method=start_method))
    assert double == single
    pos_single = list(seg.pipe(texts[:20], method="cut_with_pos"))
    pos_double = list(seg.pipe(texts[:20], workers=2, batch_size=4, method="cut_with_pos",
                               start_method=start_method))
    assert [[tuple(p) for p in row] for row in pos_double] == pos_single


def test_rjieba_backend_applies_the_same_lexicon_and_stopwords() -> None:
    pytest.importorskip("rjieba")
    fast = Segmenter(backend="rjieba")
    reference = Segmenter()
    for text in SAMPLES:
        assert "".join(fast.cut(text)) == text
    text = "加快发展新质生产力，建设5G基站和全国统一大市场的数据要素市场。"
    assert fast.tokens(text) == reference.tokens(text)


def test_generator_arguments_are_kept_picklable() -> None:
    seg = Segmenter(lexicon=(term for term in ["星链计划"]), stopwords=iter(["的"]))
    clone = pickle.loads(pickle.dumps(seg))
    assert clone.terms == {"星链计划": "nz"} and clone.config_hash == seg.config_hash
    assert clone.tokens("星链计划的卫星") == ["星链计划", "卫星"]


def test_pipe_three_workers_and_tiny_batches_keep_order(seg: Segmenter) -> None:
    texts = _texts(200)
    expected = [seg.tokens(text) for text in texts]
    assert list(seg.pipe(texts, workers=3, batch_size=1, method="tokens")) == expected
    assert list(seg.pipe([], workers=2)) == []


def test_matcher_engines_agree_on_random_texts() -> None:
    pytest.importorskip("ahocorasick")
    import random

    rng = random.Random(7)
    alphabet = "甲乙丙丁5G"
    for _ in range(3000):
        terms = {"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4)))
                 for _ in range(rng.randint(1, 6))}
        guards = {"".join(rng.choice(alphabet) for _ in range(rng.randint(2, 4)))
                  for _ in range(rng.randint(0, 2))}
        text = "".join(rng.choice(alphabet + "５Ｇ") for _ in range(rng.randint(0, 14)))
        fast = TermMatcher(terms, engine="ahocorasick", guards=guards).spans(text)
        assert fast == TermMatcher(terms, engine="regex", guards=guards).spans(text), (
            terms, guards, text)


def test_full_width_forms_and_unknown_engine() -> None:
    matcher = TermMatcher(["互联网+", "5G"], engine="regex")
    assert matcher.find("互联网＋和５Ｇ与5Ｇ") == ["互联网＋", "５Ｇ"]  # mixed widths do not match
    with pytest.raises(ValueError, match="engine"):
        TermMatcher(["x"], engine="re2")
