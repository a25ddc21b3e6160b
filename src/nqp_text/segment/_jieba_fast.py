"""jieba's accurate mode, computed in a tighter loop: identical tokens, less time.

This runs jieba's own algorithm on jieba's own data -- the prefix dictionary
(``FREQ``, ``total``), the maximum-probability route over the word DAG with
jieba's tie-breaking (the longer word wins an exact tie), the grouping of
single characters that goes to jieba's HMM (``jieba.finalseg``), and the
block/whitespace pre-splitting of ``jieba.Tokenizer.cut``. It differs only in
how the work is done: the DAG and the route are computed in one backward pass
and word log-probabilities are memoised, instead of building a DAG dict and
calling ``log`` for every edge; and the HMM's Viterbi pass (:func:`hmm_cut`)
keeps back-pointers in four local variables per character instead of dicts of
paths, with jieba's sums in jieba's order and its tie-breaking.
``tests/test_segment_shared.py`` checks that the tokens equal
``jieba.Tokenizer.cut`` on every government-report paragraph, with and without
HMM, and ``tests/test_segment_hmm.py`` that :func:`hmm_cut` equals
``jieba.finalseg.cut``.

Example:
    >>> import jieba
    >>> tokenizer = jieba.Tokenizer(); tokenizer.initialize()  # doctest: +SKIP
    >>> FastJiebaCut(tokenizer.FREQ, tokenizer.total).cut("我们在北京", hmm=True)  # doctest: +SKIP
    ['我们', '在', '北京']
"""

from __future__ import annotations

from math import log

from jieba import finalseg, re_eng, re_han_default, re_skip_default

_UNSEEN = object()


class FastJiebaCut:
    """Accurate-mode cutting over a jieba prefix dictionary (``FREQ``, ``total``)."""

    def __init__(self, freq: dict[str, int], total: int) -> None:
        self._freq = freq
        self._log_total = log(total)
        self._logp: dict[str, float | None] = {}

    def _route(self, sentence: str) -> list[int]:
        """For each start index, the end index (exclusive) of the best word there."""
        freq = self._freq
        # ``logp``: the prefixes seen so far -> the word's log-probability, ``None`` for a
        # prefix that is no word (count 0); one lookup for a known prefix instead of three
        logp = self._logp
        log_total = self._log_total
        n = len(sentence)
        score = [0.0] * (n + 1)
        end = [0] * (n + 1)
        for idx in range(n - 1, -1, -1):
            best = 0.0
            best_end = -1
            stop = idx + 1
            frag = sentence[idx]
            while True:
                word_logp = logp.get(frag, _UNSEEN)
                if word_logp is _UNSEEN:
                    count = freq.get(frag)
                    if count is None:
                        break
                    word_logp = logp[frag] = log(count) - log_total if count else None
                if word_logp is not None:
                    candidate = word_logp + score[stop]
                    if best_end < 0 or candidate >= best:
                        best = candidate
                        best_end = stop
                if stop >= n:
                    break
                stop += 1
                frag = sentence[idx:stop]
            if best_end < 0:  # no dictionary word starts here: the character alone
                best = (log(freq.get(sentence[idx]) or 1) - log_total) + score[idx + 1]
                best_end = idx + 1
            score[idx] = best
            end[idx] = best_end
        return end

    def _cut_block_hmm(self, sentence: str, out: list[str]) -> None:
        end = self._route(sentence)
        freq = self._freq
        n = len(sentence)
        x = 0
        buf = ""
        while x < n:
            y = end[x]
            if y - x == 1:
                buf += sentence[x]
            else:
                if buf:
                    self._flush(buf, out, freq)
                    buf = ""
                out.append(sentence[x:y])
            x = y
        if buf:
            self._flush(buf, out, freq)

    @staticmethod
    def _flush(buf: str, out: list[str], freq: dict[str, int]) -> None:
        if len(buf) == 1:
            out.append(buf)
        elif not freq.get(buf):
            out.extend(hmm_cut(buf))
        else:
            out.extend(buf)

    def _cut_block_no_hmm(self, sentence: str, out: list[str]) -> None:
        end = self._route(sentence)
        n = len(sentence)
        x = 0
        buf = ""
        while x < n:
            y = end[x]
            word = sentence[x:y]
            if y - x == 1 and re_eng.match(word):
                buf += word
            else:
                if buf:
                    out.append(buf)
                    buf = ""
                out.append(word)
            x = y
        if buf:
            out.append(buf)

    def cut(self, sentence: str, hmm: bool = True) -> list[str]:
        """Tokens of ``sentence``, equal to ``list(jieba.Tokenizer.cut(sentence, HMM=hmm))``."""
        cut_block = self._cut_block_hmm if hmm else self._cut_block_no_hmm
        out: list[str] = []
        for block in re_han_default.split(sentence):
            if not block:
                continue
            if re_han_default.match(block):
                cut_block(block, out)
            else:
                for piece in re_skip_default.split(block):
                    if re_skip_default.match(piece):
                        out.append(piece)
                    else:
                        out.extend(piece)
        return out


def hmm_cut(sentence: str) -> list[str]:
    """``list(jieba.finalseg.cut(sentence))``: jieba's HMM for unknown words, same tokens.

    Example:
        >>> hmm_cut("韩冰在读书")  # doctest: +SKIP
    """
    out: list[str] = []
    for block in finalseg.re_han.split(sentence):
        if finalseg.re_han.match(block):
            forced = finalseg.Force_Split_Words
            for word in _viterbi_words(block):
                if word in forced:
                    out.extend(word)
                else:
                    out.append(word)
        else:
            out.extend(piece for piece in finalseg.re_skip.split(block) if piece)
    return out


def _viterbi_words(sentence: str) -> list[str]:
    """The words of ``finalseg``'s Viterbi path over ``sentence`` (a run of Han characters).

    Same arithmetic as ``finalseg.viterbi`` (``previous + transition + emission``,
    left to right) and the same choice on ties (``max`` over ``(probability, state)``
    tuples: the later state letter wins), with back-pointers instead of path lists.
    """
    minimum = finalseg.MIN_FLOAT
    start, trans, emit = finalseg.start_P, finalseg.trans_P, finalseg.emit_P
    e_b, e_m, e_e, e_s = emit["B"], emit["M"], emit["E"], emit["S"]
    t_eb, t_sb = trans["E"].get("B", minimum), trans["S"].get("B", minimum)
    t_mm, t_bm = trans["M"].get("M", minimum), trans["B"].get("M", minimum)
    t_ss, t_es = trans["S"].get("S", minimum), trans["E"].get("S", minimum)
    t_be, t_me = trans["B"].get("E", minimum), trans["M"].get("E", minimum)
    first = sentence[0]
    v_b = start["B"] + e_b.get(first, minimum)
    v_m = start["M"] + e_m.get(first, minimum)
    v_e = start["E"] + e_e.get(first, minimum)
    v_s = start["S"] + e_s.get(first, minimum)
    back: list[tuple[str, str, str, str]] = []  # previous state of B, M, E, S at each step
    for char in sentence[1:]:
        em = e_b.get(char, minimum)
        p1, p2 = v_e + t_eb + em, v_s + t_sb + em  # B after E or S
        n_b, f_b = (p2, "S") if p2 >= p1 else (p1, "E")
        em = e_m.get(char, minimum)
        p1, p2 = v_m + t_mm + em, v_b + t_bm + em  # M after M or B
        n_m, f_m = (p2, "B") if p2 > p1 else (p1, "M")
        em = e_e.get(char, minimum)
        p1, p2 = v_b + t_be + em, v_m + t_me + em  # E after B or M
        n_e, f_e = (p2, "M") if p2 >= p1 else (p1, "B")
        em = e_s.get(char, minimum)
        p1, p2 = v_s + t_ss + em, v_e + t_es + em  # S after S or E
        n_s, f_s = (p2, "E") if p2 > p1 else (p1, "S")
        v_b, v_m, v_e, v_s = n_b, n_m, n_e, n_s
        back.append((f_b, f_m, f_e, f_s))
    state = "S" if v_s >= v_e else "E"
    states = [state]
    column = {"B": 0, "M": 1, "E": 2, "S": 3}
    for pointers in reversed(back):
        state = pointers[column[state]]
        states.append(state)
    states.reverse()
    words: list[str] = []
    begin = following = 0
    for i, pos in enumerate(states):
        if pos == "B":
            begin = i
        elif pos == "E":
            words.append(sentence[begin:i + 1])
            following = i + 1
        elif pos == "S":
            words.append(sentence[i])
            following = i + 1
    if following < len(sentence):
        words.append(sentence[following:])
    return words
