"""classify stage of nqp_text: framework categories for passages.

``DictionaryClassifier`` (keywords, no training) and ``FrameworkClassifier``
(supervised, scikit-learn compatible), ``evaluate``, and pickle-free model
files (``load_model`` / ``save_model``).

Example:
    >>> import nqp_text
    >>> model = nqp_text.load_model("default")  # doctest: +SKIP
    >>> model.predict(["加快建设全国统一大市场，深化要素市场化配置改革。"])  # doctest: +SKIP
    [('factor_allocation',)]
"""

from nqp_text.classify.contexts import KeywordContexts, load_contexts
from nqp_text.classify.contexts_rulings import Rulings, load_rulings
from nqp_text.classify.dictionary import DictionaryClassifier
from nqp_text.classify.embeddings import WordVectors, train_word_vectors
from nqp_text.classify.evaluate import cross_validate_domains, cross_validate_grouped, evaluate
from nqp_text.classify.evidence import EvidenceExtractor
from nqp_text.classify.gold import read_gold, read_gold_files
from nqp_text.classify.persist import ModelError, ModelWarning, load_model, save_model
from nqp_text.classify.run import classify_directory, classify_passages
from nqp_text.classify.supervised import FrameworkClassifier
from nqp_text.classify.training import train_model

__all__ = ["DictionaryClassifier", "EvidenceExtractor", "FrameworkClassifier", "KeywordContexts",
           "ModelError", "ModelWarning", "Rulings", "WordVectors", "classify_directory",
           "classify_passages", "cross_validate_domains", "cross_validate_grouped", "evaluate",
           "load_contexts", "load_model", "load_rulings", "read_gold", "read_gold_files",
           "save_model", "train_model", "train_word_vectors"]
