"""What ``nqp-text COMMAND --help`` says about defaults is true.

The help formatter appends ``(default: X)`` to every option. For a flag that
takes no value (``--unseeded``, ``store_false``) the destination's default is
not the flag's: ``--unseeded ... (default: True)`` read as "unseeded by
default" while the default is seeded topics.
"""

from __future__ import annotations

import argparse
import contextlib
import io

import pytest

from nqp_text.cli import build_parser


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("command", sorted(_subparsers()))
def test_no_flag_shows_a_default(command):
    parser = _subparsers()[command]
    text = io.StringIO()
    with contextlib.redirect_stdout(text), pytest.raises(SystemExit):
        parser.parse_args(["--help"])
    flags = [a for a in parser._actions if a.option_strings and a.nargs == 0]
    shown = " ".join(text.getvalue().split())
    for flag in flags:
        for default in ("(default: True)", "(default: False)", "(default: None)"):
            for option in flag.option_strings:
                assert f"{option} {' '.join((flag.help or '').split())} {default}" not in shown, (
                    command, option)


def test_unseeded_help_does_not_claim_to_be_the_default():
    text = io.StringIO()
    with contextlib.redirect_stdout(text), pytest.raises(SystemExit):
        build_parser().parse_args(["topics", "--help"])
    shown = " ".join(text.getvalue().split())
    assert "--unseeded free topics only (default: True)" not in shown
    assert "--unseeded free topics only (default: seeded, see --seeded)" in shown
