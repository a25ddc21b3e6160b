"""The command line's parser is built without the heavy libraries (issue 16).

``nqp-text --help`` and argument errors should answer at once, so building the
parser must not import pandas, pyarrow or numpy (0.4 s and more); each test
runs a fresh interpreter because this process has imported them already.
"""

from __future__ import annotations

import subprocess
import sys

_HEAVY = ("pandas", "pyarrow", "numpy", "jieba", "sklearn", "matplotlib", "gensim")


def _fresh(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, timeout=120)


def test_building_the_parser_imports_no_heavy_library():
    done = _fresh(
        "import sys, nqp_text.cli\n"
        "parser = nqp_text.cli.build_parser()\n"
        "assert parser.parse_args(['run', 'corpora/sample', '--out', 'x']).command == 'run'\n"
        f"print(','.join(m for m in {_HEAVY!r} if m in sys.modules))\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_help_and_argument_errors_import_no_heavy_library():
    code = (
        "import sys, nqp_text.cli\n"
        "try:\n"
        "    nqp_text.cli.main({argv!r})\n"
        "except SystemExit as exit_:\n"
        "    code = exit_.code\n"
        f"print('LOADED', ','.join(m for m in {_HEAVY!r} if m in sys.modules), code)\n"
    )
    for argv, expected in ((["--help"], 0), (["run"], 2), (["trends", "--help"], 0),
                           (["trends"], 2), (["no-such-command"], 2)):
        done = _fresh(code.format(argv=argv))
        assert done.returncode == 0, done.stderr
        last = done.stdout.strip().splitlines()[-1]
        assert last == f"LOADED  {expected}", (argv, last)


def test_default_timeout_is_one_constant():
    from nqp_text.cli import build_parser
    from nqp_text.io.reader import DEFAULT_TIMEOUT

    args = build_parser().parse_args(["ingest", "corpora/sample", "--out", "x"])
    assert args.timeout == DEFAULT_TIMEOUT
