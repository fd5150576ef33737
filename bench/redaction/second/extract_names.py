# ruff: noqa: S311 - seeded, reproducible draws (not cryptographic)
"""Write ``name_pool.json``: the Latin-script names the second check set uses.

    uv run --with names==0.3.0 --with gender-guesser==0.4.0 \
        python bench/redaction/second/extract_names.py

Sources (neither is read by the detector, and this file was written without reading the
detector's word lists):
- family names: the U.S. Census Bureau's 1990 surname frequency list (public domain),
  as shipped in the PyPI package ``names`` 0.3.0 (``dist.all.last``), ranks 1-4000;
- given names: Jörg Michael's ``nam_dict.txt`` (GNU FDL), as shipped in the PyPI package
  ``gender-guesser`` 0.4.0, per country column, names of frequency >= 4 in that country
  and written in letters only.
Draws are seeded, so the pool is reproducible from the two packages.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import gender_guesser  # type: ignore[import-untyped]
import names  # type: ignore[import-untyped]

OUT = Path(__file__).resolve().parent / "name_pool.json"
COLUMNS = {
    "gb": 30, "us": 32, "it": 33, "pt": 35, "es": 36, "fr": 37, "nl": 40, "de": 42,
    "se": 48, "fi": 49, "pl": 53, "cz": 54, "hu": 56, "ro": 57, "hr": 60, "tr": 76,
    "arabic": 77, "in": 80, "vn": 83,
}  # fmt: skip


def given_names() -> dict[str, list[str]]:
    path = Path(gender_guesser.__file__).parent / "data" / "nam_dict.txt"
    by_country: dict[str, set[str]] = {c: set() for c in COLUMNS}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or len(line) < 31 or line[29] == "+":
            continue
        name = line[3:29].strip()
        if not name.isalpha() or not name[0].isupper() or len(name) < 3:
            continue
        for country, col in COLUMNS.items():
            digit = line[col] if col < len(line) else " "
            if digit.strip() and int(digit, 16) >= 4:
                by_country[country].add(name)
    rng = random.Random(7001)
    return {c: rng.sample(sorted(v), min(40, len(v))) for c, v in by_country.items()}


def family_names() -> list[str]:
    path = Path(names.__file__).parent / "dist.all.last"
    rows = [ln.split()[0] for ln in path.read_text().splitlines()[:4000] if ln.strip()]
    rng = random.Random(7002)
    picked = rng.sample(rows, 400)
    out = [p[:1] + p[1:].lower() for p in picked if p.isalpha()]
    return [f"Mc{n[2:].capitalize()}" if n.startswith("Mc") else n for n in out]


def main() -> None:
    pool = {"given": given_names(), "family": family_names()}
    OUT.write_text(json.dumps(pool, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(OUT, sum(len(v) for v in pool["given"].values()), len(pool["family"]))


if __name__ == "__main__":
    main()
