"""Where and when a person is: IANA time zones from a location, a name, a city or the clock.

Everything here is offline and pure apart from lazily loaded, read-only data: the
``timezonefinder`` polygons, the bundled GeoNames city table (``bot/content/cities.json.gz``)
and the tz database (``tzdata``). Each is loaded once, on first use, and shared.
"""

from __future__ import annotations

import bisect
import gzip
import json
import math
import re
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

if TYPE_CHECKING:
    from timezonefinder import TimezoneFinder

__all__ = [
    "CityMatch",
    "find_cities",
    "normalize_name",
    "resolve_location",
    "resolve_zone_name",
    "zones_for_local_time",
]

CITY_DATA_FORMAT = 2
CITY_DATA_PATH = Path(__file__).resolve().parent.parent / "content" / "cities.json.gz"

# The offsets people actually live at: UTC-12:00 (Baker Island) to UTC+14:00 (Kiritimati).
MIN_UTC_OFFSET = timedelta(hours=-12)
MAX_UTC_OFFSET = timedelta(hours=14)
# People read their clock a few minutes off; every real offset is a multiple of 15 minutes.
OFFSET_GRANULARITY_MINUTES = 15

# ---------------------------------------------------------------------------------------------
# Text normalization shared by the city index, the builder and zone names
# ---------------------------------------------------------------------------------------------

# Letters NFKD does not decompose into "base letter + accent".
_FOLD = str.maketrans(
    {
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "ı": "i",
        "ł": "l",
        "ŀ": "l",
        "œ": "oe",
        "æ": "ae",
        "þ": "th",
        "ŧ": "t",
        "ʻ": None,
        "ʼ": None,
        "'": None,
        "’": None,
        "‘": None,
        "`": None,
        "´": None,
    }
)
_NON_ALNUM = re.compile(r"[\W_]+")


def normalize_name(text: str) -> str:
    """Fold a place name for matching: case, accents, apostrophes, punctuation and spacing.

    Args:
        text: A name as typed or as stored ("São Paulo", " sao  PAULO ", "N'Djamena").

    Returns:
        Lower-case words separated by single spaces, accents removed ("sao paulo",
        "ndjamena"); an empty string when nothing is left.
    """
    folded = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(char for char in folded if not unicodedata.combining(char))
    return _NON_ALNUM.sub(" ", stripped.translate(_FOLD)).strip()


# ---------------------------------------------------------------------------------------------
# Shared location
# ---------------------------------------------------------------------------------------------

_finder: TimezoneFinder | None = None
_finder_lock = threading.Lock()

# Rings searched around a point at sea for the nearest land zone, in degrees (~10 to ~110 km).
_SEA_SEARCH_RADII = (0.1, 0.25, 0.5, 1.0)
_SEA_SEARCH_DIRECTIONS = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1))


def _timezone_finder() -> TimezoneFinder:
    """Return the shared finder, building it on first use (it takes a while to open)."""
    global _finder
    if _finder is None:
        with _finder_lock:
            if _finder is None:
                from timezonefinder import TimezoneFinder

                _finder = TimezoneFinder()
    return _finder


def resolve_location(latitude: float, longitude: float) -> str | None:
    """Return the IANA zone for a shared location, offline.

    A point on land (or in territorial waters) gets its zone. A point at sea gets the land zone
    found nearest within about 100 km (a ferry, a beach), and failing that the nautical
    ``Etc/GMT±N`` zone for its longitude, which is what a ship's clock would show.

    Args:
        latitude: Degrees north, -90 to 90.
        longitude: Degrees east, -180 to 180.

    Returns:
        A name ``zoneinfo.ZoneInfo`` can load, or None for invalid coordinates (out of range,
        NaN or infinite) or when no zone is known there.
    """
    if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
        return None
    finder = _timezone_finder()
    zone = finder.timezone_at_land(lng=longitude, lat=latitude)
    if zone is None:
        zone = _nearest_land_zone(finder, latitude, longitude)
    if zone is None:
        zone = finder.timezone_at(lng=longitude, lat=latitude)
    return zone if zone is not None and _loadable(zone) else None


def _nearest_land_zone(finder: TimezoneFinder, latitude: float, longitude: float) -> str | None:
    """Search growing rings around a point at sea for a land zone."""
    for radius in _SEA_SEARCH_RADII:
        for d_lat, d_lng in _SEA_SEARCH_DIRECTIONS:
            lat = latitude + d_lat * radius
            lng = longitude + d_lng * radius
            if not -90.0 <= lat <= 90.0:
                continue
            lng = (lng + 180.0) % 360.0 - 180.0
            zone = finder.timezone_at_land(lng=lng, lat=lat)
            if zone is not None:
                return zone
    return None


@cache
def _loadable(zone: str) -> bool:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


# ---------------------------------------------------------------------------------------------
# Typed zone names
# ---------------------------------------------------------------------------------------------

# "UTC+3", "gmt-5", "UTC +05:00"; only whole hours have an Etc/GMT zone.
_FIXED_OFFSET = re.compile(r"(?:utc|gmt)([+\-−])(\d{1,2})(?::?00)?", re.ASCII)
_ZONE_SEPARATORS = re.compile(r"[\s_-]+")
_NOT_A_PLACE = frozenset({"Factory", "localtime", "posixrules"})


def _zone_key(text: str) -> str:
    parts = (part.strip() for part in text.casefold().split("/"))
    return "/".join(_ZONE_SEPARATORS.sub("_", part) for part in parts)


@cache
def _canonical_zones() -> frozenset[str]:
    """Canonical zone names from tzdata's zone.tab and zone1970.tab (no links, no Etc/)."""
    zones: set[str] = set()
    for table in ("zone.tab", "zone1970.tab"):
        try:
            text = resources.files("tzdata.zoneinfo").joinpath(table).read_text("utf-8")
        except (ModuleNotFoundError, FileNotFoundError):
            continue
        for line in text.splitlines():
            if line and not line.startswith("#"):
                zones.add(line.split("\t")[2])
    return frozenset(zone for zone in zones if _loadable(zone))


@cache
def _zone_names() -> tuple[dict[str, str], dict[str, str]]:
    """Map folded full names, and folded city parts naming one zone, to IANA names."""
    full: dict[str, str] = {}
    by_last: defaultdict[str, list[str]] = defaultdict(list)
    for name in sorted(available_timezones() - _NOT_A_PLACE):
        full[_zone_key(name)] = name
        if "/" in name and not name.startswith("Etc/"):
            by_last[_zone_key(name.rsplit("/", 1)[1])].append(name)
    canonical = _canonical_zones()
    last: dict[str, str] = {}
    for key, names in by_last.items():
        # "indianapolis" is both America/Indianapolis (a link) and America/Indiana/Indianapolis:
        # prefer the one canonical name, give up when it is still ambiguous.
        preferred = [name for name in names if name in canonical] if len(names) > 1 else names
        if len(preferred) == 1:
            last[key] = preferred[0]
    return full, last


def resolve_zone_name(text: str) -> str | None:
    """Return the IANA zone a person typed, in any case or spacing.

    Accepts full names ("europe/berlin", "America/New York", "Asia/Kolkata"), links and
    aliases the tz database carries ("UTC", "GMT", "Asia/Calcutta", "US/Eastern"), the city part
    alone when it names one zone ("kolkata", "new york"), and whole-hour fixed offsets
    ("UTC+3" -> "Etc/GMT-3"; the tz database's Etc signs are inverted).

    Args:
        text: What the person typed.

    Returns:
        A name ``zoneinfo.ZoneInfo`` loads, or None.
    """
    key = _zone_key(text.strip())
    if not key:
        return None
    full, last = _zone_names()
    name = full.get(key) or last.get(key)
    if name is None and (match := _FIXED_OFFSET.fullmatch("".join(text.casefold().split()))):
        sign, hours = match.groups()
        sign = "+" if sign == "+" else "-"
        if int(hours) == 0:
            name = "Etc/UTC"
        elif int(hours) <= (14 if sign == "+" else 12):
            # POSIX style: Etc/GMT-3 is three hours *ahead* of UTC.
            name = f"Etc/GMT{'-' if sign == '+' else '+'}{int(hours)}"
    return name if name is not None and _loadable(name) else None


# ---------------------------------------------------------------------------------------------
# City search
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CityMatch:
    """A city a person may live in.

    Attributes:
        name: Display name from GeoNames ("São Paulo", "New York City").
        country_code: ISO 3166-1 alpha-2 code ("BR").
        country: Country name in English ("Brazil").
        admin: US state name for US cities ("Illinois"), else None.
        timezone: IANA zone name.
        population: Population per GeoNames.
    """

    name: str
    country_code: str
    country: str
    admin: str | None
    timezone: str
    population: int


class _CityIndex:
    """The city table, indexed by normalized name. Read-only once built."""

    def __init__(self, table: dict[str, Any]) -> None:
        self._countries: dict[str, str] = table["countries"]
        self._zones: list[str] = table["zones"]
        # [name, country code, US state or "", zone index, population, name key, "alt|keys"]
        self._rows: list[list[Any]] = table["cities"]
        primary: defaultdict[str, list[int]] = defaultdict(list)
        alternate: defaultdict[str, list[int]] = defaultdict(list)
        self.zone_population: defaultdict[str, int] = defaultdict(int)
        self._sorted_keys: list[str] | None = None
        # Rows are stored most populous first, so every posting list comes out in that order.
        for city_id, row in enumerate(self._rows):
            _, _, _, zone, population, key, keys = row
            self.zone_population[self._zones[zone]] += population
            primary[key].append(city_id)
            if keys:
                for alternate_key in keys.split("|"):
                    alternate[alternate_key].append(city_id)
                row[6] = ""  # now held by the index; the joined copy is dead weight
        # Most keys name one city; a bare int instead of a one-item list saves ~10 MB.
        self._primary = {
            key: ids[0] if len(ids) == 1 else tuple(ids) for key, ids in primary.items()
        }
        self._alternate = {
            key: ids[0] if len(ids) == 1 else tuple(ids) for key, ids in alternate.items()
        }

    def by_name(self, key: str) -> tuple[int, ...]:
        """Ids of the cities whose own name folds to ``key``, most populous first."""
        return _ids(self._primary.get(key, ()))

    def by_alternate_name(self, key: str) -> tuple[int, ...]:
        """Ids of the cities with an alternate name folding to ``key``, most populous first."""
        return _ids(self._alternate.get(key, ()))

    def city(self, city_id: int) -> CityMatch:
        name, code, admin, zone, population, _, _ = self._rows[city_id]
        return CityMatch(
            name=name,
            country_code=code,
            country=self._countries.get(code, code),
            admin=admin or None,
            timezone=self._zones[zone],
            population=population,
        )

    def population(self, city_id: int) -> int:
        population: int = self._rows[city_id][4]
        return population

    def with_prefix(self, prefix: str) -> set[int]:
        """Return the ids of cities with any name key starting with ``prefix``."""
        if self._sorted_keys is None:
            # Built on first use only: most searches are answered by an exact key.
            self._sorted_keys = sorted(self._primary.keys() | self._alternate.keys())
        keys = self._sorted_keys
        found: set[int] = set()
        for position in range(bisect.bisect_left(keys, prefix), len(keys)):
            key = keys[position]
            if not key.startswith(prefix):
                break
            found.update(self.by_name(key))
            found.update(self.by_alternate_name(key))
        return found


def _ids(value: int | tuple[int, ...]) -> tuple[int, ...]:
    return (value,) if isinstance(value, int) else value


_index: _CityIndex | None = None
_index_lock = threading.Lock()


def _city_index() -> _CityIndex:
    global _index
    if _index is None:
        with _index_lock:
            if _index is None:
                _index = _load_city_index(CITY_DATA_PATH)
    return _index


def _load_city_index(path: Path) -> _CityIndex:
    with gzip.open(path, "rb") as stream:
        table: dict[str, Any] = json.load(stream)
    if table.get("format") != CITY_DATA_FORMAT:
        msg = f"{path}: unsupported city data format {table.get('format')!r}"
        raise ValueError(msg)
    return _CityIndex(table)


def _split_qualifier(text: str) -> tuple[str, str]:
    """Split "Paris, France" / "Springfield, IL" into the name and what narrows it."""
    name, _, qualifier = text.partition(",")
    return normalize_name(name), normalize_name(qualifier)


def _qualifies(city: CityMatch, qualifier: str) -> bool:
    if not qualifier:
        return True
    candidates = {city.country_code.casefold(), normalize_name(city.country)}
    if city.admin:
        candidates.add(normalize_name(city.admin))
    if city.country_code == "US":
        candidates.update({"usa", "us", "united states of america", "america"})
        if city.admin in _US_STATE_CODES:
            candidates.add(_US_STATE_CODES[city.admin])
    if city.country_code == "GB":
        candidates.update({"uk", "england", "scotland", "wales", "northern ireland"})
    return qualifier in candidates


def find_cities(text: str, limit: int = 5) -> list[CityMatch]:
    """Search the bundled GeoNames cities (population >= 15 000) by name, offline.

    Matching ignores case, accents, apostrophes, punctuation and spacing, and knows the
    Latin-script alternate names GeoNames records ("munich" and "münchen", "kiev" and "kyiv").
    A qualifier after a comma narrows the search by country name or code, or US state
    ("Paris, US", "Springfield, Illinois", "Springfield, MA").

    Results: cities whose own name matches, then cities with a matching alternate name, each
    group most populous first. Only when nothing matches exactly are names that start with
    the text offered ("sao pa" -> São Paulo).

    Args:
        text: What the person typed.
        limit: At most this many results.

    Returns:
        Up to ``limit`` matches, best first; empty when nothing matches.
    """
    name, qualifier = _split_qualifier(text)
    if not name or limit <= 0:
        return []
    index = _city_index()
    found: list[CityMatch] = []
    seen: set[int] = set()

    def take(ids: Iterable[int]) -> None:
        for city_id in ids:
            if len(found) >= limit:
                return
            if city_id not in seen:
                seen.add(city_id)
                city = index.city(city_id)
                if _qualifies(city, qualifier):
                    found.append(city)

    take(index.by_name(name))
    take(index.by_alternate_name(name))
    if not found and len(name) >= 3:
        take(sorted(index.with_prefix(name), key=lambda city_id: -index.population(city_id)))
    return found


_US_STATE_CODES: dict[str, str] = {
    "Alabama": "al", "Alaska": "ak", "Arizona": "az", "Arkansas": "ar", "California": "ca",
    "Colorado": "co", "Connecticut": "ct", "Delaware": "de", "District of Columbia": "dc",
    "Florida": "fl", "Georgia": "ga", "Hawaii": "hi", "Idaho": "id", "Illinois": "il",
    "Indiana": "in", "Iowa": "ia", "Kansas": "ks", "Kentucky": "ky", "Louisiana": "la",
    "Maine": "me", "Maryland": "md", "Massachusetts": "ma", "Michigan": "mi",
    "Minnesota": "mn", "Mississippi": "ms", "Missouri": "mo", "Montana": "mt",
    "Nebraska": "ne", "Nevada": "nv", "New Hampshire": "nh", "New Jersey": "nj",
    "New Mexico": "nm", "New York": "ny", "North Carolina": "nc", "North Dakota": "nd",
    "Ohio": "oh", "Oklahoma": "ok", "Oregon": "or", "Pennsylvania": "pa",
    "Rhode Island": "ri", "South Carolina": "sc", "South Dakota": "sd", "Tennessee": "tn",
    "Texas": "tx", "Utah": "ut", "Vermont": "vt", "Virginia": "va", "Washington": "wa",
    "West Virginia": "wv", "Wisconsin": "wi", "Wyoming": "wy",
}  # fmt: skip


# ---------------------------------------------------------------------------------------------
# "What time is it for you now?"
# ---------------------------------------------------------------------------------------------


@cache
def _inhabited_zones() -> tuple[tuple[str, ZoneInfo], ...]:
    """Zones people live in: tzdata's canonical zones plus every zone of the city table.

    The ZoneInfo objects are kept here because zoneinfo's own cache holds only a few strongly
    and would otherwise re-read hundreds of files on every call.
    """
    zones = set(_canonical_zones()) | set(_city_index().zone_population)
    return tuple((zone, ZoneInfo(zone)) for zone in sorted(zones) if _loadable(zone))


def zones_for_local_time(now_utc: datetime, local: time) -> list[str]:
    """Return the zones whose clocks read ``local`` at the instant ``now_utc``.

    The gap between the person's clock and UTC is rounded to the nearest 15 minutes, so a
    clock a few minutes off still finds its zone. Because a clock shows no date, a gap of
    +13:00 is the same reading as -11:00; every offset between -12:00 and +14:00 that fits
    is considered.

    Ordering: the most populous zone of each fitting offset first (offsets with more people
    first; e.g. Asia/Kolkata for +05:30), then every other fitting zone, most populous first.
    Population is summed from the bundled city table.

    Args:
        now_utc: The current instant; must be timezone-aware.
        local: The time the person's clock shows (seconds are ignored).

    Returns:
        IANA zone names, best first; empty when no zone has that offset now.

    Raises:
        ValueError: ``now_utc`` is naive.
    """
    if now_utc.tzinfo is None or now_utc.utcoffset() is None:
        msg = "now_utc must be timezone-aware"
        raise ValueError(msg)
    utc = now_utc.astimezone(ZoneInfo("UTC"))
    utc_minutes = utc.hour * 60 + utc.minute + utc.second / 60 + utc.microsecond / 60e6
    gap = (local.hour * 60 + local.minute - utc_minutes) % (24 * 60)
    step = OFFSET_GRANULARITY_MINUTES
    rounded = math.floor(gap / step + 0.5) * step % (24 * 60)
    offsets = {
        timedelta(minutes=minutes)
        for minutes in (rounded, rounded - 24 * 60)
        if MIN_UTC_OFFSET <= timedelta(minutes=minutes) <= MAX_UTC_OFFSET
    }
    if not offsets:
        return []

    population = _city_index().zone_population
    by_offset: defaultdict[timedelta, list[str]] = defaultdict(list)
    for zone, info in _inhabited_zones():
        offset = utc.astimezone(info).utcoffset()
        if offset in offsets:
            by_offset[offset].append(zone)
    if not by_offset:
        return []

    def weight(zone: str) -> tuple[int, str]:
        return (-population.get(zone, 0), zone)

    groups = [sorted(zones, key=weight) for zones in by_offset.values()]
    groups.sort(key=lambda zones: (-sum(population.get(zone, 0) for zone in zones), zones[0]))
    leaders = [zones[0] for zones in groups]
    rest = sorted((zone for zones in groups for zone in zones[1:]), key=weight)
    return leaders + rest
