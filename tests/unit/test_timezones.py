import gzip
import json
import math
from datetime import UTC, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.content import build_cities
from bot.kindness.timezones import (
    CITY_DATA_FORMAT,
    CITY_DATA_PATH,
    CityMatch,
    find_cities,
    normalize_name,
    resolve_location,
    resolve_zone_name,
    zones_for_local_time,
)

# Fixed instants: tests never read the wall clock.
JULY = datetime(2025, 7, 1, 12, 0, tzinfo=UTC)  # northern summer, southern winter
JANUARY = datetime(2025, 1, 15, 12, 0, tzinfo=UTC)


# --- shared locations ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latitude", "longitude", "zone"),
    [
        (52.5200, 13.4050, "Europe/Berlin"),
        (40.7128, -74.0060, "America/New_York"),
        (22.5726, 88.3639, "Asia/Kolkata"),
        (-36.8485, 174.7633, "Pacific/Auckland"),
        (-43.9500, -176.5500, "Pacific/Chatham"),
        (-23.5505, -46.6333, "America/Sao_Paulo"),
        (1.8721, -157.4278, "Pacific/Kiritimati"),
        (51.5074, -0.1278, "Europe/London"),
    ],
)
def test_resolve_location(latitude, longitude, zone):
    assert resolve_location(latitude, longitude) == zone


def test_near_the_coast_gets_the_land_zone():
    # In the Baltic between Rügen and Bornholm, outside German territorial waters.
    assert resolve_location(54.85, 14.1) in {"Europe/Berlin", "Europe/Copenhagen"}


def test_open_sea_gets_the_nautical_zone():
    zone = resolve_location(0.0, -30.0)  # mid-Atlantic
    assert zone == "Etc/GMT+2"
    assert ZoneInfo(zone).utcoffset(JULY) == timedelta(hours=-2)


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [
        (90.1, 0.0),
        (-90.1, 0.0),
        (0.0, 180.1),
        (0.0, -180.1),
        (1000.0, 1000.0),
        (math.nan, 0.0),
        (0.0, math.nan),
        (math.inf, 0.0),
        (0.0, -math.inf),
    ],
)
def test_out_of_range_coordinates_are_rejected(latitude, longitude):
    assert resolve_location(latitude, longitude) is None


@given(st.floats(-90, 90), st.floats(-180, 180))
def test_any_valid_location_resolves_to_a_loadable_zone(latitude, longitude):
    zone = resolve_location(latitude, longitude)
    assert zone is not None
    ZoneInfo(zone)


# --- typed zone names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("EUROPE/BERLIN", "Europe/Berlin"),
        (" Europe / Berlin ", "Europe/Berlin"),
        ("America/New York", "America/New_York"),
        ("america/new_york", "America/New_York"),
        ("America/Port-au-Prince", "America/Port-au-Prince"),
        ("america/port au prince", "America/Port-au-Prince"),
        ("Asia/Kolkata", "Asia/Kolkata"),
        ("asia/calcutta", "Asia/Calcutta"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("utc", "UTC"),
        ("UTC", "UTC"),
        ("gmt", "GMT"),
        ("kolkata", "Asia/Kolkata"),
        ("New York", "America/New_York"),
        ("indianapolis", "America/Indiana/Indianapolis"),
        ("UTC+3", "Etc/GMT-3"),
        ("utc - 5", "Etc/GMT+5"),
        ("GMT+05:00", "Etc/GMT-5"),
        ("UTC+14", "Etc/GMT-14"),
        ("UTC-12", "Etc/GMT+12"),
        ("UTC+0", "Etc/UTC"),
    ],
)
def test_resolve_zone_name(text, zone):
    assert resolve_zone_name(text) == zone
    ZoneInfo(zone)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "Berlin/Europe", "Mars/Olympus", "UTC+15", "UTC-13", "UTC+5:30", "Factory", "/"],
)
def test_resolve_zone_name_rejects(text):
    assert resolve_zone_name(text) is None


def test_fixed_offset_sign_is_the_intuitive_one():
    zone = resolve_zone_name("UTC+3")
    assert zone is not None
    assert ZoneInfo(zone).utcoffset(JULY) == timedelta(hours=3)


@given(st.text(max_size=30))
def test_resolve_zone_name_only_returns_loadable_zones(text):
    zone = resolve_zone_name(text)
    if zone is not None:
        ZoneInfo(zone)


# --- cities ----------------------------------------------------------------------------------


def _top(text: str) -> CityMatch:
    matches = find_cities(text)
    assert matches, text
    return matches[0]


@pytest.mark.parametrize(
    ("text", "name", "country_code", "zone"),
    [
        ("Berlin", "Berlin", "DE", "Europe/Berlin"),
        ("berlin", "Berlin", "DE", "Europe/Berlin"),
        ("  BERLIN ", "Berlin", "DE", "Europe/Berlin"),
        ("sao paulo", "São Paulo", "BR", "America/Sao_Paulo"),
        ("São Paulo", "São Paulo", "BR", "America/Sao_Paulo"),
        ("SAO-PAULO", "São Paulo", "BR", "America/Sao_Paulo"),
        ("New York", "New York City", "US", "America/New_York"),
        ("new york city", "New York City", "US", "America/New_York"),
        ("münchen", "Munich", "DE", "Europe/Berlin"),
        ("Muenchen", "Munich", "DE", "Europe/Berlin"),
        ("munich", "Munich", "DE", "Europe/Berlin"),
        ("kyiv", "Kyiv", "UA", "Europe/Kyiv"),
        ("Kiev", "Kyiv", "UA", "Europe/Kyiv"),
        ("Köln", "Köln", "DE", "Europe/Berlin"),
        ("cologne", "Köln", "DE", "Europe/Berlin"),
        ("ndjamena", "N'Djamena", "TD", "Africa/Ndjamena"),
        ("Kolkata", "Kolkata", "IN", "Asia/Kolkata"),
        ("Kathmandu", "Kathmandu", "NP", "Asia/Kathmandu"),
        ("Auckland", "Auckland", "NZ", "Pacific/Auckland"),
    ],
)
def test_find_cities(text, name, country_code, zone):
    city = _top(text)
    assert (city.name, city.country_code, city.timezone) == (name, country_code, zone)
    ZoneInfo(city.timezone)


def test_city_match_fields():
    berlin = _top("Berlin")
    assert berlin.country == "Germany"
    assert berlin.admin is None
    assert berlin.population > 3_000_000
    with pytest.raises(AttributeError):
        berlin.name = "Bonn"  # type: ignore[misc]


def test_paris_france_first_then_paris_texas():
    matches = find_cities("Paris")
    assert (matches[0].name, matches[0].country_code) == ("Paris", "FR")
    texas = [m for m in matches if m.country_code == "US"]
    assert texas
    assert texas[0].name == "Paris"
    assert texas[0].admin == "Texas"
    assert texas[0].timezone == "America/Chicago"


def test_ambiguous_names_return_several_most_populous_first():
    matches = find_cities("Springfield", limit=10)
    assert len(matches) >= 5
    # Cities called Springfield first; then ones with it as an alternate name.
    named = [m for m in matches if m.name == "Springfield"]
    assert matches[: len(named)] == named
    assert len(named) >= 5
    matches = named
    assert len({m.admin for m in matches}) == len(matches)
    populations = [m.population for m in matches]
    assert populations == sorted(populations, reverse=True)
    assert {m.timezone for m in matches} >= {"America/Chicago", "America/New_York"}


def test_own_name_ranks_above_alternate_name():
    # St. Petersburg, Florida is called that; the Russian city only has it as an alternate name.
    matches = find_cities("Saint Petersburg")
    assert (matches[0].country_code, matches[0].timezone) == ("RU", "Europe/Moscow")


def test_limit():
    assert len(find_cities("Springfield", limit=2)) == 2
    assert find_cities("Springfield", limit=0) == []


@pytest.mark.parametrize(
    ("text", "admin", "country_code"),
    [
        ("Springfield, MA", "Massachusetts", "US"),
        ("springfield, illinois", "Illinois", "US"),
        ("Paris, US", "Texas", "US"),
        ("Paris, France", None, "FR"),
        ("paris, fr", None, "FR"),
    ],
)
def test_qualifier_after_comma(text, admin, country_code):
    matches = find_cities(text)
    assert matches
    assert {(m.admin, m.country_code) for m in matches} == {(admin, country_code)}


def test_prefix_when_nothing_matches_exactly():
    assert _top("sao pau").name == "São Paulo"
    assert _top("Kathm").name == "Kathmandu"


@pytest.mark.parametrize("text", ["", "  ", ",", "Xyzzyville", "qqqqqq", "12345", "Paris, Mars"])
def test_unknown_city(text):
    assert find_cities(text) == []


@given(st.text(max_size=40), st.integers(0, 10))
def test_find_cities_never_fails(text, limit):
    matches = find_cities(text, limit=limit)
    assert len(matches) <= limit


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("São Paulo", "sao paulo"),
        ("  New   York ", "new york"),
        ("N'Djamena", "ndjamena"),
        ("Frankfurt (Oder)", "frankfurt oder"),
        ("Straße", "strasse"),
        ("Łódź", "lodz"),
        ("Tromsø", "tromso"),
        ("Port-au-Prince", "port au prince"),
    ],
)
def test_normalize_name(text, normalized):
    assert normalize_name(text) == normalized


def test_bundled_data_file():
    assert CITY_DATA_PATH.stat().st_size < 1_500_000
    with gzip.open(CITY_DATA_PATH, "rb") as stream:
        table = json.load(stream)
    assert table["format"] == CITY_DATA_FORMAT
    assert table["license"] == "CC BY 4.0"
    assert len(table["cities"]) > 30_000
    for zone in table["zones"]:
        ZoneInfo(zone)


# --- the generator ---------------------------------------------------------------------------


def test_build_cities_from_a_tiny_source(tmp_path):
    city = {
        "name": "München",
        "countrycode": "DE",
        "admin1code": "02",
        "population": 1_500_000,
        "timezone": "Europe/Berlin",
        "alternatenames": ["Munich", "MUC", "Мюнхен", "mu ni hei", "Monaco di Baviera", "München"],
    }
    small = {**city, "name": "Tiny", "population": 100, "alternatenames": []}
    springfield = {
        "name": "Springfield",
        "countrycode": "US",
        "admin1code": "IL",
        "population": 114_394,
        "timezone": "America/Chicago",
        "alternatenames": [],
    }
    (tmp_path / "cities15000.json").write_text(
        json.dumps({"1": small, "2": springfield, "3": city}), encoding="utf-8"
    )
    (tmp_path / "countries.json").write_text(
        json.dumps({"DE": {"name": "Germany"}, "US": {"name": "United States"}}),
        encoding="utf-8",
    )
    (tmp_path / "us_states.json").write_text(
        json.dumps({"IL": {"code": "IL", "name": "Illinois"}}), encoding="utf-8"
    )
    output = tmp_path / "cities.json.gz"

    assert build_cities.main(["--source", str(tmp_path), "--output", str(output)]) == 0

    with gzip.open(output, "rb") as stream:
        table = json.load(stream)
    assert table["format"] == CITY_DATA_FORMAT
    assert table["countries"] == {"DE": "Germany", "US": "United States"}
    assert table["zones"] == ["Europe/Berlin", "America/Chicago"]
    assert table["cities"] == [
        ["München", "DE", "", 0, 1_500_000, "munchen", "munich|monaco di baviera"],
        ["Springfield", "US", "Illinois", 1, 114_394, "springfield", ""],
    ]


# --- "what time is it for you?" --------------------------------------------------------------


def _at(now: datetime, hours: float) -> time:
    """The local clock reading at ``now`` for a zone ``hours`` ahead of UTC."""
    return (now + timedelta(hours=hours)).time().replace(second=0, microsecond=0)


@pytest.mark.parametrize(
    ("now", "hours", "first", "also"),
    [
        (JULY, 5.5, "Asia/Kolkata", {"Asia/Colombo"}),
        (JULY, 5.75, "Asia/Kathmandu", set()),
        (JULY, 12.75, "Pacific/Chatham", set()),  # Chatham standard time, southern winter
        (JANUARY, 13.75, "Pacific/Chatham", set()),  # Chatham daylight time
        (JANUARY, -3.5, "America/St_Johns", set()),  # Newfoundland standard time
        (JULY, -2.5, "America/St_Johns", set()),  # Newfoundland daylight time
        (JULY, 14, "Pacific/Kiritimati", set()),
        (JANUARY, 1, "Africa/Lagos", {"Europe/Paris", "Europe/Berlin"}),
        (JULY, 2, "Europe/Berlin", {"Europe/Paris", "Africa/Johannesburg"}),
        (JANUARY, -5, "America/New_York", {"America/Toronto"}),
        (JULY, 9, "Asia/Tokyo", {"Asia/Seoul"}),
        (JULY, 8, "Asia/Shanghai", {"Asia/Singapore"}),
    ],
)
def test_zones_for_local_time(now, hours, first, also):
    zones = zones_for_local_time(now, _at(now, hours))
    assert also <= set(zones)
    # A clock shows no date: +14:00 reads like -10:00. Each fitting offset's most populous
    # zone leads the list, and ``first`` leads its own offset.
    offsets = {now.astimezone(ZoneInfo(zone)).utcoffset() for zone in zones}
    assert timedelta(hours=hours) in offsets
    assert first in zones[: len(offsets)]
    same_offset = [
        zone
        for zone in zones
        if now.astimezone(ZoneInfo(zone)).utcoffset() == timedelta(hours=hours)
    ]
    assert same_offset[0] == first


def test_plus_fourteen_and_minus_ten_read_alike():
    zones = zones_for_local_time(JULY, _at(JULY, 14))
    assert zones[:2] == ["Pacific/Honolulu", "Pacific/Kiritimati"]


def test_the_most_populous_offset_leads():
    # 04:30 UTC, clock at 10:00: +5:30 only (India); -18:30 is out of range.
    now = datetime(2025, 7, 1, 4, 30, tzinfo=UTC)
    assert zones_for_local_time(now, time(10, 0))[0] == "Asia/Kolkata"


def test_every_candidate_has_the_offset():
    now = JULY
    for zone in zones_for_local_time(now, _at(now, 5.5)):
        assert now.astimezone(ZoneInfo(zone)).utcoffset() == timedelta(hours=5, minutes=30)


@pytest.mark.parametrize("minutes_off", [-7, -3, -1, 1, 4, 7])
def test_a_clock_a_few_minutes_off(minutes_off):
    reading = _at(JULY, 5.5 + minutes_off / 60)
    assert zones_for_local_time(JULY, reading)[0] == "Asia/Kolkata"


def test_seconds_of_now_are_taken_into_account():
    # 11:52:40 UTC; a clock showing 17:30 is 5:37:20 ahead -> rounds to +5:30.
    now = datetime(2025, 7, 1, 11, 52, 40, tzinfo=UTC)
    assert zones_for_local_time(now, time(17, 30))[0] == "Asia/Kolkata"


def test_both_sides_of_the_date_line():
    # 10:00 UTC and a clock showing 23:00: either +13 (Tonga, Samoa) or -11 (Niue, Pago Pago).
    now = datetime(2025, 7, 1, 10, 0, tzinfo=UTC)
    zones = zones_for_local_time(now, time(23, 0))
    offsets = {ZoneInfo(zone).utcoffset(now) for zone in zones}
    assert offsets == {timedelta(hours=13), timedelta(hours=-11)}
    assert "Pacific/Tongatapu" in zones
    assert "Pacific/Pago_Pago" in zones
    # The first two entries are one representative per offset.
    assert {ZoneInfo(zone).utcoffset(now) for zone in zones[:2]} == offsets


def test_no_zone_has_that_offset():
    assert zones_for_local_time(JULY, _at(JULY, 2.25)) == []
    assert zones_for_local_time(JULY, _at(JULY, 8.5)) == []


def test_other_aware_now_is_the_same_instant():
    in_berlin = JULY.astimezone(ZoneInfo("Europe/Berlin"))
    fixed = JULY.astimezone(timezone(timedelta(hours=-3)))
    reading = _at(JULY, 5.5)
    expected = zones_for_local_time(JULY, reading)
    assert zones_for_local_time(in_berlin, reading) == expected
    assert zones_for_local_time(fixed, reading) == expected


def test_naive_now_is_rejected():
    with pytest.raises(ValueError, match="aware"):
        zones_for_local_time(datetime(2025, 7, 1, 12, 0), time(12, 0))  # noqa: DTZ001


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1),  # noqa: DTZ001
        max_value=datetime(2037, 12, 31),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    st.sampled_from(["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney"]),
)
def test_a_persons_own_zone_is_always_a_candidate(now, zone):
    reading = now.astimezone(ZoneInfo(zone)).time().replace(second=0, microsecond=0)
    assert zone in zones_for_local_time(now, reading)
