"""The name normaliser alone: CPU µs per name on the dense evaluation set, and with --mypyc the
same code compiled by mypyc beside it, keys compared.

    .venv/bin/python bench/normalise.py [--entities 100000] [--queries 20000] [--runs 5] [--mypyc]

Names: every reference name (English, aliases, Chinese) and every query of the dense set
(benchlib/dense.py, its evaluation seed; made if absent). Each run builds a fresh normaliser and
empties the pinyin cache, so every run pays for the words it meets first, and keeps the cyclic
garbage collector off as the index build does (matching.paused_gc). Figures: CPU µs per name,
min-max of the runs. With --mypyc, normalise/names.py and normalise/text.py are compiled into a
temporary copy of the package (mypyc and gcc, as a wheel build would) and timed the same way in
a child process; the keys of every name must be identical. The issue's gate for shipping a
compiled normaliser: at least 1.8 times faster than the pure-Python one.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import devset
from benchlib.dense import EVAL_SEED, write_dense_set

OUT_DIR = devset.BENCH_DIR / "out"
COMPILED = ("normalise/names.py", "normalise/text.py")
MYPY_INI = """[mypy]
strict = True
python_version = 3.11
[mypy-opencc.*,pypinyin.*,sparse_dot_topn.*]
ignore_missing_imports = True
"""


def dense_names(entities: int, queries: int) -> list[str]:
    folder = OUT_DIR / f"dense-eval-{entities}-{queries}"
    reference_csv, queries_csv = write_dense_set(folder, entities, queries, EVAL_SEED)
    names = [n for e in devset.load_reference(reference_csv) for n in e.all_names]
    return names + [q.name for q in devset.load_queries(queries_csv)]


@dataclass
class Timed:
    seconds: list[float]  # CPU seconds of each run
    digest: str  # of every name's key
    module: str  # the file of the names module that computed them


def time_keys(names: list[str], runs: int) -> Timed:
    from threadline.data.vocab import _build_normaliser
    from threadline.normalise import names as module

    seconds: list[float] = []
    digest = ""
    gc.disable()
    for _ in range(runs):
        normaliser = _build_normaliser()
        module._pinyin.cache_clear()
        started = time.process_time()
        keys = [normaliser.compute(n) for n in names]
        seconds.append(time.process_time() - started)
        sets = ("concepts", "places", "legal_forms", "pinyin_brands")
        plain = [[k.tokens, k.han, *(sorted(getattr(k, s)) for s in sets)] for k in keys]
        digest = hashlib.blake2b(json.dumps(plain).encode(), digest_size=16).hexdigest()
        del keys, plain
    gc.enable()
    return Timed(seconds, digest, str(module.__file__))


def compile_copy(folder: Path) -> None:
    """The installed package copied into `folder`, its hot modules compiled there."""
    import threadline

    package = Path(threadline.__file__).parent
    shutil.copytree(package, folder / "threadline", ignore=shutil.ignore_patterns("*.so"))
    (folder / "mypy.ini").write_text(MYPY_INI, encoding="utf-8")
    mypyc = Path(sys.executable).with_name("mypyc")
    subprocess.run(
        [str(mypyc), *(f"threadline/{m}" for m in COMPILED)],
        cwd=folder,
        check=True,
        capture_output=True,
    )


def report(label: str, result: Timed, count: int) -> None:
    per_name = [s / count * 1e6 for s in result.seconds]
    sys.stdout.write(
        f"{label:<9} {min(per_name):6.1f}-{max(per_name):6.1f} µs/name   "
        f"keys {result.digest}   {result.module}\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mypyc", action="store_true", help="also time a mypyc-compiled copy")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # names file, for the compiled copy
    args = parser.parse_args(argv)
    if args.child:
        names = json.loads(Path(args.child).read_text(encoding="utf-8"))
        sys.stdout.write(json.dumps(asdict(time_keys(names, args.runs))))
        return 0
    names = dense_names(args.entities, args.queries)
    sys.stdout.write(f"{len(names)} names ({len(set(names))} distinct), {args.runs} runs\n")
    pure = time_keys(names, args.runs)
    report("python", pure, len(names))
    if not args.mypyc:
        return 0
    with tempfile.TemporaryDirectory(prefix="threadline-mypyc-") as tmp:
        folder = Path(tmp)
        compile_copy(folder)
        names_file = folder / "names.json"
        names_file.write_text(json.dumps(names), encoding="utf-8")
        child = subprocess.run(
            [sys.executable, __file__, "--child", str(names_file), "--runs", str(args.runs)],
            env={**os.environ, "PYTHONPATH": str(folder)},
            cwd=folder,
            check=True,
            capture_output=True,
            text=True,
        )
        compiled = Timed(**json.loads(child.stdout))
    report("mypyc", compiled, len(names))
    ratio = min(pure.seconds) / min(compiled.seconds)
    same = compiled.digest == pure.digest
    sys.stdout.write(f"compiled is {ratio:.2f}x as fast; keys identical: {same}\n")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
