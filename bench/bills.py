"""Generate seeded synthetic bills of lading for `threadline batch screen`.

    .venv/bin/python bench/bills.py --rows 1000000 --out bench/out/bills/bills-1000000.csv

Shippers come from the synthetic dense name space of `benchlib/synth.py` (place + brand +
business word + legal form, 200 brand syllables squared), rendered as manifests show them:
English, upper-case manifest style, Chinese or pinyin. A few are in Xinjiang, and about one bill
in a hundred names a listed entity as the bundled lists spell it (`--listed-share`). Shippers
repeat as in trade data, with a long tail: the pool grows with the rows (one shipper per five
bills by default) and draws are skewed (pool position = N·u³), so at 1M bills about 190k distinct
shippers appear, a fifth of them once, the busiest 1% carry about a fifth of the bills and the
largest about 1.5%. Each shipper has one country of origin and ships one to three product
lines, as exporters do. Products carry HS codes, half of them in UFLPA high-priority sectors;
dates span one year; ports are the busiest of lading and unlading in US import data.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib.synth import Company, address_of, make_company
from benchlib.vocab import load_vocabulary

ROOT = Path(__file__).resolve().parents[1]
LISTS = ROOT / "src" / "threadline" / "data" / "lists"
HEADER = (
    "Bill of Lading Number",
    "Arrival Date",
    "Shipper",
    "Shipper Address",
    "Consignee",
    "Notify Party",
    "Product Description",
    "HS Code",
    "Quantity",
    "Weight (kg)",
    "Foreign Port of Lading",
    "US Port of Unlading",
    "Country of Origin",
)
GOODS = (
    ("cotton shirts", "6205.20"),
    ("knitted T-shirts", "6109.10"),
    ("denim fabric", "5209.42"),
    ("cotton yarn", "5205.12"),
    ("polysilicon", "2804.61"),
    ("solar modules", "8541.43"),
    ("tomato paste", "2002.90"),
    ("aluminium sheet", "7606.12"),
    ("PVC resin", "3904.10"),
    ("frozen fish fillets", "0304.71"),
    ("wooden chairs", "9401.61"),
    ("plastic toys", "9503.00"),
    ("LED lamps", "9405.42"),
    ("ceramic tiles", "6907.21"),
    ("laptop computers", "8471.30"),
    ("bicycle parts", "8714.91"),
    ("kitchen utensils", "7323.93"),
    ("paper cartons", "4819.10"),
    ("rubber gloves", "4015.19"),
    ("steel screws", "7318.15"),
)
PORTS_OF_LADING = (
    "Shanghai", "Ningbo", "Yantian", "Qingdao", "Xiamen", "Tianjin", "Shekou", "Dalian",
    "Lianyungang", "Hong Kong", "Ho Chi Minh City", "Port Klang",
)  # fmt: skip
PORTS_OF_UNLADING = (
    "Los Angeles", "Long Beach", "New York", "Savannah", "Houston", "Seattle", "Oakland",
    "Charleston", "Norfolk", "Tacoma",
)  # fmt: skip
XINJIANG_KEEP = 0.1  # of the generator's Xinjiang companies (a fifth): ~2.5% of shippers
ORIGINS = ("VN", "MY", "TH", "KH")  # a shipper's origin when not CN (15% of shippers)
SKEW = 3  # pool position = N·u^SKEW: a busy head and a long tail
BILLS_PER_SHIPPER = 5  # pool size = rows / this, unless --shippers says


@dataclass(frozen=True, slots=True)
class Shipper:
    name: str
    address: str
    origin: str
    goods: tuple[tuple[str, str], ...]  # the product lines it ships


def listed_names() -> list[str]:
    """Names of the bundled lists' entities, as the lists spell them (English and Chinese)."""
    names: list[str] = []
    for entries in sorted(LISTS.glob("*/entries.csv")):
        with entries.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                names.append(row["name"])
                if row.get("name_zh"):
                    names.append(row["name_zh"])
    return names


def rendering(rng: random.Random, company: Company) -> str:
    roll = rng.random()
    if roll < 0.6:
        return company.english()
    if roll < 0.8:  # manifest style: upper case, short legal form, cut at 35 characters
        return company.english(form="CO LTD").upper().replace(",", "")[:35]
    if roll < 0.95:
        return company.name_zh
    return " ".join(company.pinyin_words()).upper()


def shipper_pool(rng: random.Random, size: int) -> list[Shipper]:
    vocab = load_vocabulary()
    pool: list[Shipper] = []
    while len(pool) < size:
        company = make_company(rng, vocab)
        if company.place.in_xinjiang and rng.random() > XINJIANG_KEEP:
            continue
        origin = "CN" if rng.random() < 0.85 else rng.choice(ORIGINS)
        goods = tuple(rng.sample(GOODS, rng.choice((1, 1, 2, 3))))
        pool.append(Shipper(rendering(rng, company), address_of(company), origin, goods))
    return pool


def write_bills(
    path: Path,
    rows: int,
    *,
    seed: int = 7,
    shippers: int | None = None,
    listed_share: float = 0.01,
) -> None:
    rng = random.Random(seed)
    pool = shipper_pool(rng, shippers or max(1000, rows // BILLS_PER_SHIPPER))
    listed = listed_names()
    consignees = [f"Example Importer {n} LLC" for n in range(5000)]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            if rng.random() < listed_share:
                shipper, address = rng.choice(listed), ""
                product, hs = rng.choice(GOODS)
                origin = "CN" if rng.random() < 0.85 else rng.choice(ORIGINS)
            else:
                # Skewed: the first shippers ship far more often than the last.
                chosen = pool[int(len(pool) * rng.random() ** SKEW)]
                shipper, address, origin = chosen.name, chosen.address, chosen.origin
                product, hs = rng.choice(chosen.goods)
            consignee = rng.choice(consignees)
            writer.writerow(
                (
                    f"SYNB{n:010d}",
                    f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    shipper,
                    address,
                    consignee,
                    consignee if rng.random() < 0.5 else "",
                    product,
                    hs,
                    f"{rng.randint(1, 900)} CTN",
                    str(rng.randint(100, 20000)),
                    rng.choice(PORTS_OF_LADING),
                    rng.choice(PORTS_OF_UNLADING),
                    origin,
                )
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--out", type=Path, required=True, help="CSV file to write")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--shippers",
        type=int,
        default=None,
        help=f"synthetic shippers in the pool (default: rows / {BILLS_PER_SHIPPER})",
    )
    parser.add_argument("--listed-share", type=float, default=0.01)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    write_bills(
        args.out, args.rows, seed=args.seed, shippers=args.shippers, listed_share=args.listed_share
    )
    sys.stderr.write(
        f"wrote {args.rows} bills to {args.out} in {time.perf_counter() - started:.1f}s\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
