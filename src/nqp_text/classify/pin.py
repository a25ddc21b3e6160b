"""The shipped default model is pinned; other models are trusted for integrity only.

A model's ``manifest.json`` records the SHA-256 of every file and of itself, so
loading proves the files are those the manifest describes (*integrity*). It
cannot prove who wrote them (*authenticity*): whoever can write a model folder
can write a matching manifest too. For the model nqp_text ships, the expected
manifest hash is therefore pinned in the package, in
``classify/data/default_model_pin.json``; a default model whose manifest hash
differs fails to load (:class:`~nqp_text.classify.persist.ModelError`).

Any other model directory loads as before. When the folder or one of its files
can be written by other users (group- or world-writable, or owned by someone
else) a :class:`~nqp_text.classify.persist.ModelWarning` says so, once per
process and folder: its hash proves integrity, not who made it. Otherwise a
note is logged (logger ``nqp_text.classify``, level INFO), once per folder.

After re-training the shipped model, re-pin it (a test fails until then)::

    python -m nqp_text.classify.pin

Example:
    >>> from nqp_text.classify.pin import pinned_default_hash
    >>> len(pinned_default_hash())
    64
"""

from __future__ import annotations

import json
import logging
import os
import stat
import warnings
from pathlib import Path

from nqp_text._atomic import atomic_write_text

PIN_FILE = Path(__file__).with_name("data") / "default_model_pin.json"
#: The command that re-pins the shipped model (printed by the pin test and errors).
UPDATE_COMMAND = "python -m nqp_text.classify.pin"
_NOTED: set[str] = set()
_LOG = logging.getLogger("nqp_text.classify")


def pinned_default_hash() -> str:
    """The ``manifest_sha256`` the shipped default model must have."""
    return str(json.loads(PIN_FILE.read_text(encoding="utf-8"))["manifest_sha256"])


def is_default_dir(directory: str | os.PathLike[str]) -> bool:
    """Whether ``directory`` is the shipped model's folder (by resolved path)."""
    from nqp_text.classify.persist import default_model_dir

    try:
        return Path(directory).resolve() == default_model_dir().resolve()
    except OSError:
        return False


def check_manifest_hash(directory: str | os.PathLike[str], manifest_sha256: str) -> None:
    """Refuse a tampered default model; note once that other models prove integrity only.

    Called by :func:`nqp_text.classify.persist.read_manifest` once the manifest's
    own hash is checked.
    """
    from nqp_text.classify.persist import ModelError, ModelWarning

    if is_default_dir(directory):
        expected = pinned_default_hash()
        if manifest_sha256 != expected:
            raise ModelError(
                f"{Path(directory) / 'manifest.json'}: the shipped default model's manifest "
                f"hash {manifest_sha256[:16]}… is not the one pinned in this nqp_text "
                f"({expected[:16]}…): its files were replaced, refusing to load. Reinstall "
                f"nqp_text; if you re-trained the model on purpose, re-pin it with "
                f"`{UPDATE_COMMAND}`.")
        return
    key = str(Path(directory).resolve())
    if key in _NOTED:
        return
    _NOTED.add(key)
    shared = _writable_by_others(Path(directory))
    message = (f"{directory}: the model's hashes prove its files are intact, not who made them; "
               "load models only from folders you trust")
    if shared:
        warnings.warn(f"{message} ({shared})", ModelWarning, stacklevel=3)
    else:
        _LOG.info(message)


def _writable_by_others(directory: Path) -> str | None:
    """Why someone else could have written the model in ``directory``, else ``None``."""
    uid = os.getuid() if hasattr(os, "getuid") else None
    for path in [directory, *sorted(p for p in directory.iterdir() if p.is_file())]:
        info = path.stat()
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return f"{path.name} is writable by other users"
        if uid is not None and info.st_uid != uid and info.st_uid != 0:
            return f"{path.name} belongs to another user (uid {info.st_uid})"
    return None


def update_pin() -> str:
    """Pin the shipped model's current manifest hash (after re-training it); return it."""
    import hashlib

    from nqp_text.classify.persist import ModelError, canonical_json, default_model_dir

    path = default_model_dir() / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    digest = str(manifest.pop("manifest_sha256", None))
    if hashlib.sha256(canonical_json(manifest)).hexdigest() != digest:
        raise ModelError(f"{path}: its own hash does not match; re-train the model, then pin it")
    atomic_write_text(PIN_FILE, json.dumps({
        "manifest_sha256": digest,
        "update_with": UPDATE_COMMAND,
    }, indent=2, sort_keys=True) + "\n")
    return digest


def main() -> None:
    """``python -m nqp_text.classify.pin``: re-pin the shipped model after re-training it."""
    from nqp_text.classify.persist import default_model_dir, read_manifest

    digest = update_pin()
    read_manifest(default_model_dir())  # its own hash verified, and now the pin
    print(f"pinned the default model's manifest hash {digest} in {PIN_FILE}")


if __name__ == "__main__":
    main()
