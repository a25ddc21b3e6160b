"""A user's own gold file: unknown labels name the file and line, too few documents for
the folds say which ``--cv`` works, categories no passage has are warned about."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from nqp_text.classify.gold import read_gold
from nqp_text.classify.labels import warn_label_coverage
from nqp_text.cli import main
from nqp_text.diagnostics import collect

CATEGORIES = ("labor_object", "labor_means", "labor_force", "tech_innovation",
              "factor_allocation", "industrial_upgrading")


def _write(path: Path, rows: list[tuple[str, str, list[str]]]) -> Path:
    lines = [json.dumps({"doc": doc, "text": text, "labels": labels}, ensure_ascii=False)
             for doc, text, labels in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


ROWS = [("a", "引进高层次人才团队，完善人才评价机制。", ["labor_force"]),
        ("a", "推进算力网络和千兆光网建设。", ["labor_means"]),
        ("b", "实施重大科技专项，建设全国重点实验室。", ["tech_innovation"]),
        ("b", "深化土地要素市场化改革。", ["factor_allocation"]),
        ("c", "加快新材料产业集群发展。", ["industrial_upgrading", "labor_object"]),
        ("c", "办好民生实事。", [])]


def test_unknown_label_names_file_and_line(tmp_path: Path, capsys) -> None:
    rows = list(ROWS)
    rows[3] = ("b", rows[3][1], ["技术创新"])
    path = _write(tmp_path / "mine.jsonl", rows)
    with pytest.raises(ValueError, match=r"mine\.jsonl:4: unknown label '技术创新'; known: "):
        read_gold(path, CATEGORIES)
    assert len(read_gold(path)) == 6                      # without categories: not checked
    assert main(["evaluate", str(path), "--model", "dictionary"]) == 4
    assert "mine.jsonl:4: unknown label '技术创新'" in capsys.readouterr().err
    assert main(["train", str(path), "--out", str(tmp_path / "m"), "--cv", "0"]) == 4
    assert "mine.jsonl:4: unknown label" in capsys.readouterr().err
    assert not (tmp_path / "m").exists()


def test_fewer_documents_than_folds_says_which_cv_works(tmp_path: Path, capsys) -> None:
    path = _write(tmp_path / "mine.jsonl", ROWS)
    with pytest.raises(SystemExit):
        main(["train", str(path), "--out", str(tmp_path / "m")])
    assert "--cv 5 needs at least 5 documents (field doc), the gold passages have 3: use " \
           "--cv 3 or fewer, or --cv 0" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["evaluate", str(path), "--model", "dictionary", "--cv", "4"])
    assert "the gold passages have 3" in capsys.readouterr().err


def test_evaluate_warns_that_categories_without_passages_cap_macro_f1(tmp_path: Path,
                                                                      capsys) -> None:
    path = _write(tmp_path / "one.jsonl", [(d, t, ["tech_innovation"]) for d, t, _ in ROWS])
    assert main(["evaluate", str(path), "--model", "dictionary", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["pooled"]["macro_f1"] <= 1 / 6
    assert ("no passage of 6 is labelled labor_object, labor_means, labor_force, "
            "factor_allocation, industrial_upgrading") in captured.err
    assert "macro-F1 (the mean over 6 categories) is at most 0.167" in captured.err
    complete = _write(tmp_path / "all.jsonl", ROWS)
    assert main(["evaluate", str(complete), "--model", "dictionary"]) == 0
    assert "no passage of" not in capsys.readouterr().err


def test_coverage_messages_for_training() -> None:
    truth = np.array([[1, 0, 0], [1, 1, 0]])
    with collect() as found:
        messages = warn_label_coverage(truth, ["a", "b", "c"], stage="train")
    assert [d.kind for d in found] == ["gold_coverage", "gold_coverage"]
    assert messages[0].startswith("no passage of 2 is labelled c: ")
    assert "never predicts it" in messages[0]
    assert messages[1].startswith("every passage of 2 is labelled a: ")
    with collect() as found:
        assert warn_label_coverage(np.array([[1, 0], [0, 1]]), ["a", "b"], stage="train") == []
    assert not found.items


def test_training_on_one_category_is_an_error_naming_the_file(tmp_path: Path, capsys) -> None:
    path = _write(tmp_path / "one.jsonl", [(d, t, ["tech_innovation"]) for d, t, _ in ROWS])
    assert main(["train", str(path), "--out", str(tmp_path / "m"), "--cv", "0"]) == 4
    err = capsys.readouterr().err
    assert "one.jsonl: no category has both labelled and unlabelled passages among the 6 " \
           "training passages (every passage is labelled tech_innovation; none is labelled " \
           "labor_object, labor_means, labor_force, factor_allocation, " \
           "industrial_upgrading)" in err
    assert not (tmp_path / "m").exists()


def test_training_without_a_category_warns_once_naming_it(tmp_path: Path, capsys) -> None:
    rows = [row for row in ROWS if row[2] != ["factor_allocation"]]
    path = _write(tmp_path / "five.jsonl", rows)
    assert main(["train", str(path), "--out", str(tmp_path / "m"), "--cv", "3"]) == 0
    err = capsys.readouterr().err
    assert err.count("no passage of 5 is labelled factor_allocation") == 1
    assert "five.jsonl: no passage of 5 is labelled factor_allocation: the model gets a " \
           "constant score there and never predicts it" in err
    assert "no passage of 3" not in err and "no passage of 4" not in err   # not per fold


def test_python_fit_warns_about_a_category_without_both_classes() -> None:
    from nqp_text.classify import FrameworkClassifier
    from nqp_text.diagnostics import NqpWarning
    from nqp_text.errors import InputError

    rows = [row for row in ROWS if row[2] != ["factor_allocation"]]
    texts, labels = [t for _, t, _ in rows], [lab for _, _, lab in rows]
    model = FrameworkClassifier(min_df=1, calibration_folds=0)
    with pytest.warns(NqpWarning, match=r"no passage of 5 is labelled factor_allocation"):
        model.fit(texts, labels)
    with collect() as found:
        model.fit([t for _, t, _ in ROWS], [lab for _, _, lab in ROWS])
    assert not found.items
    with pytest.raises(InputError, match=r"no category has both labelled and unlabelled "
                                         r"passages among the 5 training passages \(none is "
                                         r"labelled labor_object, "):
        model.fit(texts, [[]] * len(texts))


def test_train_model_names_the_gold_file(tmp_path: Path) -> None:
    from nqp_text.classify.training import train_model

    rows = [row for row in ROWS if row[2] != ["labor_means"]]
    path = _write(tmp_path / "mine.jsonl", rows)
    with collect() as found:
        train_model([str(path)], tmp_path / "m", cv=0, params={"calibration_folds": 0,
                                                                "min_df": 1})
    assert [(d.kind, d.files) for d in found] == [("gold_coverage", (str(path),))]
    assert "is labelled labor_means" in found.items[0].message


def test_cross_validation_without_documents_warns(tmp_path: Path, capsys) -> None:
    plain = tmp_path / "plain.jsonl"
    plain.write_text("".join(json.dumps({"text": t, "labels": labels}, ensure_ascii=False) + "\n"
                             for _, t, labels in ROWS), encoding="utf-8")
    assert main(["evaluate", str(plain), "--model", "dictionary", "--cv", "3"]) == 0
    err = capsys.readouterr().err
    assert "plain.jsonl: no 'doc' (or 'id') field" in err and "3-fold figures are optimistic" in err
    assert main(["evaluate", str(plain), "--model", "dictionary"]) == 0     # no CV: nothing
    assert "no 'doc'" not in capsys.readouterr().err
    with_doc = _write(tmp_path / "docs.jsonl", ROWS)
    assert main(["evaluate", str(with_doc), "--model", "dictionary", "--cv", "3"]) == 0
    assert "no 'doc'" not in capsys.readouterr().err


def test_gold_files_as_editors_save_them(tmp_path: Path, capsys) -> None:
    plain = _write(tmp_path / "plain.jsonl", ROWS)
    text = plain.read_text(encoding="utf-8")
    bom = tmp_path / "bom.jsonl"                     # Notepad's UTF-8 starts with a BOM
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert read_gold(bom)["text"].tolist() == read_gold(plain)["text"].tolist()
    separator = _write(tmp_path / "sep.jsonl", [("a", "第一句\u2028第二句\x85第三句", [])])
    assert read_gold(separator)["text"].tolist() == ["第一句\u2028第二句\x85第三句"]
    gbk = tmp_path / "gbk.jsonl"
    gbk.write_bytes(text.encode("gbk"))
    assert main(["evaluate", str(gbk), "--model", "dictionary"]) == 4
    assert "gbk.jsonl: not UTF-8 (byte " in capsys.readouterr().err
    array = tmp_path / "array.json"
    array.write_text(json.dumps([json.loads(line) for line in text.splitlines()],
                                ensure_ascii=False, indent=1), encoding="utf-8")
    with pytest.raises(ValueError, match=r"array\.json:1: not valid JSON .*one JSON array .* "
                                         r"JSON Lines: one object per line"):
        read_gold(array)


def test_evaluate_warns_per_domain_and_shows_no_gold_as_na(tmp_path: Path, capsys) -> None:
    national = _write(tmp_path / "nat.jsonl", ROWS)
    provincial = _write(tmp_path / "prov.jsonl", [("p" + d, t, labels) for d, t, labels in ROWS
                                                  if labels != ["factor_allocation"]])
    assert main(["evaluate", f"national={national}", f"provincial={provincial}",
                 "--model", "dictionary"]) == 0
    captured = capsys.readouterr()
    assert f"warning: {provincial}: no passage of the 5 of domain provincial is labelled " \
           "factor_allocation (other domains' passages are): the provincial table shows " \
           "n/a (no gold) for it" in captured.err
    assert "domain national" not in captured.err and "no passage of 11" not in captured.err
    tables = dict(part.split("\n", 1) for part in captured.out.split("\n\n") if part)
    rows = {title.split(" on ")[1].split(" ")[0]: {line.split()[0]: line
                                                   for line in body.split("\n") if line}
            for title, body in tables.items()}
    assert rows["provincial"]["factor_allocation"].split()[1:] == ["n/a", "(no", "gold)", "0"]
    assert "n/a" not in rows["national"]["factor_allocation"]
    assert "n/a" not in rows["all"]["factor_allocation"]
