"""The page furniture of the 2026 provincial scrapes, listed by hand (not from boilerplate.yaml).

Used to build the hand-cleaned texts the boilerplate rules are checked against.
"""

from __future__ import annotations

import re

#: Written by hand from reading the scraped pages, independently of boilerplate.yaml.
FURNITURE = {"下载", "打印", "全屏", "收藏", "【字号：", "加大", "还原", "减小", "】",
             "相关报道：", "分享:", "首页", ">", "政府信息公开", "扫一扫在手机打开当前页",
             "来源：", "时间："}
FURNITURE_LINE = re.compile(r"来源：.+|时间：.+|\d{4}-\d\d-\d\d \d\d:\d\d|.*记者 ?\S+ ?\S* ?摄"
                            r"|.*日报记者 \S+")


def by_hand(text: str) -> str:
    """``text`` without the furniture lines, a label line's value and breadcrumb items."""
    lines = text.split("\n")
    kept, skip = [], False
    for index, line in enumerate(lines):
        stripped = line.strip()
        if skip:
            skip = False
            continue
        if stripped in ("来源：", "时间："):
            skip = True
        previous = lines[index - 1].strip() if index else ""
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        breadcrumb = ">" in (previous, following) and len(stripped) <= 12
        if stripped in FURNITURE or FURNITURE_LINE.fullmatch(stripped) or breadcrumb:
            continue
        kept.append(line)
    return "\n".join(kept)
