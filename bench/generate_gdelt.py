"""Synthetic GDELT 2.0 event exports with the shape of the real thing, for the benchmarks.

The file has the 61 TAB-separated columns of a GDELT 2.0 ``*.export.CSV`` (no header),
and the statistics that make tit-for-tat work hard:

- **skewed dyads**: country pairs are drawn from a Zipf law, so a few dyads (Russia and
  Ukraine, Israel and Palestine, the United States and China ...) carry most events;
- **real codes**: CAMEO event codes with their Goldstein weight and QuadClass read from
  ``ontology/vocab/cameo.ttl`` (through :func:`graph.vocab.code_lists`), CAMEO country
  and role codes (``RUSMIL``, ``UKRGOV``, ``USA``), and a share of the blanks real
  exports have (no actor, a role without a country, no geography);
- **two years** of ``SQLDATE`` with episodes of intense activity, and ``DATEADDED`` a
  little after the event (sometimes long after, as GDELT back-fills), rows sorted by
  ``DATEADDED`` as concatenated 15-minute files are;
- **bursts of action and reaction**: a hostile act X→Y (QuadClass 4) is answered by a
  hostile act Y→X within days with some probability, and answers can be answered again.

The output depends only on ``rows`` and ``seed``.

Examples
--------
>>> import io
>>> out = io.StringIO()
>>> write_export(out, rows=50, seed=1)
50
>>> lines = out.getvalue().splitlines()
>>> len(lines), {len(line.split("\\t")) for line in lines}
(50, {61})
>>> buffer = io.StringIO(); _ = write_export(buffer, rows=50, seed=1)
>>> buffer.getvalue() == out.getvalue()
True

Run ``python -m bench.generate_gdelt`` to write ``bench/out/gdelt-{2k,10k,100k,1m}.export.CSV`` (kept
once written), or ``python -m bench.generate_gdelt --rows 5000 --days 60 -o FILE`` for one file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import TextIO

import numpy as np

from graph.vocab import code_lists

__all__ = ["COLUMNS", "COUNTRIES", "DAYS", "SIZES", "ensure_export", "export_path", "write_export"]

# The GDELT 2.0 event table, in file order (the GDELT 2.0 Event Codebook).
COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor{i}{field}" for i in (1, 2) for field in (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
        "Religion2Code", "Type1Code", "Type2Code", "Type3Code")),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"{who}Geo_{field}" for who in ("Actor1", "Actor2", "Action") for field in (
        "Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")),
    "DATEADDED", "SOURCEURL",
)

# CAMEO country code, GDELT actor name, FIPS 10-4 code, capital, its ADM1 code,
# latitude, longitude and GNS feature id (as GDELT geocodes them).
COUNTRIES = (
    ("RUS", "RUSSIA", "RS", "Moscow, Moskva, Russia", "RS48", 55.7522, 37.6156, -2960561),
    ("UKR", "UKRAINE", "UP", "Kiev, Kyyiv, Misto, Ukraine", "UP12", 50.4333, 30.5167, -1044367),
    ("USA", "UNITED STATES", "US", "Washington, District of Columbia, United States", "USDC", 38.8951, -77.0364,
     531871),
    ("CHN", "CHINA", "CH", "Beijing, Beijing, China", "CH22", 39.9289, 116.388, -1898541),
    ("ISR", "ISRAEL", "IS", "Jerusalem, Israel (general), Israel", "IS00", 31.7833, 35.2167, -797156),
    ("PSE", "PALESTINE", "GZ", "Gaza, Gaza Strip (general), Gaza Strip", "GZ00", 31.5, 34.4667, -800000),
    ("IRN", "IRAN", "IR", "Tehran, Tehran, Iran", "IR26", 35.6719, 51.4244, 10074674),
    ("IND", "INDIA", "IN", "New Delhi, Delhi, India", "IN07", 28.6, 77.2, -2106102),
    ("PAK", "PAKISTAN", "PK", "Islamabad, Islamabad, Pakistan", "PK08", 33.7, 73.1667, -2764989),
    ("TWN", "TAIWAN", "TW", "Taipei, T'ai-pei, Taiwan", "TW03", 25.0392, 121.525, -2637824),
    ("TUR", "TURKEY", "TU", "Ankara, Ankara, Turkey", "TU68", 39.9272, 32.8644, -735955),
    ("SYR", "SYRIA", "SY", "Damascus, Dimashq, Syria", "SY13", 33.5, 36.3, -3017232),
    ("SAU", "SAUDI ARABIA", "SA", "Riyadh, Ar Riyad, Saudi Arabia", "SA10", 24.6408, 46.7728, -3092186),
    ("YEM", "YEMEN", "YM", "Sanaa, Amanat Al Asimah, Yemen", "YM26", 15.3547, 44.2067, -3200000),
    ("PRK", "NORTH KOREA", "KN", "Pyongyang, P'yongyang-si, North Korea", "KN12", 39.0194, 125.755, -3096801),
    ("KOR", "SOUTH KOREA", "KS", "Seoul, Seoul-t'ukpyolsi, South Korea", "KS11", 37.5664, 127.0, -3235539),
    ("ARM", "ARMENIA", "AM", "Yerevan, Yerevan, Armenia", "AM11", 40.1811, 44.5136, -2221197),
    ("AZE", "AZERBAIJAN", "AJ", "Baku, Baki, Azerbaijan", "AJ09", 40.3953, 49.8822, -2217670),
    ("GBR", "UNITED KINGDOM", "UK", "London, London, City of, United Kingdom", "UKH9", 51.5, -0.116667, -2601889),
    ("FRA", "FRANCE", "FR", "Paris, France (general), France", "FR00", 48.8667, 2.33333, -1456928),
    ("DEU", "GERMANY", "GM", "Berlin, Berlin, Germany", "GM16", 52.5167, 13.4, -1746443),
    ("POL", "POLAND", "PL", "Warsaw, Mazowieckie, Poland", "PL78", 52.25, 21.0, -523920),
    ("BLR", "BELARUS", "BO", "Minsk, Belarus (general), Belarus", "BO00", 53.9, 27.5667, -1946324),
    ("GEO", "GEORGIA", "GG", "Tbilisi, Tbilisi, Georgia", "GG51", 41.725, 44.7908, -2357839),
    ("IRQ", "IRAQ", "IZ", "Baghdad, Baghdad, Iraq", "IZ07", 33.3386, 44.3939, -3000000),
    ("AFG", "AFGHANISTAN", "AF", "Kabul, Kabol, Afghanistan", "AF13", 34.5167, 69.1833, -3378435),
    ("LBN", "LEBANON", "LE", "Beirut, Beyrouth, Lebanon", "LE04", 33.8719, 35.5097, -801546),
    ("EGY", "EGYPT", "EG", "Cairo, Al Qahirah, Egypt", "EG11", 30.05, 31.25, -290692),
    ("LBY", "LIBYA", "LY", "Tripoli, Tarabulus, Libya", "LY77", 32.8925, 13.18, -1512375),
    ("SDN", "SUDAN", "SU", "Khartoum, Khartoum, Sudan", "SU29", 15.5881, 32.5342, -3375427),
    ("ETH", "ETHIOPIA", "ET", "Addis Ababa, Adis Abeba, Ethiopia", "ET44", 9.03333, 38.7, -1070945),
    ("SOM", "SOMALIA", "SO", "Mogadishu, Banaadir, Somalia", "SO02", 2.06667, 45.3667, -3066564),
    ("NGA", "NIGERIA", "NI", "Abuja, Federal Capital Territory, Nigeria", "NI11", 9.08333, 7.53333, -1996891),
    ("MLI", "MALI", "ML", "Bamako, Bamako, Mali", "ML08", 12.65, -8.0, -2228851),
    ("VEN", "VENEZUELA", "VE", "Caracas, Distrito Federal, Venezuela", "VE25", 10.5, -66.9167, -1224843),
    ("COL", "COLOMBIA", "CO", "Bogota, Bogota D.C., Colombia", "CO34", 4.6, -74.0833, -578472),
    ("MEX", "MEXICO", "MX", "Mexico City, Distrito Federal, Mexico", "MX09", 19.4342, -99.1386, -1658079),
    ("JPN", "JAPAN", "JA", "Tokyo, Tokyo, Japan", "JA40", 35.685, 139.751, -246227),
    ("SRB", "SERBIA", "RI", "Belgrade, Central Serbia, Serbia", "RI00", 44.8186, 20.4681, -74897),
    ("KAZ", "KAZAKHSTAN", "KZ", "Astana, Astana, Kazakhstan", "KZ05", 51.1811, 71.4278, -2311025),
)
_INDEX = {row[0]: i for i, row in enumerate(COUNTRIES)}

# The dyads that carry most of the news, most frequent first; the other pairs follow
# in an order drawn from the seed.
_TOP_DYADS = (
    ("RUS", "UKR"), ("ISR", "PSE"), ("USA", "CHN"), ("USA", "RUS"), ("USA", "IRN"), ("IND", "PAK"),
    ("CHN", "TWN"), ("TUR", "SYR"), ("SAU", "YEM"), ("PRK", "KOR"), ("ARM", "AZE"), ("ISR", "IRN"),
    ("ISR", "LBN"), ("USA", "PRK"), ("RUS", "GBR"), ("CHN", "IND"), ("RUS", "POL"), ("USA", "AFG"),
)
_ZIPF_EXPONENT = 1.1

# CAMEO role codes and the share of actors that carry one (the rest are bare countries).
_ROLES = ("GOV", "MIL", "COP", "REB", "OPP", "JUD", "LEG", "MED", "CVL", "BUS")
_ROLE_WEIGHTS = (0.30, 0.22, 0.10, 0.08, 0.07, 0.06, 0.05, 0.05, 0.04, 0.03)
_ROLE_NAMES = {"GOV": "GOVERNMENT", "MIL": "MILITARY", "COP": "POLICE", "REB": "REBEL", "OPP": "OPPOSITION",
               "JUD": "COURT", "LEG": "PARLIAMENT", "MED": "JOURNALIST", "CVL": "CIVILIAN", "BUS": "COMPANY"}
_ROLE_SHARE = 0.55
_NO_ACTOR1, _NO_ACTOR2, _NO_COUNTRY, _DOMESTIC = 0.04, 0.15, 0.05, 0.15

# Share of events per CAMEO root code, after a real GDELT 2.0 15-minute export.
_ROOT_WEIGHTS = {
    "01": 297, "02": 131, "03": 169, "04": 460, "05": 165, "06": 47, "07": 73, "08": 116, "09": 45,
    "10": 21, "11": 149, "12": 46, "13": 24, "14": 31, "15": 6, "16": 23, "17": 93, "18": 43,
    "19": 176, "20": 4,
}

# Reports of conflict read darker than reports of cooperation (mean AvgTone by QuadClass).
_TONE_SHIFT = {1: 1.5, 2: 2.0, 3: -2.5, 4: -4.5}

_START = dt.date(2022, 1, 1)
DAYS = 730  # two years
_EPISODES = 40
_EPISODE_SHARE, _EPISODE_SPREAD = 0.3, 4.0

# A hostile act is answered with this probability; an answer to an answer less often.
_REACTION_PROBABILITY = (0.35, 0.2, 0.1)
_REACTION_LAG_P = 0.2  # geometric: mean lag of 4 days, 3.5% beyond a 14-day window

SIZES = {"2k": 2_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
OUT = Path(__file__).resolve().parent / "out"


def export_path(size: str, *, seed: int = 8) -> Path:
    """Where the export of one of :data:`SIZES` is kept (``bench/out/``)."""
    suffix = "" if seed == 8 else f"-seed{seed}"
    return OUT / f"gdelt-{size}{suffix}.export.CSV"


def ensure_export(size: str, *, seed: int = 8) -> Path:
    """The export of size ``size`` (a key of :data:`SIZES`), written if it is not there yet."""
    path = export_path(size, seed=seed)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        with open(partial, "w", encoding="utf-8", newline="") as out:
            write_export(out, rows=SIZES[size], seed=seed)
        os.replace(partial, path)
    return path


def _dyad_table(rng: np.random.Generator) -> np.ndarray:
    """Unordered country pairs (index pairs), the busiest first."""
    top = [(_INDEX[a], _INDEX[b]) for a, b in _TOP_DYADS]
    seen = {frozenset(p) for p in top}
    rest = [(i, j) for i in range(len(COUNTRIES)) for j in range(i + 1, len(COUNTRIES))
            if frozenset((i, j)) not in seen]
    order = rng.permutation(len(rest))
    return np.array(top + [rest[k] for k in order], dtype=np.int64)


def _codes_by_root() -> dict[str, list[str]]:
    """GDELT codes events at level two or three (``190``, ``1951``), never at a bare root."""
    grouped: dict[str, list[str]] = {}
    for code in sorted(code_lists().cameo):
        if len(code) >= 3:
            grouped.setdefault(code[:2], []).append(code)
    return grouped


def _draw(rows: int, seed: int, days: int) -> tuple[dict[str, np.ndarray], list[str]]:
    rng = np.random.default_rng(seed)
    dyads = _dyad_table(rng)
    by_root = _codes_by_root()
    cameo = code_lists().cameo
    codes = [code for root in sorted(by_root) for code in by_root[root]]
    code_weights = np.array([_ROOT_WEIGHTS.get(c[:2], 1) / len(by_root[c[:2]]) for c in codes])
    hostile = np.array([cameo[c][1] == 4 for c in codes])
    hostile_weights = np.where(hostile, code_weights, 0.0)

    # Size the first wave so that first acts plus answers come to a little more than ``rows``.
    hostile_share = code_weights[hostile].sum() / code_weights.sum()
    expected = 1 + hostile_share * sum(np.cumprod(_REACTION_PROBABILITY))
    first = int(rows / expected * 1.02) + 16

    ranks = np.arange(1, len(dyads) + 1, dtype=float)
    dyad = rng.choice(len(dyads), size=first, p=ranks ** -_ZIPF_EXPONENT / (ranks ** -_ZIPF_EXPONENT).sum())
    flip = rng.random(first) < 0.5
    country1 = np.where(flip, dyads[dyad, 1], dyads[dyad, 0])
    country2 = np.where(flip, dyads[dyad, 0], dyads[dyad, 1])
    domestic = rng.random(first) < _DOMESTIC
    country2 = np.where(domestic, country1, country2)

    centres = rng.integers(0, days, size=_EPISODES)
    in_episode = rng.random(first) < _EPISODE_SHARE
    episode_day = centres[rng.integers(0, _EPISODES, size=first)] + rng.normal(0, _EPISODE_SPREAD, size=first)
    day = np.where(in_episode, np.rint(episode_day), rng.integers(0, days, size=first))
    code = rng.choice(len(codes), size=first, p=code_weights / code_weights.sum())

    waves = [(day.astype(np.int64), country1, country2, code)]
    for probability in _REACTION_PROBABILITY:
        day0, c1, c2, k = waves[-1]
        answered = hostile[k] & (c1 != c2) & (rng.random(len(k)) < probability)
        count = int(answered.sum())
        lag = rng.geometric(_REACTION_LAG_P, size=count) - 1
        answer = rng.choice(len(codes), size=count, p=hostile_weights / hostile_weights.sum())
        waves.append((day0[answered] + lag, c2[answered], c1[answered], answer))
    day = np.concatenate([w[0] for w in waves])
    country1 = np.concatenate([w[1] for w in waves])
    country2 = np.concatenate([w[2] for w in waves])
    code = np.concatenate([w[3] for w in waves])

    keep = np.sort(rng.choice(len(day), size=min(rows, len(day)), replace=False))
    day, country1, country2, code = day[keep], country1[keep], country2[keep], code[keep]
    day = np.clip(day, 0, days - 1)
    n = len(day)

    # Lateness of DATEADDED: most events are coded the day they happen, some later,
    # a few back-filled up to a year after.
    late = rng.random(n)
    delay = np.where(late < 0.85, 0, np.where(late < 0.97, rng.integers(1, 4, size=n), rng.integers(4, 366, size=n)))
    quarter = rng.integers(0, 96, size=n)
    added = (day + delay) * 96 + quarter
    order = np.argsort(added, kind="stable")

    columns = {
        "day": day, "country1": country1, "country2": country2, "code": code, "added": added,
        "role1": rng.choice(len(_ROLES), size=n, p=_ROLE_WEIGHTS),
        "role2": rng.choice(len(_ROLES), size=n, p=_ROLE_WEIGHTS),
        "has_role1": rng.random(n) < _ROLE_SHARE,
        "has_role2": rng.random(n) < _ROLE_SHARE,
        "no_country1": rng.random(n) < _NO_COUNTRY,
        "no_country2": rng.random(n) < _NO_COUNTRY,
        "no_actor1": rng.random(n) < _NO_ACTOR1,
        "no_actor2": rng.random(n) < _NO_ACTOR2,
        "capital_name1": rng.random(n) < 0.3,
        "capital_name2": rng.random(n) < 0.3,
        "geo": rng.choice(3, size=n, p=(0.05, 0.35, 0.6)),  # none, country, capital
        "root": rng.random(n) < 0.55,
        "mentions": rng.geometric(0.15, size=n),
        "sources": rng.random(n),
        "tone": rng.normal(0.0, 3.0, size=n),
        "site": rng.integers(0, 500, size=n),
        "story": rng.integers(0, 2**40, size=n),
    }
    return {key: value[order] for key, value in columns.items()}, codes


def _actor_fields(country: int, role: int, *, has_role: bool, no_country: bool, capital_name: bool) -> str:
    code, name, *_ = COUNTRIES[country]
    role_code = _ROLES[role] if has_role or no_country else ""
    if no_country:
        return "\t".join((role_code, _ROLE_NAMES[role_code], "", "", "", "", "", role_code, "", ""))
    shown = COUNTRIES[country][3].split(",")[0].upper() if capital_name else name
    return "\t".join((code + role_code, shown, code, "", "", "", "", role_code, "", ""))


def _geo_fields(country: int, kind: int) -> str:
    if kind == 0:
        return "\t".join(("0", "", "", "", "", "", "", ""))
    code, name, fips, capital, adm1, lat, long, feature = COUNTRIES[country]
    if kind == 1:
        return "\t".join(("1", name.title(), fips, fips, "", f"{lat:.0f}", f"{long:.0f}", fips))
    return "\t".join(("4", capital, fips, adm1, str(abs(feature) % 30000), str(lat), str(long), str(feature)))


def write_export(out: TextIO, *, rows: int, seed: int = 8, days: int = DAYS) -> int:
    """Write ``rows`` synthetic GDELT 2.0 events over ``days`` days from 2022-01-01 to
    ``out``; return the number written. Fewer days make denser exchanges (small test
    files with many pairs).

    Raises
    ------
    ValueError
        If ``rows`` or ``days`` is not positive.
    """
    if rows <= 0 or days <= 0:
        raise ValueError(f"rows and days must be positive, not {rows} and {days}")
    c, codes = _draw(rows, seed, days)
    cameo = code_lists().cameo
    code_fields = [
        "\t".join((code, code[:3], code[:2], str(cameo[code][1]), f"{cameo[code][0]:.1f}")) for code in codes
    ]
    date_fields = []
    for offset in range(days):
        day = _START + dt.timedelta(days=offset)
        fraction = ((day.month - 1) * 30 + day.day) / 365
        date_fields.append(f"{day:%Y%m%d}\t{day:%Y%m}\t{day.year}\t{day.year + fraction:.4f}")
    actor_cache: dict[tuple, str] = {}
    geo_cache: dict[tuple, str] = {}
    empty_actor = "\t" * 9

    def actor(country, role, has_role, no_country, capital_name, absent) -> str:
        if absent:
            return empty_actor
        key = (country, role, has_role, no_country, capital_name)
        text = actor_cache.get(key)
        if text is None:
            text = actor_cache[key] = _actor_fields(country, role, has_role=has_role, no_country=no_country,
                                                    capital_name=capital_name)
        return text

    def geo(country, kind) -> str:
        text = geo_cache.get((country, kind))
        if text is None:
            text = geo_cache[(country, kind)] = _geo_fields(country, kind)
        return text

    quad_of = [cameo[code][1] for code in codes]
    base_id = 1_000_000_000 + seed * 10_000_000
    lines = []
    columns = [c[k].tolist() for k in (
        "day", "country1", "country2", "code", "added", "role1", "role2", "has_role1", "has_role2",
        "no_country1", "no_country2", "no_actor1", "no_actor2", "capital_name1", "capital_name2", "geo", "root",
        "mentions", "sources", "tone", "site", "story")]
    for i, (day, c1, c2, code, added, r1, r2, hr1, hr2, nc1, nc2, na1, na2, cn1, cn2, kind, root, mentions,
            sources, tone, site, story) in enumerate(zip(*columns)):
        sources_n = 1 + int(sources * min(mentions, 10))
        articles = max(sources_n, mentions - int(sources * mentions / 3))
        stamp = _START + dt.timedelta(days=added // 96)
        quarter = added % 96
        action_country = c2 if not na2 else c1
        lines.append("\t".join((
            str(base_id + i), date_fields[day],
            actor(c1, r1, hr1, nc1, cn1, na1), actor(c2, r2, hr2, nc2, cn2, na2),
            "1" if root else "0", code_fields[code],
            str(mentions), str(sources_n), str(articles), repr(round(tone + _TONE_SHIFT[quad_of[code]], 12)),
            geo(c1, kind if not na1 else 0), geo(c2, kind if not na2 else 0), geo(action_country, kind),
            f"{stamp:%Y%m%d}{quarter // 4:02d}{quarter % 4 * 15:02d}00",
            f"https://news{site}.example.com/world/{stamp:%Y/%m/%d}/{story:010x}",
        )))
        if len(lines) == 50_000:
            out.write("\n".join(lines) + "\n")
            lines.clear()
    if lines:
        out.write("\n".join(lines) + "\n")
    return len(c["day"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, help="number of events (default: every size in SIZES)")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--days", type=int, default=DAYS, help=f"days the events span (default {DAYS})")
    parser.add_argument("-o", "--output", type=Path,
                        help="file to write (default: bench/out/gdelt-ROWS-seedSEED.export.CSV)")
    args = parser.parse_args(argv)
    if args.output is not None or args.rows is not None:
        rows = args.rows or SIZES["10k"]
        output = args.output or OUT / f"gdelt-{rows}-seed{args.seed}.export.CSV"
        output.parent.mkdir(parents=True, exist_ok=True)
        with open(output, "w", encoding="utf-8", newline="") as out:
            written = write_export(out, rows=rows, seed=args.seed, days=args.days)
        print(f"{output}: {written} events", file=sys.stderr)
        return 0
    for size in SIZES:
        print(f"{ensure_export(size, seed=args.seed)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
