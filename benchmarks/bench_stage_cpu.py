"""CPU time of each stage of ``nqp-text run`` (not wall time), optionally before/after.

The manifest records each stage's wall time, which on a shared machine is mostly
waiting for a core. This script runs ``nqp-text run --workers 1`` on the government
work reports of ``../shared`` (cold, a fresh output folder) in a child process whose
stage timer counts the process's CPU time instead (``time.process_time``), and
prints the CPU seconds of every stage, of the whole process (``rusage``) and of raw
``jieba.lcut`` over the same records' text (child process: import, dictionary,
cutting), as the ratio ``bench_pipeline.py --vs-jieba`` prints. With ``--before
SRC`` (a ``src`` folder of an earlier version, e.g. from ``git archive``) that
version runs too, at the same time as the current one, so both see the same load.

Usage:
    python benchmarks/bench_stage_cpu.py [--before SRC] [--backend rjieba] [--copies 1]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_pipeline import build_corpus, gov_reports_source, raw_jieba  # noqa: E402

CHILD = """
import json, resource, sys, time
import nqp_text.pipeline.context as context
import nqp_text.pipeline.manifest as manifest

class CpuTimer(manifest.StageTimer):
    def __enter__(self):
        self._start = time.process_time()
        return self.record

    def __exit__(self, *exc):
        self.record.seconds += time.process_time() - self._start

context.StageTimer = CpuTimer
from nqp_text.cli import main

corpus, out, *extra = sys.argv[1:]
code = main(["run", corpus, "--out", out, "--quiet", "--workers", "1", "--text-field", "content",
             "--year-field", "year", "--title-field", "title", "--id-field", "id", *extra])
usage = resource.getrusage(resource.RUSAGE_SELF)
stages = json.load(open(out + "/manifest.json", encoding="utf-8"))["stages"]
print(json.dumps({"code": code, "cpu": usage.ru_utime + usage.ru_stime,
                  "stages": {name: record["seconds"] for name, record in stages.items()}}))
"""


def start(corpus: Path, out: Path, extra: list[str], source: Path | None) -> subprocess.Popen:
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(source), *filter(None, [env.get("PYTHONPATH")])])
    return subprocess.Popen(["nice", "-n", "10", sys.executable, "-c", CHILD, str(corpus),
                             str(out), *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, metavar="SRC")
    parser.add_argument("--backend", default="jieba")
    parser.add_argument("--copies", type=int, default=1)
    args = parser.parse_args()
    source = gov_reports_source()
    if source is None:
        print("skipped: ../shared/corpora/gov_work_reports is absent")
        return 0
    with tempfile.TemporaryDirectory(prefix="nqp-stage-cpu-") as temporary:
        work = Path(temporary)
        corpus = build_corpus(source, work / "corpus", args.copies)
        _, jieba_cpu = raw_jieba(corpus)
        versions = {"after": None} if args.before is None else {"before": args.before,
                                                                   "after": None}
        children = {name: start(corpus, work / name, ["--backend", args.backend], src)
                    for name, src in versions.items()}
        found = {}
        for name, child in children.items():
            stdout, stderr = child.communicate()
            if child.returncode != 0:
                raise SystemExit(f"{name}: failed ({child.returncode}):\n{stderr[-3000:]}")
            found[name] = json.loads(stdout.strip().splitlines()[-1])
    stages = sorted({stage for result in found.values() for stage in result["stages"]})
    print(f"{args.copies}x corpus, --backend {args.backend}, CPU seconds "
          f"(raw jieba.lcut: {jieba_cpu:.1f} s)")
    print(f"  {'stage':<14}" + "".join(f"{name:>10}" for name in found))
    for stage in stages:
        print(f"  {stage:<14}" + "".join(f"{result['stages'].get(stage, 0.0):10.2f}"
                                         for result in found.values()))
    print(f"  {'whole process':<14}" + "".join(f"{result['cpu']:10.2f}"
                                               for result in found.values()))
    print(f"  {'/ raw jieba':<14}" + "".join(f"{result['cpu'] / jieba_cpu:9.2f}x"
                                             for result in found.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
