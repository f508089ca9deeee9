"""Import 10,000 synthetic documents of ~5 KB (mixed Chinese and English) into SQLite; time it.

    .venv/bin/python bench/documents.py [--docs 10000] [--kb 5] [--seed 7]

Writes bench/out/documents/docs-N/ (seeded): state-media style Chinese articles, procurement
notices with labelled buyer and winner lines, English company reports and research notes, as
.txt, .md and .html (a tenth each of the last two). Company names are built from the synthetic
vocabulary (bench/data/synth_vocab.yaml, XUAR places from the package gazetteer), so they are
fictional; about one document in four holds indicator terms, one in five a stated supply link.
Then, in a child process (so peak memory is its own), runs
`threadline.importing_documents.import_documents` into an empty SQLite store twice — first
(everything added) and again (everything unchanged) — and prints wall and CPU time and the
child's peak memory as JSON lines. CPU time tells a busy machine's figures apart.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent
OUT = ROOT / "out" / "documents"
GAZETTEER = ROOT.parent / "src" / "threadline" / "data" / "geo" / "gazetteer.csv"

ZH_FILLER = [
    "{place}坚持以人民为中心的发展思想，持续推进产业结构调整，全年地区生产总值同比增长百分之六点五。",
    "近年来，{place}大力发展纺织服装产业，引进企业{n}家，新增就业岗位{m}个。",
    "{company}负责人介绍，企业今年订单饱满，产品远销欧美和东南亚市场。",
    "据了解，该项目总投资{n}亿元，建成后可实现年产值{m}亿元。",
    "{place}还将进一步优化营商环境，为企业发展提供更加优质的服务。",
    "当天，{company}与多家客户签订了合作协议，涉及金额{n}万元。",
]
ZH_SIGNALS = [
    "在{company}的扶贫车间里，来自{place}的结业学员正在缝制服装。",
    "{place}通过统一组织、统一培训、统一输送，实现农村富余劳动力转移就业{n}人，其中{company}吸纳{m}人。",
    "{company}在{place}设立卫星工厂，对工人实行军事化管理。",
]
ZH_LINKS = ["{buyer}从{seller}采购棉纱{n}吨。", "{seller}为{buyer}供应面料。"]
EN_FILLER = [
    "{company} reported revenue growth of {n} percent in the last fiscal year.",
    "The company operates {n} production sites and employs about {m} people.",
    "Our sustainability programme covers water use, energy and chemical management.",
    "All suppliers sign our code of conduct and are audited at least once every two years.",
    "In {place}, demand for cotton textiles rose as new spinning capacity came on line.",
]
EN_SIGNALS = [
    "Local media reported that former camp inmates work at {company} in {place}.",
    "{company} took part in a labor transfer programme that placed surplus labor from {place}.",
]
EN_LINKS = [
    "{buyer} purchased yarn from {seller} in {year}.",
    "{seller} supplies fabric to {buyer}.",
]


class Names:
    """Fictional company names in Chinese and English from the synthetic vocabulary."""

    def __init__(self, rng: random.Random) -> None:
        vocab = yaml.safe_load((ROOT / "data" / "synth_vocab.yaml").read_text(encoding="utf-8"))
        self.rng = rng
        self.places = [(p["zh"], p["pinyin"]) for p in vocab["provinces"]]
        self.places += [(c["zh"], c["pinyin"]) for p in vocab["provinces"] for c in p["cities"]]
        with GAZETTEER.open(encoding="utf-8") as handle:
            xuar = [(r["name_zh"], r["name_pinyin"]) for r in csv.DictReader(handle)]
        self.xuar = [(zh.removesuffix("县").removesuffix("市"), py) for zh, py in xuar if py]
        self.syllables = [(s["zh"], s["pinyin"]) for s in vocab["brand_syllables"]]
        self.industries = [(i["zh"], i["en"][0]) for i in vocab["industries"]]
        self.forms = [(f["zh"], f["en"][0]) for f in vocab["legal_forms"]]

    def company(self, xinjiang: bool) -> tuple[str, str]:
        r = self.rng
        place = r.choice(self.xuar if xinjiang else self.places)
        a, b = r.choice(self.syllables), r.choice(self.syllables)
        industry, form = r.choice(self.industries), r.choice(self.forms)
        zh = f"{place[0]}{a[0]}{b[0]}{industry[0]}{form[0]}"
        en = f"{place[1]} {(a[1] + b[1]).capitalize()} {industry[1]} {form[1]}"
        return zh, en

    def place(self, xinjiang: bool) -> tuple[str, str]:
        return self.rng.choice(self.xuar if xinjiang else self.places)


def write_documents(folder: Path, count: int, kb: int, seed: int) -> None:
    rng = random.Random(seed)
    names = Names(rng)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        chinese = rng.random() < 0.6
        xinjiang = rng.random() < 0.3
        signal = rng.random() < 0.25
        link = rng.random() < 0.2
        notice = chinese and rng.random() < 0.15
        lines = _header(rng, n, chinese, notice)
        if notice:
            lines += [f"采购人：{names.place(xinjiang)[0]}县职业技能教育培训中心" if xinjiang
                      else f"采购人：{names.place(False)[0]}市第一中学",
                      f"成交供应商：{names.company(xinjiang)[0]}"]  # fmt: skip
        body: list[str] = []
        size = 0
        # A document names a few companies, again and again, as articles and reports do.
        cast = [names.company(xinjiang) for _ in range(rng.randint(1, 4))]
        while size < kb * 1000:
            filler = ZH_FILLER if chinese else EN_FILLER
            sentence = _fill(rng, rng.choice(filler), names, chinese, xinjiang, cast)
            body.append(sentence)
            size += len(sentence.encode("utf-8"))
        if signal:
            template = rng.choice(ZH_SIGNALS if chinese else EN_SIGNALS)
            body.insert(rng.randrange(len(body)), _fill(rng, template, names, chinese, True))
        if link:
            template = rng.choice(ZH_LINKS if chinese else EN_LINKS)
            body.insert(rng.randrange(len(body)), _fill(rng, template, names, chinese, xinjiang))
        paragraphs = ["".join(body[i : i + 4]) if chinese else " ".join(body[i : i + 4])
                      for i in range(0, len(body), 4)]  # fmt: skip
        suffix = rng.choices([".txt", ".md", ".html"], weights=[8, 1, 1])[0]
        text = "\n".join(lines) + "\n\n" + "\n\n".join(paragraphs) + "\n"
        if suffix == ".html":
            text = _html(lines, paragraphs)
        (folder / f"doc-{n:06d}{suffix}").write_text(text, encoding="utf-8")


def _header(rng: random.Random, n: int, chinese: bool, notice: bool) -> list[str]:
    day = f"20{rng.randint(17, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if chinese:
        publisher = (
            "某县财政局"
            if notice
            else rng.choice(["新疆日报", "天山网", "某市日报", "某县融媒体中心"])
        )
        title = f"{'采购项目成交公告' if notice else '产业发展报道'}（第{n}号）"
        return [f"标题：{title}", f"来源：{publisher}", f"日期：{day}"]
    kind = rng.choice(["company", "research"])
    return [
        f"Title: Report {n}",
        f"Publisher: Example Publisher {n % 50}",
        f"Date: {day}",
        f"Kind: {kind}",
    ]


def _fill(
    rng: random.Random,
    template: str,
    names: Names,
    chinese: bool,
    xinjiang: bool,
    cast: list[tuple[str, str]] | None = None,
) -> str:
    pick = 0 if chinese else 1
    return template.format(
        place=names.place(xinjiang)[pick],
        company=(rng.choice(cast) if cast else names.company(xinjiang))[pick],
        buyer=names.company(False)[pick],
        seller=names.company(xinjiang)[pick],
        n=rng.randint(2, 900),
        m=rng.randint(100, 9000),
        year=rng.randint(2017, 2024),
    )


def _html(lines: list[str], paragraphs: list[str]) -> str:
    title = lines[0].split("：", 1)[-1].split(": ", 1)[-1]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title></head><body>"
        f"<nav>首页 | News | 联系我们</nav><article><h1>{title}</h1>{body}</article>"
        f"<footer>© example</footer></body></html>"
    )


def child(url: str, folder: Path) -> None:
    from threadline.importing_documents import import_documents
    from threadline.pipeline import ensure_reference_data
    from threadline.store import Store

    figures: dict[str, object] = {}
    with Store.open(url) as store:
        ensure_reference_data(store)
        for run in ("first", "again"):
            started, cpu = time.perf_counter(), time.process_time()
            report = import_documents(store, [folder])
            figures[run] = {
                "wall_s": round(time.perf_counter() - started, 1),
                "cpu_s": round(time.process_time() - cpu, 1),
                "added": report.added,
                "unchanged": report.unchanged,
                "failed": len(report.failed),
                "findings": report.findings,
                "relations": report.relations,
                "entities": report.entities,
                "notes": report.notes,
            }
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    sys.stdout.write(json.dumps(figures, ensure_ascii=False) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--kb", type=int, default=5, help="approximate size of each document")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", nargs=2, metavar=("URL", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return 0
    folder = OUT / f"docs-{args.docs}-{args.kb}kb-{args.seed}"
    if not folder.exists():
        started = time.perf_counter()
        write_documents(folder, args.docs, args.kb, args.seed)
        sys.stderr.write(f"wrote {folder} in {time.perf_counter() - started:.0f} s\n")
    database = OUT / "bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    result = subprocess.run(
        [sys.executable, __file__, "--child", f"sqlite:///{database}", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        return 1
    size = sum(p.stat().st_size for p in folder.iterdir())
    record = {
        "backend": "sqlite",
        "documents": args.docs,
        "bytes": size,
        **json.loads(result.stdout),
    }
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
