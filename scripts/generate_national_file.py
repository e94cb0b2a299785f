#!/usr/bin/env python3
"""Write a SYNTHETIC national file of migrant counts in the portal's CSV template.

345 made-up municipalities (codes GM8001–GM8345, named "Synthetische gemeente NNN")
× 11 years × 6 motives ≈ 22,800 rows, with a population column. The numbers are
random but reproducible (fixed seed); they are for load and performance tests only
and are never part of the demo.

    python scripts/generate_national_file.py [--rows-only N] OUT.csv
"""

import argparse
import csv
import random
import sys
from pathlib import Path

MOTIVES = ["asiel", "arbeid", "gezin", "studie", "oekraine", "onbekend"]
YEARS = range(2013, 2024)
MUNICIPALITIES = 345
SYNTHETIC_CODE_START = 8001
HEADERS = ["Gemeentecode", "Gemeente", "Jaar", "Migratiemotief", "Maat", "Aantal", "Bevolking"]


def synthetic_municipalities(count: int = MUNICIPALITIES) -> list[tuple[str, str]]:
    return [
        (f"GM{SYNTHETIC_CODE_START + index:04d}", f"Synthetische gemeente {index + 1:03d}")
        for index in range(count)
    ]


def synthetic_rows(*, seed: int = 2026) -> list[list[str]]:
    rng = random.Random(seed)
    rows = []
    for code, name in synthetic_municipalities():
        inhabitants = rng.randint(5_000, 900_000)
        for year in YEARS:
            population = int(inhabitants * (1 + 0.005 * (year - 2013)))
            for motive in MOTIVES:
                share = rng.uniform(0.001, 0.05)
                rows.append(
                    [
                        code,
                        name,
                        str(year),
                        motive,
                        "stand",
                        str(int(population * share)),
                        str(population),
                    ]
                )
    return rows


def national_csv(rows: list[list[str]] | None = None, *, add: int = 0) -> bytes:
    """The rows (by default the whole synthetic file) as the portal's CSV template, with
    `add` added to every count, as the benchmarks and the load test upload them."""
    count = HEADERS.index("Aantal")
    rows = synthetic_rows() if rows is None else rows
    changed = [[*row[:count], str(int(row[count]) + add), *row[count + 1 :]] for row in rows]
    lines = [";".join(HEADERS)] + [";".join(row) for row in changed]
    return ("\n".join(lines) + "\n").encode()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows-only", type=int, help="Write only the first N rows.")
    args = parser.parse_args(argv)
    rows = synthetic_rows()
    if args.rows_only is not None:
        rows = rows[: args.rows_only]
    with args.out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADERS)
        writer.writerows(rows)
    print(f"Wrote {len(rows)} synthetic rows to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
