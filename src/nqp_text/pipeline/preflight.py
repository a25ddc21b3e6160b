"""Every option of a run checked before any work: a bad value fails in a second, not an hour in.

:func:`check_run_options` is what ``run_pipeline`` (and so ``nqp-text run``)
checks before the first stage, beyond the per-file reading options: the model
(its manifest and file hashes, through
:func:`nqp_text.classify.persist.check_model`), the
lexicon and stopword files and the segmentation backend (a ``Segmenter`` is
built: no text is segmented), the framework YAML, the scheduler address's form
(and that a Dask scheduler answers there, within ``connect_timeout``: see
:func:`nqp_text.pipeline.executors.check_scheduler`) and the topic model's
numbers. Each problem is an
:class:`~nqp_text.errors.OptionError` (a value refused), a
:class:`~nqp_text.errors.MissingInputError` (a file that is not there), or the
loader's own :class:`~nqp_text.errors.InputError` (a file that is there but
bad), naming the option and the file.

Example:
    >>> check_scheduler_address("tcp://10.0.0.5:8786")
    >>> check_scheduler_address("tcp://127.0.0.1:99999")
    Traceback (most recent call last):
    ...
    nqp_text.errors.OptionError: scheduler 'tcp://127.0.0.1:99999': port 99999 is not in 1..65535
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from nqp_text._limits import DEFAULT_CONNECT_TIMEOUT
from nqp_text.errors import MissingInputError, OptionError
from nqp_text.options import _number

__all__ = ["check_run_options", "check_scheduler_address", "SCHEDULER_PROTOCOLS"]

#: Address schemes a Dask ``distributed`` scheduler listens on.
SCHEDULER_PROTOCOLS = ("tcp", "tls", "ws", "wss", "ucx", "inproc")
_ADDRESS = re.compile(r"^(?P<scheme>[a-z]+)://(?P<host>\[[0-9a-fA-F:.]+\]|[^\s:/\[\]]+)"
                      r"(?::(?P<port>[0-9]+))?/?$")


def check_scheduler_address(address: str | None) -> None:
    """Refuse a scheduler address that cannot be one (``None`` and ``local-cluster`` pass).

    Only the form is checked (scheme, host, port in range); whether a scheduler
    answers is found out when the run connects (with a time limit).
    """
    from nqp_text.pipeline.executors import LOCAL_CLUSTER

    if address is None or address == LOCAL_CLUSTER:
        return
    if not isinstance(address, str):
        raise OptionError(f"scheduler must be an address string; got {address!r}")
    match = _ADDRESS.match(address.strip())
    if match is None:
        raise OptionError(f"scheduler {address!r}: not an address; use tcp://HOST:PORT "
                          f"(e.g. tcp://10.0.0.5:8786) or {LOCAL_CLUSTER!r}")
    if match["scheme"] not in SCHEDULER_PROTOCOLS:
        raise OptionError(f"scheduler {address!r}: unknown protocol {match['scheme']!r}; "
                          f"use one of {', '.join(SCHEDULER_PROTOCOLS)}")
    port = match["port"]
    if port is not None and not 1 <= int(port) <= 65535:
        raise OptionError(f"scheduler {address!r}: port {port} is not in 1..65535")


def check_run_options(options: Any) -> None:
    """Check the options of :class:`~nqp_text.pipeline.RunOptions` that name files or a scheduler.

    The topic numbers are checked by :class:`~nqp_text.options.TopicOptions`
    (``options.topics``, in :func:`~nqp_text.pipeline.options.validate`).

    Cheap (no text is read or segmented); raises the first problem found.
    """
    from nqp_text.classify.persist import check_model
    from nqp_text.framework import load_framework
    from nqp_text.pipeline.executors import LOCAL_CLUSTER, check_scheduler
    from nqp_text.segment.segmenter import Segmenter

    check_scheduler_address(options.scheduler)
    timeout = getattr(options, "connect_timeout", DEFAULT_CONNECT_TIMEOUT)
    _number("connect_timeout", timeout, 0.0, low_open=True)
    check_model(options.model)
    if options.framework is not None:
        if not Path(options.framework).is_file():
            raise MissingInputError(f"{options.framework}: no such framework file",
                                    path=options.framework)
        load_framework(options.framework)
    Segmenter(lexicon=options.lexicon, stopwords=options.stopwords, backend=options.backend)
    if options.scheduler is not None and options.scheduler != LOCAL_CLUSTER:
        check_scheduler(options.scheduler, timeout)  # last: the only check that waits
