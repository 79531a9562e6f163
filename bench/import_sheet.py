"""``llgraph import`` of a large synthetic sheet: read, match, validate (SHACL) and write, timed.

    python -m bench.import_sheet [--rows 10000] [--seed 1] [--format xlsx|csv]

The rows are synthetic, made from the real code lists (prefectures, countries, LL industries,
activity types; ``bench.generate.Vocabulary``): 70 % partnerships, 30 % activities of them.
Every row says so: labels 「合成テーマ」 / "synthetic partnership", and the source cell
"synthetic benchmark rows (bench/import_sheet.py), not facts". The sheet and the Turtle are
written under ``bench/data/`` (never ``data/ttl``); the figures go to
``bench/out/import-<rows>.json``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import time
from pathlib import Path

from bench.common import Timer, dump, peak_rss_mb
from bench.generate import BENCH_DATA, Vocabulary
from llgraph.config import Settings
from llgraph.load import parse_files
from llgraph.sheets import import_sheets
from llgraph.sheets.match import code_lists
from llgraph.sheets.read import read_path
from llgraph.sheets.template import write_template

__all__ = ["main", "synthetic_rows"]

OUT = Path(__file__).resolve().parent / "out"
SOURCE = "synthetic benchmark rows (bench/import_sheet.py), not facts"


def _key(node_id: str) -> str:
    """``id:region/jp-nagano`` → ``jp-nagano`` (the id the sheets take)."""
    return node_id.split("/", 1)[1]


def synthetic_rows(vocab: Vocabulary, rows: int, seed: int) -> dict[str, list[dict[str, str]]]:
    """``rows`` rows: partnerships with distinct regions, industry and years, then activities."""
    rng = random.Random(seed)
    industries = [i for i in vocab.industries if i.startswith("id:industry/ll/")]
    combos = list(
        itertools.product(vocab.prefectures, vocab.countries, industries, range(2010, 2030))
    )
    rng.shuffle(combos)
    n_partnerships = rows * 7 // 10
    partnerships = []
    for n, (prefecture, (country, _), industry, start) in enumerate(combos[:n_partnerships], 1):
        partnerships.append(
            {
                "id": f"synthetic-{n:05d}",
                "label_ja": f"合成テーマ {n}（ベンチマーク用、事実ではない）",
                "label_en": f"synthetic partnership {n} (benchmark, not a fact)",
                "programme": "rit",
                "domestic_region": _key(prefecture),
                "overseas_region": _key(country),
                "industry": _key(industry),
                "start_year": str(start),
                "end_year": str(start + rng.randint(0, 3)),
                "source": SOURCE,
            }
        )
    activities = [
        {
            "partnership": rng.choice(partnerships)["id"],
            "activity_type": _key(rng.choice(vocab.activity_types)),
            "times": str(rng.randint(1, 5)),
            "participants": str(rng.randint(1, 30)),
            "source": SOURCE,
        }
        for _ in range(rows - n_partnerships)
    ]
    return {"partnerships": partnerships, "activities": activities}


def main(argv: list[str] | None = None) -> dict[str, float | int | str]:
    """Write the synthetic sheet, import it (timed, validation included), print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    args = parser.parse_args(argv)
    settings = Settings.from_env({})
    graph = parse_files(settings.data_paths).graph

    folder = BENCH_DATA / f"sheets-{args.rows}"
    folder.mkdir(parents=True, exist_ok=True)
    sheet = folder / ("synthetic.xlsx" if args.format == "xlsx" else "csv")
    rows = synthetic_rows(Vocabulary.from_graph(graph), args.rows, args.seed)
    write_template(sheet, code_lists(graph), fmt=args.format, rows=rows)
    with Timer() as read:
        read_path(sheet)
    cpu = time.process_time()
    with Timer() as total:
        result = import_sheets(sheet, folder / "synthetic-import.ttl", settings)
    cpu = time.process_time() - cpu
    figures = {
        "rows": args.rows,
        "format": args.format,
        "seconds_total_with_validation": round(total.seconds, 2),
        "cpu_seconds_total": round(cpu, 2),
        "seconds_reading_the_sheet": round(read.seconds, 2),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "triples_written": result.triples,
        "peak_rss_mb": round(peak_rss_mb()),
    }
    dump(OUT / f"import-{args.rows}-{args.format}.json", figures)
    print(json.dumps(figures, ensure_ascii=False))
    return figures


if __name__ == "__main__":
    main()
