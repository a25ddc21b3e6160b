"""nqp_text: mine Chinese policy and report texts.

corpus → tokens → framework labels → term / category / topic trends.
Nothing heavy is imported until a name is used.

Example:
    >>> import nqp_text
    >>> corpus = nqp_text.read_corpus(["corpora/sample"])  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import Any

from nqp_text._version import __version__ as __version__

#: Public name -> module that defines it. Each stage adds its names here.
_EXPORTS: dict[str, str] = {
    "Corpus": "nqp_text.corpus",
    "read_corpus": "nqp_text.io.reader",
    "read_pdf": "nqp_text.io.pdf",
    "corpus_quality": "nqp_text.quality",
    "quality_summary": "nqp_text.quality",
    "near_duplicates": "nqp_text.duplicates",
    "parse_report_name": "nqp_text.io.report_names",
    "find_chapters": "nqp_text.preprocess.sections",
    "normalize_text": "nqp_text.preprocess.normalize",
    "Segmenter": "nqp_text.segment.segmenter",
    "TokenCache": "nqp_text.segment.cache",
    "segment_passages": "nqp_text.segment.run",
    "segment_directory": "nqp_text.segment.run",
    "load_lexicon": "nqp_text.segment.lexicon",
    "score_sighan": "nqp_text.segment.evaluate",
    "term_frequencies": "nqp_text.analysis.frequencies",
    "category_frequencies": "nqp_text.analysis.frequencies",
    "wilson_interval": "nqp_text.analysis.frequencies",
    "count_term": "nqp_text.analysis.counting",
    "LongestMatchCounter": "nqp_text.analysis.counting",
    "DocumentTermMatrix": "nqp_text.analysis.dtm",
    "BowCorpus": "nqp_text.analysis.dtm",
    "document_term_matrix": "nqp_text.analysis.dtm",
    "kwic": "nqp_text.analysis.kwic",
    "keyness": "nqp_text.analysis.keyness",
    "emerging_terms": "nqp_text.analysis.keyness",
    "discover_phrases": "nqp_text.analysis.phrases",
    "LexiconExpander": "nqp_text.analysis.expansion",
    "expand_lexicon": "nqp_text.analysis.expansion",
    "TopicModel": "nqp_text.topics.lda",
    "fit_topics": "nqp_text.topics.lda",
    "topic_prevalence": "nqp_text.topics.lda",
    "coherence_by_k": "nqp_text.topics.coherence",
    "choose_unit": "nqp_text.topics.defaults",
    "seeded_share": "nqp_text.topics.quality",
    "category_agreement": "nqp_text.topics.quality",
    "place_terms": "nqp_text.analysis.places",
    "gazetteer": "nqp_text.analysis.places",
    "find_cjk_font": "nqp_text.viz.fonts",
    "build_report": "nqp_text.viz.report",
    "load_framework": "nqp_text.framework.model",
    "Framework": "nqp_text.framework.model",
    "DictionaryClassifier": "nqp_text.classify.dictionary",
    "FrameworkClassifier": "nqp_text.classify.supervised",
    "load_model": "nqp_text.classify.persist",
    "save_model": "nqp_text.classify.persist",
    "evaluate": "nqp_text.classify.evaluate",
    "cross_validate_grouped": "nqp_text.classify.evaluate",
    "cross_validate_domains": "nqp_text.classify.evaluate",
    "load_contexts": "nqp_text.classify.contexts",
    "WordVectors": "nqp_text.classify.embeddings",
    "train_word_vectors": "nqp_text.classify.embeddings",
    "read_gold_files": "nqp_text.classify.gold",
    "train_model": "nqp_text.classify.training",
    "classify_passages": "nqp_text.classify.run",
    "read_gold": "nqp_text.classify.gold",
    "run_pipeline": "nqp_text.pipeline.run",
    "RunOptions": "nqp_text.pipeline.run",
    "Measure": "nqp_text.measures.model",
    "load_measure": "nqp_text.measures.loading",
    "measure": "nqp_text.measures.counting",
    "panel": "nqp_text.measures.panels",
    "ReadOptions": "nqp_text.io.options",
    "SegmentOptions": "nqp_text.options",
    "TopicOptions": "nqp_text.options",
    "NqpTextError": "nqp_text.errors",
    "InputError": "nqp_text.errors",
    "OptionError": "nqp_text.errors",
    "MissingInputError": "nqp_text.errors",
    "ModelError": "nqp_text.errors",
    "ModelNotFoundError": "nqp_text.errors",
    "OutputError": "nqp_text.errors",
    "CacheError": "nqp_text.errors",
    "SchedulerError": "nqp_text.errors",
    "DependencyError": "nqp_text.errors",
}

__all__ = sorted([*_EXPORTS, "__version__"])


#: Subpackages and modules reachable as attributes (``nqp_text.datasets``), imported on first use.
_SUBMODULES = frozenset({
    "analysis", "classify", "cli", "corpus", "datasets", "diagnostics", "errors", "framework", "io",
    "measures", "options", "pipeline", "preprocess", "segment", "topics", "viz",
})


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"nqp_text.{name}")
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'nqp_text' has no attribute {name!r}")
    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*__all__, *_SUBMODULES])
