"""A small corpus written by the tests themselves (policy-style sentences of our own)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

_TEXTS = {
    "2019年数字经济工作要点.txt": (
        "一、总体要求\n\n加快发展数字经济，推进数字产业化和产业数字化。\n\n"
        "建设全国统一大市场，优化营商环境，推动要素市场化配置改革。\n\n"
        "培养高技能人才和大国工匠，提升全民数字素养。"
    ),
    "2021_算力基础设施建设方案.txt": (
        "统筹布局数字基础设施，建设算力枢纽，实施东数西算工程。\n\n"
        "推动工业互联网规模化应用，发展数字经济核心产业。\n\n"
        "加强公共数据开放共享，探索数据确权和数据要素市场建设。"
    ),
    "2023年未来产业行动计划.md": (
        "培育未来产业，前瞻布局人形机器人、脑机接口、量子信息和6G。\n\n"
        "发展生成式人工智能与具身智能，打造低空经济新增长点。\n\n"
        "提高全要素生产率，以科技创新引领现代化产业体系建设。"
    ),
    "2024年新质生产力专题.txt": (
        "因地制宜发展新质生产力，推动劳动者、劳动资料、劳动对象优化组合。\n\n"
        "培育新型劳动者队伍，加快数实融合，建设现代化产业体系。\n\n"
        "深化科技体制改革，强化企业科技创新主体地位，推动高质量发展。"
    ),
}
_RECORDS = [
    {"id": "plan-2020", "year": 2020, "title": "规划甲",
     "text": "推进新型基础设施建设。\n\n加快数字经济和实体经济深度融合。"},
    {"id": "plan-2022", "year": 2022, "title": "规划乙",
     "text": "完善数据基础制度，培育数据要素市场。\n\n支持专精特新企业发展。"},
    {"id": "plan-2025", "year": 2025, "title": "规划丙",
     "text": "发展新质生产力，培育战略性新兴产业和未来产业。"},
]


def digests(out: Path) -> dict[str, str]:
    """SHA-256 of every output file of a run, except its record (manifest.json) and cache."""
    return {str(path.relative_to(out)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(out.rglob("*"))
            if path.is_file() and ".cache" not in path.relative_to(out).parts
            and path.name != "manifest.json"}


def write_corpus(folder: Path, broken: bool = True) -> Path:
    """Write the small corpus into ``folder``: four text files, one JSONL, one broken file."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in _TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    lines = [json.dumps(record, ensure_ascii=False) for record in _RECORDS]
    (folder / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if broken:
        garbage = hashlib.sha256(b"nqp").digest() * 64
        (folder / "2022年损坏文件.txt").write_bytes(b"\x00\xff\xfe" + garbage)
    return folder


def write_gov_subset(shared: Path, target: Path, n: int = 8) -> Path:
    """The first ``n`` government work reports (with a year) as a JSONL file under ``target``."""
    source = shared / "corpora" / "gov_work_reports" / "government_work_reports.jsonl"
    chosen = []
    with open(source, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("year"):
                chosen.append(line.rstrip("\n"))
            if len(chosen) == n:
                break
    target.mkdir(parents=True, exist_ok=True)
    path = target / "gov_reports.jsonl"
    path.write_text("\n".join(chosen) + "\n", encoding="utf-8")
    return path


def sample_two_years(tmp_path_factory: Any) -> Path:
    """A copy of the bundled sample's 2024 and 2025 documents (one five-year period);
    skips the calling test on a machine without a CJK font (the report needs one)."""
    import pytest

    from nqp_text.viz.fonts import CJKFontNotFoundError, find_cjk_font

    try:
        find_cjk_font()
    except CJKFontNotFoundError as error:
        pytest.skip(f"no CJK font: {error}")
    sample = Path(__file__).resolve().parents[1] / "corpora" / "sample"
    corpus = Path(tmp_path_factory.mktemp("corpus"))
    for path in sorted(sample.iterdir()):
        if path.name.startswith(("2024_", "2025_")):
            shutil.copy(path, corpus / path.name)
    return corpus
