"""Pickle-free model files: plain JSON and NPZ, a manifest with hashes, verified on load.

A saved :class:`~nqp_text.classify.FrameworkClassifier` is a directory:

``model.json``
    parameters, category order, the two vocabularies and the keyword rules with
    context the evidence was computed with (sorted JSON);
``arrays.npz``
    ``coef`` and ``intercept`` (float32), ``calibration`` (float32, per category the
    Platt slope and intercept of :meth:`predict_proba`), ``word_idf`` and ``char_idf`` (float64),
    ``stage`` (float32, only with ``best_sentence``: the second stage's weights),
    written as an uncompressed zip with fixed timestamps (byte-identical);
``framework.json``
    the framework the model was trained with (keywords and weights);
``segmenter.json``
    the segmenter configuration: terms with POS tags, stopwords, options;
``word_vectors.npy``, ``word_vectors.tsv``, ``word_vectors.json``
    only for a model with word-vector features: the vectors (float32 ``.npy``),
    their vocabulary and how they were trained (see
    :mod:`nqp_text.classify.embeddings`); the shipped default model lists the
    package's own vectors (:func:`word_vectors_dir`) instead of copying them;
``manifest.json``
    library versions, hashes of the lexicon, framework and training data, seed,
    cross-validated metrics, the sha256 of every file above and of itself.

Loading runs no code from the files (JSON, and ``numpy.load`` with
``allow_pickle=False``), refuses any file whose sha256 differs from the
manifest, refuses an unknown format version, and refuses a shipped default
model whose manifest hash is not the one pinned in the package
(:mod:`nqp_text.classify.pin`). The model carries its own
copy of the terms, so later edits of the package lexicon do not silently change
its tokens: loading *warns* when the package lexicon or the tokenizer
configuration differs from training time (``strict=True`` refuses instead).

Example:
    >>> from nqp_text.classify.persist import load_model, save_model
    >>> model = load_model("default")  # doctest: +SKIP
    >>> save_model(model, "my_model")  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import warnings
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nqp_text._atomic import atomic_write_bytes
from nqp_text.classify.registry import registered_model, registered_names
from nqp_text.errors import ModelError, ModelNotFoundError

PathLike = str | os.PathLike[str]

FORMAT = "nqp_text.FrameworkClassifier"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MODEL_FILES = ("model.json", "arrays.npz", "framework.json", "segmenter.json")
VECTOR_FILES = ("word_vectors.npy", "word_vectors.tsv", "word_vectors.json")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_PARAMS = ("C", "char_ngrams", "word_features", "min_df", "evidence_weight", "class_weight",
           "threshold", "max_labels", "random_state", "sentence_weight", "calibration_folds",
           "category_thresholds", "vector_weight")


class ModelWarning(UserWarning):
    """A model that loads but was built with a different lexicon or tokenizer."""


def default_model_dir() -> Path:
    """The shipped model directory (``nqp_text/classify/models/default``)."""
    return Path(str(resources.files("nqp_text.classify").joinpath("models", "default")))


def word_vectors_dir() -> Path:
    """The shipped word vectors (``nqp_text/classify/models/word_vectors``).

    word2vec trained on the unlabelled shared corpora (``word_vectors.json`` says how):
    an input that ``nqp-text train --word-vectors`` and the benchmarks can use. When
    the nested-CV selection in ``classify/data/training.yaml`` chooses word vectors,
    the shipped default model uses these very files: its manifest lists their
    hashes and :func:`stored_file` reads them from here, so the package holds one
    copy (a model saved anywhere else gets its own copy, see :func:`save_model`).

    Example:
        >>> sorted(p.name for p in word_vectors_dir().glob("word_vectors.*"))
        ['word_vectors.json', 'word_vectors.npy', 'word_vectors.tsv']
    """
    return Path(str(resources.files("nqp_text.classify").joinpath("models", "word_vectors")))


def _is_default_dir(directory: Path) -> bool:
    return directory.resolve() == default_model_dir().resolve()


def stored_file(directory: PathLike, name: str) -> Path:
    """Where a model file listed in ``directory``'s manifest is stored.

    ``directory / name``, except for the shipped default model's word-vector
    files, which are the package's own (:func:`word_vectors_dir`); either way
    the loader checks the bytes against the manifest's sha256.

    Example:
        >>> stored_file("my_model", "model.json").as_posix()
        'my_model/model.json'
    """
    directory = Path(directory)
    if name in VECTOR_FILES and _is_default_dir(directory) \
            and not (directory / name).is_file():
        return word_vectors_dir() / name
    return directory / name


def lexicon_sha256() -> str:
    """SHA-256 of the package lexicon file (``segment/data/lexicon.tsv``)."""
    from nqp_text.segment.lexicon import data_path

    return hashlib.sha256(data_path("lexicon.tsv").read_bytes()).hexdigest()


def canonical_json(data: Any, indent: int | None = None) -> bytes:
    """Deterministic UTF-8 JSON: sorted keys, fixed separators, newline at the end."""
    separators = (",", ": ") if indent else (",", ":")
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=indent,
                      separators=separators, allow_nan=False)
    return (text + "\n").encode("utf-8")


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """An ``.npz`` archive (readable by ``numpy.load``) that depends only on the arrays.

    ``numpy.savez`` stamps the current time into the zip; this writes the same
    layout with a fixed timestamp, fixed attributes, sorted names and no compression.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in sorted(arrays):
            array = np.ascontiguousarray(arrays[name])
            if array.dtype == object:
                raise TypeError(f"array {name!r} has dtype object; refusing (would need pickle)")
            member = io.BytesIO()
            np.lib.format.write_array(member, array, allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, member.getvalue())
    return buffer.getvalue()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    from nqp_text._version import __version__

    out = {"nqp_text": __version__, "python": platform.python_version()}
    for name in ("scikit-learn", "numpy", "scipy", "jieba"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "absent"
    return out


def _segmenter_state(segmenter: Any) -> dict[str, Any]:
    drop = getattr(segmenter, "dropped_words", None)
    if drop is None:
        raise TypeError("cannot save this segmenter: its stopword set is not available")
    return {
        "terms": sorted([term, pos] for term, pos in segmenter.terms.items()),
        "guards": sorted(getattr(segmenter, "guard_words", ())),
        "stopwords": sorted(drop),
        "backend": segmenter.backend,
        "hmm": bool(segmenter.hmm),
        "keep_numbers": bool(segmenter.keep_numbers),
        "keep_single_chars": bool(segmenter.keep_single_chars),
        "config_hash": segmenter.config_hash,
    }


def _segmenter_from_state(state: dict[str, Any]) -> Any:
    from nqp_text.segment import Segmenter

    lexicon = pd.DataFrame(state["terms"], columns=["term", "pos"])
    return Segmenter(lexicon=lexicon, stopwords=list(state["stopwords"]),
                     guards=list(state.get("guards", [])),  # models saved before guards: none
                     backend=state["backend"], hmm=state["hmm"],
                     keep_numbers=state["keep_numbers"],
                     keep_single_chars=state["keep_single_chars"])


def save_model(model: Any, directory: PathLike, extra: dict[str, Any] | None = None) -> Path:
    """Write a fitted FrameworkClassifier to ``directory`` (created if needed); returns it.

    ``extra`` is merged into the manifest (training data, seed, metrics...). Every
    file is written atomically and deterministically: saving the same model twice
    gives byte-identical files. A model with word vectors carries its own copy of
    them, except the shipped default model when its vectors are the package's
    (:func:`word_vectors_dir`): those are listed in its manifest, not copied.
    """
    from nqp_text.classify.supervised import FrameworkClassifier

    if not isinstance(model, FrameworkClassifier):
        raise TypeError(f"save_model saves a fitted FrameworkClassifier, got "
                        f"{type(model).__name__}")
    model._check_fitted()
    directory = Path(directory)
    vectors = getattr(model, "word_vectors_", None)
    params = {name: getattr(model, name) for name in _PARAMS}
    if params["char_ngrams"] is not None:
        params["char_ngrams"] = [int(n) for n in params["char_ngrams"]]
    structure = getattr(model, "structure_", None)
    if structure is not None:
        # Only models with the structure block name it: model.json of the others is unchanged.
        params["structure_weight"] = float(model.structure_weight)
    stage = getattr(model, "stage_", None)
    if stage is not None:
        params["best_sentence"] = True   # likewise only named when on
    if model.nb_alpha:
        # NB-LR is folded into coef (no array of its own); named only when on, too.
        params["nb_alpha"] = float(model.nb_alpha)
    word, char = model.word_space_, model.char_space_
    arrays = {
        "coef": model.coef_.astype(np.float32),
        "intercept": model.intercept_.astype(np.float32),
        "word_idf": word.idf_ if word is not None else np.zeros(0),
        "char_idf": char.idf_ if char is not None else np.zeros(0),
        "calibration": model.calibration_.astype(np.float32),
    }
    if stage is not None:
        arrays["stage"] = stage.astype(np.float32)
    if model.category_thresholds:
        arrays["thresholds"] = np.asarray(model.thresholds_, dtype=np.float64)
    contents = {
        "model.json": canonical_json({
            "format": FORMAT, "format_version": FORMAT_VERSION, "params": params,
            "categories": list(model.categories_), "n_features": int(model.n_features_),
            "word_vocabulary": word.vocabulary_ if word is not None else None,
            "char_vocabulary": char.vocabulary_ if char is not None else None,
            "contexts": model.extractor_.contexts.to_dict(),
            # Only models trained with guideline rulings name them (older model.json unchanged).
            **({"rulings": model.extractor_.rulings.to_list()}
               if len(model.extractor_.rulings) else {}),
            "word_vectors": vectors is not None,
            **({"structure_cues": structure.to_dict()} if structure is not None else {}),
        }),
        "arrays.npz": npz_bytes(arrays),
        "framework.json": canonical_json(model.framework_.to_dict(), indent=1),
        "segmenter.json": canonical_json(_segmenter_state(model.segmenter_), indent=1),
    }
    if vectors is not None:
        contents["word_vectors.npy"] = vectors.npy_bytes()
        contents["word_vectors.tsv"] = vectors.tsv_bytes()
        contents["word_vectors.json"] = vectors.info_bytes()
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "versions": _versions(),
        "lexicon_sha256": lexicon_sha256(),
        "framework_sha256": model.framework_.sha256,
        "segmenter_config_hash": model.segmenter_.config_hash,
        "files": {name: _sha256(data) for name, data in sorted(contents.items())},
    }
    manifest.update(extra or {})
    manifest.pop("manifest_sha256", None)
    manifest["manifest_sha256"] = _sha256(canonical_json(manifest))
    for name, data in contents.items():
        if name in VECTOR_FILES and _is_default_dir(directory) \
                and _same_bytes(word_vectors_dir() / name, data):
            continue  # the shipped model uses the package's vectors: one copy, same hashes
        atomic_write_bytes(directory / name, data)
    atomic_write_bytes(directory / MANIFEST, canonical_json(manifest, indent=2))
    return directory


def _same_bytes(path: Path, data: bytes) -> bool:
    return path.is_file() and path.read_bytes() == data


def read_manifest(directory: PathLike) -> dict[str, Any]:
    """The verified manifest of a model directory (its own hash checked)."""
    path = Path(directory) / MANIFEST
    if not path.is_file():
        raise ModelError(f"{path}: missing; {directory} is not a saved nqp_text model")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelError(f"{path}: not valid JSON ({error}); the manifest was modified or "
                         "corrupted, refusing to load") from None
    if not isinstance(manifest, dict):
        raise ModelError(f"{path}: the manifest must be a JSON object")
    recorded = manifest.pop("manifest_sha256", None)
    actual = _sha256(canonical_json(manifest))
    if recorded != actual:
        raise ModelError(f"{path}: content hash {actual[:16]}… does not match the recorded "
                         f"{str(recorded)[:16]}…; the manifest was modified, refusing to load")
    manifest["manifest_sha256"] = recorded
    from nqp_text.classify.pin import check_manifest_hash

    check_manifest_hash(directory, recorded)  # the shipped model's hash is pinned
    if manifest.get("format") != FORMAT:
        raise ModelError(f"{path}: format {manifest.get('format')!r} is not {FORMAT!r}")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ModelError(f"{path}: format version {manifest.get('format_version')!r} is not "
                         f"supported by this nqp_text (reads version {FORMAT_VERSION}); "
                         "re-train the model with this version")
    return manifest


def _verified_bytes(directory: Path, manifest: dict[str, Any]) -> dict[str, bytes]:
    files = manifest.get("files")
    allowed = (sorted(MODEL_FILES), sorted(MODEL_FILES + VECTOR_FILES))
    if not isinstance(files, dict) or sorted(files) not in allowed:
        raise ModelError(f"{directory / MANIFEST}: must list exactly {', '.join(MODEL_FILES)} "
                         f"(and {', '.join(VECTOR_FILES)} for a model with word vectors)")
    contents = {}
    for name in sorted(files):
        path = stored_file(directory, name)
        if not path.is_file():
            raise ModelError(f"{path}: missing model file")
        data = path.read_bytes()
        actual = _sha256(data)
        if actual != files[name]:
            raise ModelError(f"{path}: sha256 {actual[:16]}… does not match the manifest "
                             f"({str(files[name])[:16]}…); the file was modified or corrupted, "
                             "refusing to load. Restore it or re-train with `nqp-text train`.")
        contents[name] = data
    return contents


def _check_environment(directory: Path, manifest: dict[str, Any], segmenter: Any,
                       strict: bool) -> None:
    problems = []
    if manifest.get("lexicon_sha256") != lexicon_sha256():
        problems.append("the package lexicon (segment/data/lexicon.tsv) changed since this "
                        "model was trained; the model keeps using its own copy of the terms, "
                        "re-train it to use the new lexicon")
    if manifest.get("segmenter_config_hash") != segmenter.config_hash:
        versions = manifest.get("versions", {})
        problems.append(f"the tokenizer configuration differs from training time (trained "
                        f"with jieba {versions.get('jieba')}); tokens and predictions may "
                        "differ slightly")
    for problem in problems:
        if strict:
            raise ModelError(f"{directory}: {problem}")
        warnings.warn(f"{directory}: {problem}", ModelWarning, stacklevel=3)


def load_saved_model(directory: PathLike, strict: bool = False) -> Any:
    """Load a FrameworkClassifier saved by :func:`save_model`, verifying every hash."""
    from nqp_text.classify.contexts import KeywordContexts
    from nqp_text.classify.contexts_rulings import Rulings
    from nqp_text.classify.embeddings import WordVectors
    from nqp_text.classify.evidence import EvidenceExtractor
    from nqp_text.classify.features import TfidfSpace
    from nqp_text.classify.structure import StructureFeatures
    from nqp_text.classify.supervised import FrameworkClassifier
    from nqp_text.framework import FrameworkError, framework_from_dict

    directory = Path(directory)
    manifest = read_manifest(directory)
    contents = _verified_bytes(directory, manifest)
    try:
        spec = json.loads(contents["model.json"])
        framework = framework_from_dict(json.loads(contents["framework.json"]),
                                        str(directory / "framework.json"))
        segmenter = _segmenter_from_state(json.loads(contents["segmenter.json"]))
        with np.load(io.BytesIO(contents["arrays.npz"]), allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
    except (KeyError, TypeError, ValueError, FrameworkError) as error:
        raise ModelError(f"{directory}: malformed model files ({error})") from None
    _check_environment(directory, manifest, segmenter, strict)
    params = dict(spec["params"])
    if params.get("char_ngrams") is not None:
        params["char_ngrams"] = tuple(params["char_ngrams"])
    try:
        contexts = KeywordContexts(spec.get("contexts") or {})
        rulings = Rulings(spec.get("rulings") or [], framework.category_ids)
    except (TypeError, ValueError) as error:
        raise ModelError(f"{directory / 'model.json'}: {error}") from None
    vectors = None
    if spec.get("word_vectors"):
        if "word_vectors.npy" not in contents:
            raise ModelError(f"{directory}: model.json uses word vectors but the manifest "
                             "lists no word_vectors.npy / word_vectors.tsv")
        try:
            vectors = WordVectors.from_bytes(contents["word_vectors.npy"],
                                             contents["word_vectors.tsv"],
                                             contents["word_vectors.json"], str(directory))
        except ValueError as error:
            raise ModelError(str(error)) from None
    model = FrameworkClassifier(framework=framework, segmenter=segmenter, contexts=contexts,
                                rulings=rulings, word_vectors=vectors, **params)
    model.word_vectors_ = vectors
    model.structure_ = None
    if model.structure_weight:
        try:
            model.structure_ = StructureFeatures(spec["structure_cues"])
        except (KeyError, ValueError) as error:
            raise ModelError(f"{directory / 'model.json'}: structure_weight is set but the "
                             f"structure cues are missing or invalid ({error})") from None
    model.framework_ = framework
    model.extractor_ = EvidenceExtractor(framework, segmenter, contexts, rulings)
    model.segmenter_ = model.extractor_.segmenter
    model.categories_ = tuple(spec["categories"])
    if model.categories_ != framework.category_ids:
        raise ModelError(f"{directory}: model categories {model.categories_} differ from "
                         f"its framework's {framework.category_ids}")
    model.classes_ = np.array(model.categories_)
    model.word_space_ = (TfidfSpace(params["min_df"]).set_state(spec["word_vocabulary"],
                                                               arrays["word_idf"])
                         if spec["word_vocabulary"] is not None else None)
    model.char_space_ = (TfidfSpace(params["min_df"]).set_state(spec["char_vocabulary"],
                                                               arrays["char_idf"])
                         if spec["char_vocabulary"] is not None else None)
    model.coef_ = arrays["coef"].astype(np.float64)
    model.intercept_ = arrays["intercept"].astype(np.float64)
    model.n_features_ = int(spec["n_features"])
    k = len(model.categories_)
    calibration = arrays.get("calibration")  # models saved before calibration: identity
    model.calibration_ = (np.tile([1.0, 0.0], (k, 1)) if calibration is None
                          else calibration.astype(np.float64))
    if model.calibration_.shape != (k, 2):
        raise ModelError(f"{directory}: calibration has shape {model.calibration_.shape}, "
                         f"expected {(k, 2)}")
    if model.coef_.shape != (len(model.categories_), model.n_features_):
        raise ModelError(f"{directory}: coef has shape {model.coef_.shape}, expected "
                         f"{(len(model.categories_), model.n_features_)}")
    thresholds = arrays.get("thresholds")  # only with category_thresholds
    model.thresholds_ = (np.full(k, float(model.threshold)) if thresholds is None
                         else thresholds.astype(np.float64))
    if model.thresholds_.shape != (k,):
        raise ModelError(f"{directory}: thresholds has shape {model.thresholds_.shape}, "
                         f"expected {(k,)}")
    model.stage_ = None
    if model.best_sentence:
        stage = arrays.get("stage")
        if stage is None or stage.shape != (k, 3):
            raise ModelError(f"{directory}: best_sentence is set but arrays.npz has no stage "
                             f"of shape {(k, 3)}")
        model.stage_ = stage.astype(np.float64)
    model.manifest_ = manifest
    return model


def load_model(name: PathLike = "default", strict: bool = False) -> Any:
    """A ready-to-use classifier: ``"default"`` (the shipped FrameworkClassifier),
    ``"dictionary"`` (DictionaryClassifier over the shipped framework), a model
    directory written by :func:`save_model`, a framework YAML file (a
    DictionaryClassifier over it), or a name registered with
    :func:`~nqp_text.classify.registry.register_model` (its ``build()``).

    Example:
        >>> load_model("dictionary").predict(["深化户籍制度改革。"])
        [('factor_allocation',)]
    """
    from nqp_text.classify.dictionary import DictionaryClassifier

    if isinstance(name, str) and name == "dictionary":
        return DictionaryClassifier().fit()
    if isinstance(name, str) and name == "default":
        return load_saved_model(default_model_dir(), strict=strict)
    registration = registered_model(name)
    if registration is not None:
        return registration.load()
    path = Path(name)
    if path.is_file() and path.suffix.lower() in {".yaml", ".yml"}:
        return DictionaryClassifier(framework=path).fit()
    if path.is_dir():
        return load_saved_model(path, strict=strict)
    raise _not_found(path)


def _not_found(path: Path) -> ModelNotFoundError:
    names = registered_names()
    registered = f", a registered model ({', '.join(names)})" if names else \
        ", or a name registered with nqp_text.classify.registry.register_model"
    return ModelNotFoundError(f"{path}: no such model; use 'default', 'dictionary', a model "
                              f"directory, a framework YAML file{registered}", path=path)


def check_model(name: PathLike = "default") -> dict[str, Any]:
    """Resolve ``name`` as :func:`load_model` does, checking the files but building nothing.

    Fast (the manifest and the hashes of the files it lists, a few MB; no arrays
    decoded, no tokenizer): ``nqp-text run`` calls it before any stage, so that a
    bad ``--model`` fails at once. Raises :class:`ModelNotFoundError` when nothing
    is at ``name``, :class:`ModelError` for a manifest that is missing, modified or
    of another format, or a model file whose hash differs from the manifest;
    :class:`~nqp_text.framework.FrameworkError` for a bad framework YAML. Returns
    ``{"model": name, "kind": ..., "id": ...}``, ``id`` being the manifest's (or the
    framework's) hash; for a registered model (``kind`` ``"registered"``, its
    build function imported but not called) ``id`` is ``None`` and ``version`` is
    the registration's.

    Example:
        >>> check_model("dictionary")["kind"]
        'dictionary'
    """
    from nqp_text.framework import load_framework

    if isinstance(name, str) and name == "dictionary":
        return {"model": name, "kind": "dictionary", "id": load_framework().sha256}
    if isinstance(name, str) and name == "default":
        manifest = read_manifest(default_model_dir())
        _verified_bytes(default_model_dir(), manifest)
        return {"model": name, "kind": "saved", "id": manifest["manifest_sha256"]}
    registration = registered_model(name)
    if registration is not None:  # its build is imported, not called (a model may be slow)
        registration.check()
        return {"model": name, "kind": "registered", "id": None,
                "version": registration.version}
    path = Path(name)
    if path.is_file() and path.suffix.lower() in {".yaml", ".yml"}:
        return {"model": str(name), "kind": "framework", "id": load_framework(path).sha256}
    if path.is_dir():
        manifest = read_manifest(path)
        _verified_bytes(path, manifest)
        return {"model": str(name), "kind": "saved", "id": manifest["manifest_sha256"]}
    raise _not_found(path)


def model_identity(name: PathLike = "default") -> dict[str, Any]:
    """What a model's labels depend on: its own hash, categories, the lexicon, the segmenter.

    The model's hash is its manifest's ``manifest_sha256`` for a saved model
    (``"default"`` or a directory), its framework's SHA-256 for a dictionary
    model (``"dictionary"`` or a framework YAML), and for a registered model
    :meth:`~nqp_text.classify.registry.RegisteredModel.identity` (its name,
    ``version`` and class: a new version is a new identity). Loads the model with
    :func:`load_model`, so a bad model fails here, before any work.

    Example:
        >>> identity = model_identity("dictionary")
        >>> identity["kind"], len(identity["id"])
        ('DictionaryClassifier', 64)
    """
    from nqp_text.framework import Framework, load_framework
    from nqp_text.segment.segmenter import Segmenter

    model = load_model(name)
    manifest = getattr(model, "manifest_", None)
    registration = registered_model(name) if name not in ("default", "dictionary") else None
    if registration is not None:
        identity = registration.identity(model)
    elif manifest is not None:
        identity = manifest["manifest_sha256"]
    else:
        framework = model.framework
        identity = (framework if isinstance(framework, Framework)
                    else load_framework(framework)).sha256
    return {"model": name, "kind": type(model).__name__, "id": identity,
            "categories": list(model.categories_), "lexicon": lexicon_sha256(),
            "segmenter": Segmenter().config_hash, "tokens_config": model.tokens_config}
