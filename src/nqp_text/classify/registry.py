"""Classifiers by name: ``load_model("mine")`` and ``nqp-text run --model mine``.

A registered model is a function ``build()`` that returns a fitted classifier
(anything with the interface of
:class:`~nqp_text.classify.base.LabelSetMixin`: ``categories_``, ``classify``,
``predict``, ``tokens_config``; a :class:`~nqp_text.classify.DictionaryClassifier`
over the user's own framework YAML, a subclass that scores differently...) and a
``version`` string that the user changes whenever the model changes. The
version is the model's identity in the pipeline's cache key and manifest
(:meth:`RegisteredModel.identity`: sha256 of the name, the version and the
class's qualified name): a new version recomputes the labels, the same version
reuses them. Adding a classifier is one module with its ``build`` plus one line::

    register_model("mine", "my_package.models:build_mine", version="1")

``build`` is the function itself or its ``"module:function"`` name (imported on
first use). The pipeline's worker processes build the model themselves, so the
function must be importable by name: defined at the top level of a module. A
model registered in one process reaches the workers of
:func:`~nqp_text.run_pipeline` (the task carries the registration); for
``nqp-text`` commands, a package declares it as an entry point in the group
``nqp_text.models`` (name: the model's name, value: ``"module:function"``; its
version is the distribution's name and version), looked up on the first name
that is not registered.

The names ``default`` and ``dictionary`` and the path of an existing file or
folder cannot be registered: they already mean a model.

Example:
    >>> from nqp_text.classify import DictionaryClassifier
    >>> def build():
    ...     return DictionaryClassifier(threshold_scale=2.0).fit()
    >>> registration = register_model("strict_dictionary", build, version="1")
    >>> registered_model("strict_dictionary").version
    '1'
    >>> unregister_model("strict_dictionary")
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nqp_text._references import resolve_reference
from nqp_text.errors import ModelError, NqpTextError, OptionError

__all__ = ["RegisteredModel", "register_model", "unregister_model", "registered_model",
           "registered_names", "ENTRY_POINT_GROUP", "RESERVED_NAMES"]

#: Entry-point group through which installed packages add models (name = the model's name).
ENTRY_POINT_GROUP = "nqp_text.models"
#: Names :func:`nqp_text.load_model` already gives a meaning.
RESERVED_NAMES = ("default", "dictionary")
_INTERFACE = ("categories_", "classify", "predict", "tokens_config")


@dataclass(frozen=True)
class RegisteredModel:
    """One registered classifier: its ``name``, ``build`` function and ``version``."""

    name: str
    build: str | Callable[[], Any]
    version: str

    def load(self) -> Any:
        """A new fitted classifier from ``build()``, checked to have the classifier interface."""
        build = self._build()
        try:
            model = build()
        except NqpTextError:
            raise
        except Exception as error:  # the user's code: say which model failed
            raise ModelError(f"model {self.name!r}: its build function {self.build!r} failed: "
                             f"{type(error).__name__}: {error}") from error
        missing = [attribute for attribute in _INTERFACE if not hasattr(model, attribute)]
        if missing:
            raise ModelError(f"model {self.name!r}: build() returned a {type(model).__name__} "
                             f"without {', '.join(missing)}; return a fitted classifier such as "
                             "DictionaryClassifier(...).fit()")
        return model

    def check(self) -> None:
        """Import ``build`` (``ModelError`` when it cannot be found), without calling it."""
        self._build()

    def _build(self) -> Callable[[], Any]:
        try:
            build = resolve_reference(self.build)
        except (ImportError, AttributeError, ValueError) as error:
            raise ModelError(f"model {self.name!r}: cannot import its build function "
                             f"{self.build!r} ({error})") from None
        if not callable(build):
            raise ModelError(f"model {self.name!r}: {self.build!r} is not a function")
        return build

    def identity(self, model: Any) -> str:
        """sha256 of the name, the version and the qualified name of ``model``'s class.

        Example:
            >>> from nqp_text.classify import DictionaryClassifier
            >>> one = RegisteredModel("mine", "m:build", "1")
            >>> two = RegisteredModel("mine", "m:build", "2")
            >>> one.identity(DictionaryClassifier()) != two.identity(DictionaryClassifier())
            True
        """
        kind = type(model)
        data = {"name": self.name, "version": self.version,
                "class": f"{kind.__module__}.{kind.__qualname__}"}
        text = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


_MODELS: dict[str, RegisteredModel] = {}
_entry_points_loaded = False


def register_model(name: str, build: str | Callable[[], Any], *, version: str,
                   replace: bool = False) -> RegisteredModel:
    """Make ``name`` a model for :func:`~nqp_text.load_model` and the pipeline's ``model=``.

    ``build()`` returns a fitted classifier; ``version`` (a non-empty string) is
    its identity in the pipeline's cache: change it when the model changes.
    :class:`~nqp_text.errors.OptionError` for a reserved name (``default``,
    ``dictionary``), the path of an existing file or folder, an empty version, or
    a name already registered (unless ``replace=True``).
    """
    if not isinstance(name, str) or not name or name in RESERVED_NAMES:
        raise OptionError(f"model name {name!r} is taken or empty: 'default' and 'dictionary' "
                          "are the shipped models; choose another name")
    if os.path.exists(name):
        raise OptionError(f"model name {name!r} is the path of an existing file or folder, "
                          "which load_model reads as a model; choose another name")
    if not isinstance(version, str) or not version:
        raise OptionError(f"model {name!r}: version must be a non-empty string, got {version!r}")
    if name in _MODELS and not replace and _MODELS[name] != RegisteredModel(name, build, version):
        raise OptionError(f"model {name!r} is already registered ({_MODELS[name].build!r}, "
                          f"version {_MODELS[name].version!r}); pass replace=True to replace it")
    registration = RegisteredModel(name, build, version)
    _MODELS[name] = registration
    return registration


def unregister_model(name: str) -> None:
    """Forget the model registered as ``name`` (``KeyError`` when there is none)."""
    del _MODELS[name]


def registered_model(name: Any) -> RegisteredModel | None:
    """The registration of ``name`` (entry points looked up once), else ``None``.

    :class:`~nqp_text.errors.OptionError` when ``name`` is registered but is
    also the path of an existing file or folder (which one is meant is unclear).
    """
    if not isinstance(name, str):
        return None
    if name not in _MODELS:
        _load_entry_points()
    found = _MODELS.get(name)
    if found is not None and os.path.exists(name):
        raise OptionError(f"{name!r} is both a registered model and an existing path "
                          f"({Path(name).resolve()}); rename one of them")
    return found


def registered_names() -> tuple[str, ...]:
    """Every registered model name, sorted (registered in this process and entry points)."""
    _load_entry_points()
    return tuple(sorted(_MODELS))


def ensure_registered(registration: RegisteredModel) -> None:
    """Register ``registration`` in this process unless its name is already known.

    What a worker process does with the registration a task carries.
    """
    if _MODELS.get(registration.name) is None:
        _MODELS[registration.name] = registration



def _load_entry_points() -> None:
    """Add the models installed packages declare (once per process; registrations win)."""
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    from importlib.metadata import entry_points

    for point in entry_points(group=ENTRY_POINT_GROUP):
        if point.name in _MODELS or point.name in RESERVED_NAMES:
            continue
        dist = getattr(point, "dist", None)
        version = f"{dist.name} {dist.version}" if dist is not None else "entry point"
        _MODELS[point.name] = RegisteredModel(point.name, point.value, version)
