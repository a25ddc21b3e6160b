"""The shipped default model's manifest hash is pinned; other models prove integrity only."""

from __future__ import annotations

import json
import logging
import os
import shutil
import warnings
from pathlib import Path

import pytest

from nqp_text.classify import persist, pin
from nqp_text.classify.persist import ModelError, ModelWarning, load_model, read_manifest


def test_the_pin_is_the_shipped_model() -> None:
    manifest = persist.default_model_dir() / "manifest.json"
    shipped = json.loads(manifest.read_text(encoding="utf-8"))["manifest_sha256"]
    assert shipped == pin.pinned_default_hash(), (
        "the shipped model in classify/models/default was re-trained but not re-pinned: "
        f"run `{pin.UPDATE_COMMAND}` and commit classify/data/default_model_pin.json")
    assert read_manifest(persist.default_model_dir())["manifest_sha256"] == shipped


def test_a_consistent_but_replaced_default_model_is_refused(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    model = load_model("default")
    model.coef_ = -model.coef_  # negated weights, with a manifest that matches them
    replaced = persist.save_model(model, tmp_path / "default")
    assert load_model(str(replaced)).categories_ == model.categories_
    monkeypatch.setattr(persist, "default_model_dir", lambda: replaced)
    with pytest.raises(ModelError, match="not the one pinned") as info:
        load_model("default")
    assert pin.UPDATE_COMMAND in str(info.value)
    assert str(replaced / "manifest.json") in str(info.value)


def test_other_models_warn_only_when_others_can_write_them(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    private = tmp_path / "private"
    shutil.copytree(persist.default_model_dir(), private)
    for path in [private, *private.iterdir()]:
        os.chmod(path, 0o700 if path.is_dir() else 0o600)
    shared = tmp_path / "shared"
    shutil.copytree(private, shared)
    os.chmod(shared / "arrays.npz", 0o666)

    with caplog.at_level(logging.INFO, logger="nqp_text.classify"), \
            warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        read_manifest(private)
        read_manifest(private)  # once per process and folder
        read_manifest(shared)
        read_manifest(shared)
    notes = [r.getMessage() for r in caplog.records if "intact, not who made them" in r.message]
    assert notes == [f"{private}: the model's hashes prove its files are intact, not who made "
                     "them; load models only from folders you trust"]
    found = [str(w.message) for w in caught if issubclass(w.category, ModelWarning)]
    assert len(found) == 1 and "arrays.npz is writable by other users" in found[0]
    assert str(shared) in found[0]
