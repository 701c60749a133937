"""Build ``gazetteer.csv``: ISO 3166-2 subdivisions (from pycountry) plus a curated list of cities,
towns and regions that OH records name but ISO 3166-2 does not list.

Deterministic and offline: the output depends only on the installed pycountry and the table below,
and rows are sorted, so re-running it gives the same file. Run it after upgrading pycountry::

    .venv/bin/python graph/actors/data/build_gazetteer.py

Columns: ``code`` (ISO 3166-2, or ``CC/slug`` for places below it), ``name`` (label), ``country``
(ISO alpha-2), ``parent`` (ISO 3166-2 code of the enclosing subdivision when known), ``type``,
``alt_names`` (other spellings, ``;``-separated: the name without "City"/"County" suffixes, without
accents; ISO's own spelling where a curated English form is the label: ET-AM is "Amhara", ISO's "Amara"
an alternative name).
"""

from __future__ import annotations

import csv
import re
import sys
import unicodedata
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parent / "gazetteer.csv"

# Curated places: (name, country, parent ISO 3166-2 code or "", type, alternative names).
# A place whose name is also the name of a subdivision of the same country is merged into that
# subdivision's row (Kampala → UG-102, Mombasa → KE-28): in OH prose the city and the county are
# the same place.
CURATED: list[tuple[str, str, str, str, tuple[str, ...]]] = [
    # Kenya
    ("Nairobi", "KE", "KE-30", "city", ()), ("Mombasa", "KE", "KE-28", "city", ()),
    ("Kisumu", "KE", "KE-17", "city", ()), ("Nakuru", "KE", "KE-31", "city", ()),
    ("Eldoret", "KE", "KE-44", "town", ()), ("Malindi", "KE", "KE-14", "town", ()),
    ("Kilifi", "KE", "KE-14", "town", ()), ("Ganze", "KE", "KE-14", "town", ()),
    ("Magarini", "KE", "KE-14", "town", ()), ("Kaloleni", "KE", "KE-14", "town", ()),
    ("Rabai", "KE", "KE-14", "town", ()), ("Watamu", "KE", "KE-14", "town", ()),
    ("Msambweni", "KE", "KE-19", "town", ()), ("Lunga Lunga", "KE", "KE-19", "town", ("Lunga-Lunga",)),
    ("Ukunda", "KE", "KE-19", "town", ()), ("Kinango", "KE", "KE-19", "town", ()),
    ("Matuga", "KE", "KE-19", "town", ()), ("Diani", "KE", "KE-19", "town", ()),
    ("Likoni", "KE", "KE-28", "town", ()), ("Kisauni", "KE", "KE-28", "town", ()),
    ("Changamwe", "KE", "KE-28", "town", ()), ("Nyali", "KE", "KE-28", "town", ()),
    ("Jomvu", "KE", "KE-28", "town", ()), ("Mvita", "KE", "KE-28", "town", ()),
    ("Merti", "KE", "KE-09", "town", ()), ("Garbatulla", "KE", "KE-09", "town", ("Garba Tulla",)),
    ("Naivasha", "KE", "KE-31", "town", ()), ("Thika", "KE", "KE-13", "town", ()),
    ("Kitale", "KE", "KE-42", "town", ()), ("Lodwar", "KE", "KE-43", "town", ()),
    ("Dadaab", "KE", "KE-07", "town", ()), ("Kakuma", "KE", "KE-43", "town", ()),
    ("Kibera", "KE", "KE-30", "neighbourhood", ()), ("Mathare", "KE", "KE-30", "neighbourhood", ()),
    ("Voi", "KE", "KE-39", "town", ()), ("Taita Taveta", "KE", "KE-39", "county", ("Taita-Taveta",)),
    ("Elgeyo Marakwet", "KE", "KE-05", "county", ("Elgeyo-Marakwet",)),
    # Uganda
    ("Kampala", "UG", "UG-102", "city", ()), ("Gulu", "UG", "UG-304", "city", ()),
    ("Lira", "UG", "UG-307", "city", ()), ("Arua", "UG", "UG-303", "city", ()),
    ("Jinja", "UG", "UG-204", "city", ()), ("Mbarara", "UG", "UG-410", "city", ()),
    ("Mbale", "UG", "UG-209", "city", ()), ("Fort Portal", "UG", "UG-401", "city", ()),
    ("Entebbe", "UG", "UG-112", "town", ()), ("Soroti", "UG", "UG-211", "city", ()),
    ("Acholi", "UG", "UG-N", "sub-region", ("Acholi sub-region", "Acholi Sub-region", "Acholi region")),
    ("Lango", "UG", "UG-N", "sub-region", ("Lango sub-region",)),
    ("West Nile", "UG", "UG-N", "sub-region", ("West Nile sub-region",)),
    ("Karamoja", "UG", "UG-N", "sub-region", ("Karamoja sub-region",)),
    ("Teso", "UG", "UG-E", "sub-region", ("Teso sub-region",)),
    ("Busoga", "UG", "UG-E", "sub-region", ("Busoga sub-region",)),
    # Tanzania
    ("Dar es Salaam", "TZ", "TZ-02", "city", ()), ("Dodoma", "TZ", "TZ-03", "city", ()),
    ("Arusha", "TZ", "TZ-01", "city", ()), ("Mwanza", "TZ", "TZ-18", "city", ()),
    ("Zanzibar", "TZ", "TZ-15", "city", ("Zanzibar City", "Zanzibar Town")),
    ("Unguja", "TZ", "", "island", ()), ("Pemba Island", "TZ", "", "island", ()),
    ("Mbeya", "TZ", "TZ-14", "city", ()), ("Moshi", "TZ", "TZ-09", "town", ()),
    ("Tanga", "TZ", "TZ-25", "city", ()), ("Morogoro", "TZ", "TZ-16", "town", ()),
    ("Ngorongoro", "TZ", "TZ-01", "town", ()), ("Loliondo", "TZ", "TZ-01", "town", ()),
    # Ethiopia
    ("Addis Ababa", "ET", "ET-AA", "city", ("Addis Abeba", "Finfinne")),
    ("Amhara", "ET", "ET-AM", "region", ("Amhara region", "Amhara Region")),
    ("Tigray", "ET", "ET-TI", "region", ("Tigray region", "Tigray Region")),
    ("Hawassa", "ET", "ET-SI", "city", ("Awassa",)), ("Bahir Dar", "ET", "ET-AM", "city", ()),
    ("Mekelle", "ET", "ET-TI", "city", ("Mekele",)), ("Gondar", "ET", "ET-AM", "city", ("Gonder",)),
    ("Dire Dawa", "ET", "ET-DD", "city", ()), ("Adama", "ET", "ET-OR", "city", ()),
    ("Jimma", "ET", "ET-OR", "city", ()), ("Dessie", "ET", "ET-AM", "city", ()),
    ("Benishangul-Gumuz", "ET", "ET-BE", "region", ("Benishangul Gumuz",)),
    # Nigeria
    ("Abuja", "NG", "NG-FC", "city", ()), ("Lagos", "NG", "NG-LA", "city", ()),
    ("Kano", "NG", "NG-KN", "city", ()), ("Ibadan", "NG", "NG-OY", "city", ()),
    ("Port Harcourt", "NG", "NG-RI", "city", ()), ("Kaduna", "NG", "NG-KD", "city", ()),
    ("Maiduguri", "NG", "NG-BO", "city", ()), ("Jos", "NG", "NG-PL", "city", ()),
    ("Enugu", "NG", "NG-EN", "city", ()), ("Benin City", "NG", "NG-ED", "city", ()),
    # DR Congo
    ("Kinshasa", "CD", "CD-KN", "city", ()), ("Bukavu", "CD", "CD-SK", "city", ()),
    ("Uvira", "CD", "CD-SK", "town", ()), ("Goma", "CD", "CD-NK", "city", ()),
    ("Lubumbashi", "CD", "CD-HK", "city", ()), ("Kisangani", "CD", "CD-TO", "city", ()),
    ("Beni", "CD", "CD-NK", "town", ()), ("Bunia", "CD", "CD-IT", "town", ()),
    ("South Kivu", "CD", "CD-SK", "province", ("Sud Kivu",)), ("North Kivu", "CD", "CD-NK", "province", ("Nord Kivu",)),
    # Bangladesh
    ("Dhaka", "BD", "BD-13", "city", ("Dacca",)), ("Chittagong", "BD", "BD-10", "city", ("Chattogram",)),
    ("Khulna", "BD", "BD-27", "city", ()), ("Gazipur", "BD", "BD-18", "city", ()),
    ("Narayanganj", "BD", "BD-40", "city", ()), ("Savar", "BD", "BD-13", "town", ()),
    ("Sylhet", "BD", "BD-60", "city", ()), ("Rajshahi", "BD", "BD-54", "city", ()),
    ("Cox's Bazar", "BD", "BD-11", "town", ("Cox’s Bazar",)),
    # Mozambique
    ("Maputo", "MZ", "MZ-MPM", "city", ()), ("Beira", "MZ", "MZ-S", "city", ()),
    ("Pemba", "MZ", "MZ-P", "city", ()), ("Nampula", "MZ", "MZ-N", "city", ()),
    ("Tete", "MZ", "MZ-T", "city", ()), ("Moatize", "MZ", "MZ-T", "town", ()),
    ("Ancuabe", "MZ", "MZ-P", "town", ()), ("Montepuez", "MZ", "MZ-P", "town", ()),
    ("Palma", "MZ", "MZ-P", "town", ()), ("Mocímboa da Praia", "MZ", "MZ-P", "town", ()),
    ("Angoche", "MZ", "MZ-N", "town", ()), ("Quelimane", "MZ", "MZ-Q", "city", ()),
    ("Chimoio", "MZ", "MZ-B", "city", ()), ("Xai-Xai", "MZ", "MZ-G", "city", ()),
    ("Lichinga", "MZ", "MZ-A", "city", ()), ("Inhambane", "MZ", "MZ-I", "city", ()),
    # Zimbabwe
    ("Harare", "ZW", "ZW-HA", "city", ()), ("Bulawayo", "ZW", "ZW-BU", "city", ()),
    ("Mutare", "ZW", "ZW-MA", "city", ()), ("Chimanimani", "ZW", "ZW-MA", "town", ()),
    ("Chipinge", "ZW", "ZW-MA", "town", ()), ("Goromonzi", "ZW", "ZW-ME", "town", ()),
    ("Mutoko", "ZW", "ZW-ME", "town", ()), ("Marondera", "ZW", "ZW-ME", "town", ()),
    ("Gweru", "ZW", "ZW-MI", "city", ()), ("Masvingo", "ZW", "ZW-MV", "city", ()),
    ("Hwange", "ZW", "ZW-MN", "town", ()), ("Chitungwiza", "ZW", "ZW-HA", "city", ()),
    # Guatemala
    ("Guatemala City", "GT", "GT-01", "city", ("Ciudad de Guatemala",)),
    ("Cobán", "GT", "GT-16", "city", ()), ("Quetzaltenango", "GT", "GT-09", "city", ("Xela",)),
    ("San Juan Sacatepéquez", "GT", "GT-01", "town", ()), ("Antigua Guatemala", "GT", "GT-03", "city", ()),
    ("Huehuetenango", "GT", "GT-13", "city", ()), ("Puerto Barrios", "GT", "GT-18", "city", ()),
    ("El Estor", "GT", "GT-18", "town", ()), ("Santa Cruz del Quiché", "GT", "GT-14", "town", ()),
    # elsewhere in the region and beyond
    ("Kigali", "RW", "RW-01", "city", ()), ("Bujumbura", "BI", "", "city", ()),
    ("Juba", "SS", "", "city", ()), ("Khartoum", "SD", "", "city", ()),
    ("Mogadishu", "SO", "", "city", ()), ("Hargeisa", "SO", "", "city", ()),
    ("Lusaka", "ZM", "", "city", ()), ("Lilongwe", "MW", "", "city", ()), ("Blantyre", "MW", "", "city", ()),
    ("Johannesburg", "ZA", "ZA-GP", "city", ()), ("Cape Town", "ZA", "ZA-WC", "city", ()),
    ("Pretoria", "ZA", "ZA-GP", "city", ()), ("Durban", "ZA", "ZA-KZN", "city", ()),
    ("Accra", "GH", "", "city", ()), ("Dakar", "SN", "", "city", ()), ("Bamako", "ML", "", "city", ()),
    ("Ouagadougou", "BF", "", "city", ()), ("Niamey", "NE", "", "city", ()), ("Abidjan", "CI", "", "city", ()),
    ("Douala", "CM", "", "city", ()), ("Yaoundé", "CM", "", "city", ()), ("Cairo", "EG", "", "city", ()),
    ("Tunis", "TN", "", "city", ()), ("Rabat", "MA", "", "city", ()), ("Banjul", "GM", "", "city", ()),
    ("Freetown", "SL", "", "city", ()), ("Monrovia", "LR", "", "city", ()), ("Conakry", "GN", "", "city", ()),
    ("Kathmandu", "NP", "", "city", ()), ("Karachi", "PK", "", "city", ()), ("Lahore", "PK", "", "city", ()),
    ("Islamabad", "PK", "", "city", ()), ("New Delhi", "IN", "", "city", ()), ("Mumbai", "IN", "", "city", ()),
    ("Colombo", "LK", "", "city", ()), ("Yangon", "MM", "", "city", ()), ("Manila", "PH", "", "city", ()),
    ("Jakarta", "ID", "", "city", ()), ("Phnom Penh", "KH", "", "city", ()),
    ("Tegucigalpa", "HN", "", "city", ()), ("San Salvador", "SV", "", "city", ()),
    ("Managua", "NI", "", "city", ()), ("Bogotá", "CO", "", "city", ()), ("Lima", "PE", "", "city", ()),
    ("La Paz", "BO", "", "city", ()), ("Quito", "EC", "", "city", ()), ("Mexico City", "MX", "MX-CMX", "city", ()),
    ("The Hague", "NL", "NL-ZH", "city", ("Den Haag",)), ("Amsterdam", "NL", "NL-NH", "city", ()),
    ("Geneva", "CH", "CH-GE", "city", ("Genève",)), ("Brussels", "BE", "BE-BRU", "city", ()),
    ("London", "GB", "", "city", ()), ("New York", "US", "US-NY", "city", ()), ("Washington", "US", "US-DC", "city", ()),
]

# Subdivision names that are ordinary words in English prose (or country names): never matched
# from pycountry alone; a curated row can still name such a place explicitly.
GENERIC = {
    "central", "centre", "center", "coast", "north", "south", "east", "west", "northern", "southern",
    "eastern", "western", "north east", "north west", "south east", "south west", "delta", "plateau",
    "rivers", "lakes", "lake", "upper", "lower", "capital", "islands", "island", "sud", "nord", "est", "ouest",
    "littoral", "mountain", "valley", "highlands", "unity", "union", "liberty", "victoria", "mara", "somali",
    "tanganyika", "equateur", "équateur", "red sea", "river", "gulf", "national", "federal", "harbour", "port",
    "bar", "para", "pará", "federal district", "capital district", "capital territory", "city", "grand", "bay",
    "interior", "frontier", "border", "midlands", "copperbelt", "saint", "san", "santa", "mount", "cape",
    "kent", "orange", "free state", "amnesty", "forest", "savannah", "savanes", "plateaux", "centre-nord",
    "as", "of", "an", "al", "in", "at", "to", "la", "le", "el",
}

_SUFFIX = re.compile(r"\s+(City|County|Region|Province|State|District|Division|Department|Administration)$")


def fold(text: str) -> str:
    """Accent-free form, so "Cobán" also matches "Coban"."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text).lower()).strip("-")


def _alts(name: str, extra: tuple[str, ...] = ()) -> list[str]:
    out: list[str] = []
    for n in (name, *extra):
        for v in (n, _SUFFIX.sub("", n), n.replace("/", "-"), n.replace("/", " ")):
            for w in (v, fold(v)):
                if w and w not in out:
                    out.append(w)
    return [a for a in out if a != name]


def _country_names() -> set[str]:
    names = set()
    for c in pycountry.countries:
        for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if n:
                names.add(n.lower())
    return names


def build() -> list[dict[str, str]]:
    countries = _country_names()
    rows: dict[str, dict[str, str]] = {}
    for s in pycountry.subdivisions:
        if s.name.lower() in countries and s.type.lower() not in ("city", "capital city"):
            continue  # "Guatemala" the department: text naming it means the country
        rows[s.code] = {"code": s.code, "name": s.name, "country": s.country_code, "parent": s.parent_code or "",
                        "type": s.type.lower(), "alt_names": _alts(s.name)}
    by_name = {(r["country"], fold(n).lower()): code for code, r in rows.items() for n in [r["name"], *r["alt_names"]]}
    for name, cc, parent, typ, extra in CURATED:
        same_as_parent = parent in rows and fold(rows[parent]["name"]).lower() == fold(name).lower()
        code = parent if same_as_parent else by_name.get((cc, fold(name).lower()))
        if code is None and parent in rows and (typ in ("region", "province", "county") or (
                typ == "city" and fold(rows[parent]["name"]).lower().startswith(fold(name).lower()))):
            code = parent  # "Amhara" → ET-AM "Amara"; "Nairobi" → KE-30 "Nairobi City"
        if code is not None:
            r = rows[code]
            if code == parent and not same_as_parent and typ in ("region", "province", "county") \
                    and not fold(r["name"]).lower().startswith(fold(name).lower()):
                # the English form the records write is the label, ISO's form an alternative name ("Amhara",
                # not ISO's "Amara", on an outcome's page)
                r["alt_names"] = [r["name"], *(a for a in r["alt_names"] if a != name)]
                r["name"] = name
            for a in [name, *_alts(name, extra)]:
                if a != r["name"] and a not in r["alt_names"]:
                    r["alt_names"].append(a)
            if typ == "city" and r["type"] not in ("city", "capital city"):
                r["type"] = f"{r['type']}+city"
            continue
        code = f"{cc}/{slug(name)}"
        rows[code] = {"code": code, "name": name, "country": cc, "parent": parent, "type": typ,
                      "alt_names": _alts(name, extra)}
    out = []
    for code in sorted(rows):
        r = dict(rows[code])
        r["alt_names"] = ";".join(a for a in r["alt_names"] if a.lower() not in GENERIC)
        r["generic"] = "1" if r["name"].lower() in GENERIC else ""
        out.append(r)
    return out


def write(path: Path = OUT) -> int:
    rows = build()
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["code", "name", "country", "parent", "type", "alt_names", "generic"],
                           lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    n = write(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
    print(f"wrote {n} places to {sys.argv[1] if len(sys.argv) > 1 else OUT}")
