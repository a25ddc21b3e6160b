"""How often short GBK and Big5 texts are decoded wrongly (``nqp_text.io.text.decode_bytes``).

Takes random excerpts of 3, 6, 12, 40 and 200 characters from the first 20
State Council government work reports in ``../shared`` (line breaks removed),
encodes each as GBK, and as Big5 after OpenCC's simplified-to-traditional
conversion (excerpts with a character the encoding lacks are skipped), decodes
the bytes and counts the excerpts that do not come back exactly (or are
refused). Fixed seed: the same counts every time.

Usage:
    NQP_TEXT_SHARED=../shared python benchmarks/eval_encodings.py [--per-length 300]
"""

from __future__ import annotations

import argparse
import json
import random

from nqp_text._shared import shared_dir
from nqp_text.io.errors import ReaderError
from nqp_text.io.text import decode_bytes

LENGTHS = (3, 6, 12, 40, 200)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-length", type=int, default=300)
    args = parser.parse_args()
    import opencc

    path = shared_dir() / "corpora/gov_work_reports/government_work_reports.jsonl"
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
    text = "".join(record["content"] for record in records[:20]).replace("\n", "")
    rng = random.Random(0)
    to_traditional = opencc.OpenCC("s2t").convert
    print("encoding  length  wrong / excerpts")
    for encoding, convert in (("gbk", str), ("big5", to_traditional)):
        for length in LENGTHS:
            wrong = total = 0
            for _ in range(args.per_length):
                start = rng.randrange(len(text) - length)
                excerpt = convert(text[start:start + length])
                try:
                    data = excerpt.encode(encoding)
                except UnicodeEncodeError:
                    continue
                if excerpt.isascii():
                    continue
                total += 1
                try:
                    decoded, _ = decode_bytes(data)
                except ReaderError:
                    wrong += 1
                    continue
                wrong += decoded != excerpt
            print(f"{encoding:8}  {length:6}  {wrong:5} / {total}")


if __name__ == "__main__":
    main()
