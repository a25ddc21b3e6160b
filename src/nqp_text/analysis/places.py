"""Place names, to keep them out of topic and keyness vocabularies.

On a corpus of regions (the work reports of the provinces) what separates one
document from another is first of all its place names: 广西, 南宁, 东盟, 全区,
我区 … A topic model or a keyness table over such a corpus then finds places,
not policy themes. :func:`place_terms` says which terms of a vocabulary are
places, from two sources:

* the shipped gazetteer ``analysis/data/places.tsv``: provinces, every
  prefecture-level division and their short forms, literary names and parts of
  provinces, multi-province regions, and the administrative words that mark the
  level of government (全省, 全区, 我市, 省委, 自治区 …); one-character
  abbreviations (京, 沪 …) are listed but not used, since 新, 青 … are also words;
* jieba's own dictionary, whose part-of-speech tag ``ns`` (place name) covers
  rivers, mountains, districts and foreign places the gazetteer does not list.
  The tag is noisy (jieba tags 城市, 美丽, 海洋, 宜居 … as ``ns``), so the
  ordinary words it tags are listed in ``analysis/data/not_places.txt`` and never
  count as places; nor does any term of the domain lexicon (a 新质生产力 term is
  a theme even when it names a place) unless the gazetteer lists it.

Counts, trends and KWIC never use this: only the topic model and keyness drop
these terms from their vocabularies (``keep_places=True`` keeps them).

Example:
    >>> sorted(place_terms(["广西", "南宁市", "全区", "数据要素", "城市", "新"]))
    ['全区', '南宁市', '广西']
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from importlib import resources

import pandas as pd

#: Gazetteer kinds not applied by default: one-character abbreviations.
UNUSED_KINDS = frozenset({"province_abbreviation"})
PLACE_COLUMNS = ["term", "kind", "province"]


def _data(name: str) -> str:
    return resources.files("nqp_text.analysis").joinpath("data", name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def gazetteer() -> pd.DataFrame:
    """The shipped gazetteer: ``term, kind, province`` (see ``data/places.tsv``'s header).

    Example:
        >>> gazetteer().query("term == '南宁市'")[["kind", "province"]].values.tolist()
        [['prefecture', '广西']]
    """
    rows = []
    for number, line in enumerate(_data("places.tsv").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or not fields[0]:
            raise ValueError(f"places.tsv line {number}: expected term<TAB>kind<TAB>province, "
                             f"got {line!r}")
        rows.append(fields)
    return pd.DataFrame(rows, columns=PLACE_COLUMNS)


@functools.lru_cache(maxsize=1)
def _gazetteer_terms() -> frozenset[str]:
    table = gazetteer()
    return frozenset(table.loc[~table["kind"].isin(UNUSED_KINDS), "term"])


@functools.lru_cache(maxsize=1)
def not_places() -> frozenset[str]:
    """Ordinary words jieba's dictionary tags ``ns`` (``data/not_places.txt``)."""
    return frozenset(line.strip() for line in _data("not_places.txt").splitlines()
                     if line.strip() and not line.startswith("#"))


@functools.lru_cache(maxsize=1)
def jieba_place_names() -> frozenset[str]:
    """Words of two or more characters that jieba's main dictionary tags ``ns``.

    Read from the dictionary file jieba ships (``dict.txt``: word, frequency,
    tag per line), not by tagging text, so it costs one pass over the file and
    does not depend on context.
    """
    import jieba

    with jieba.get_dict_file() as handle:
        text = handle.read().decode("utf-8")
    names = set()
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3 and fields[2] == "ns" and len(fields[0]) >= 2:
            names.add(fields[0])
    return frozenset(names)


@functools.lru_cache(maxsize=1)
def _lexicon_terms() -> frozenset[str]:
    from nqp_text.analysis.vocabulary import lexicon_table

    return frozenset(lexicon_table()["term"])


def is_place(term: str) -> bool:
    """Whether ``term`` counts as a place name (see the module docstring)."""
    if term in _gazetteer_terms():
        return True
    return (term in jieba_place_names() and term not in not_places()
            and term not in _lexicon_terms())


def place_terms(vocabulary: Iterable[str], keep: Iterable[str] = ()) -> set[str]:
    """The terms of ``vocabulary`` that are place names, except those in ``keep``.

    ``keep``: terms that stay whatever they are (a topic model's seed terms).

    Example:
        >>> sorted(place_terms(["上海", "浦东", "长江", "科技创新"], keep=["长江"]))
        ['上海', '浦东']
    """
    kept = set(keep)
    return {term for term in vocabulary if term not in kept and is_place(term)}
