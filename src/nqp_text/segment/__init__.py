"""segment stage of nqp_text: Segmenter (jieba / rjieba + policy lexicon), token cache.

Example:
    >>> from nqp_text.segment import Segmenter
    >>> Segmenter().cut("数据要素市场化配置改革")
    ['数据要素市场化配置', '改革']
"""

from nqp_text.segment.cache import TokenCache
from nqp_text.segment.evaluate import score_sighan, score_words
from nqp_text.segment.lexicon import (
    FRAMEWORK_CATEGORIES,
    OTHER_GROUPS,
    load_lexicon,
    load_wordlist,
    read_user_dict,
)
from nqp_text.segment.run import segment_directory, segment_passages
from nqp_text.segment.segmenter import Segmenter

__all__ = [
    "FRAMEWORK_CATEGORIES", "OTHER_GROUPS", "Segmenter", "TokenCache", "load_lexicon",
    "load_wordlist", "read_user_dict", "score_sighan", "score_words",
    "segment_directory", "segment_passages",
]
