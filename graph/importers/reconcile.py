"""Reconciling the actors of event datasets with the graph's own, so that GDELT's ``RUS``,
ACLED's "Military Forces of Russia (2000-)" and the curated ``russia`` meet in one graph.

Three sources say which actor a dataset code or name is, the first that knows winning:

1. curated actors in the store whose ``codes:`` hold it (when the store holds no coded
   actors, the curated cases shipped in ``data/``);
2. the reconciliation table ``ontology/vocab/actor-codes.csv`` (CAMEO countries and
   regions, CAMEO actor types for labels, and named GDELT and ACLED actors);
3. otherwise the actor is *unknown*: it is created (``gdelt-RUSMIL`` "Russia military",
   ``acled-protesters-russia`` "Protesters (Russia)"), tied to its country where the
   code or name shows one, and listed in the import's report.

Actors and places an importer creates are records of one shared *reference* source,
``dataset-reference``: a named graph that imports add to and never replace, so an actor
named in a thousand files (or by GDELT and ACLED both) is described once. A curated actor
the store does not describe yet gets a minimal record there too, so the imported acts
have named agents even in a store that was never built; building the curated case later
describes it a second time, in its own graph, with the same name.

Examples
--------
>>> table = reconciliation_table()
>>> table.countries["RUS"].actor, table.types["MIL"].name
('russia', 'military')
>>> table.country_names["ukraine"].actor
'ukraine'
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.errors import DataError
from graph.namespaces import graph_iri
from graph.records import ACTOR_KINDS, Actor, Record, Source, slug
from graph.resources import ontology_dir
from graph.store import Store

__all__ = [
    "ACLED_INFO",
    "GDELT_INFO",
    "REFERENCE_SOURCE",
    "STATE_ORGANS",
    "DatasetInfo",
    "Reconciler",
    "ReconciliationTable",
    "TableRow",
    "reconciliation_table",
    "table_path",
]

STATE_ORGANS = frozenset({"government-body", "military-unit"})
"""Kinds of actors that act for their country (``esc:actsFor``); others are affiliated with it."""

_SCHEMES = ("country", "type", "gdelt", "acled")
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row of the reconciliation table."""

    scheme: str
    code: str
    actor: str | None
    name: str
    kind: str


@dataclass(frozen=True)
class ReconciliationTable:
    """The reconciliation table, indexed: ``countries`` and ``types`` by CAMEO code,
    ``country_names`` by lower-cased name (countries, and ACLED names of states),
    ``gdelt`` by whole actor code, ``acled`` by name."""

    countries: dict[str, TableRow]
    country_names: dict[str, TableRow]
    types: dict[str, TableRow]
    gdelt: dict[str, TableRow]
    acled: dict[str, TableRow]


def table_path() -> Path:
    """Where the reconciliation table is: ``ontology/vocab/actor-codes.csv``."""
    return ontology_dir() / "vocab" / "actor-codes.csv"


@functools.cache
def reconciliation_table(path: Path | None = None) -> ReconciliationTable:
    """Read and check the reconciliation table (once per process).

    Raises
    ------
    DataError
        For a wrong header, a row with a wrong number of columns, an unknown scheme or
        kind, or a bad actor key; naming file and line.
    """
    path = path or table_path()
    where = str(path)
    indexes: dict[str, dict[str, TableRow]] = {scheme: {} for scheme in _SCHEMES}
    names: dict[str, TableRow] = {}
    with open(path, encoding="utf-8", newline="") as stream:
        lines = enumerate(stream, start=1)
        header, number = None, 0
        for number, line in lines:
            if not line.startswith("#"):
                header = next(csv.reader([line]))
                break
        if header != ["scheme", "code", "actor", "name", "kind"]:
            raise DataError("expected the header scheme,code,actor,name,kind", path=where, line=number)
        for number, line in lines:
            if not line.strip() or line.startswith("#"):
                continue
            fields = next(csv.reader([line]))
            if len(fields) != 5:
                raise DataError(f"expected 5 columns, found {len(fields)}", path=where, line=number)
            scheme, code, actor, name, kind = (f.strip() for f in fields)
            if scheme not in _SCHEMES:
                raise DataError(f"unknown scheme '{scheme}'; expected one of {', '.join(_SCHEMES)}",
                                path=where, line=number)
            if kind not in ACTOR_KINDS:
                raise DataError(f"unknown kind '{kind}'; expected one of {', '.join(ACTOR_KINDS)}",
                                path=where, line=number)
            if (scheme == "type") != (actor == "") or (actor and not _KEY.fullmatch(actor)):
                raise DataError(f"bad actor key '{actor}' (type rows have none; others need one)",
                                path=where, line=number)
            if not code or not name:
                raise DataError("code and name must not be empty", path=where, line=number)
            row = TableRow(scheme, code, actor or None, name, kind)
            indexes[scheme][code] = row
            if scheme == "country" or (scheme == "acled" and kind == "state"):
                names.setdefault(name.lower(), row)
                if scheme == "acled":
                    names[code.lower()] = row
    return ReconciliationTable(indexes["country"], names, indexes["type"], indexes["gdelt"], indexes["acled"])


REFERENCE_SOURCE = Source(
    id="dataset-reference",
    title="Actors and places of imported datasets (GDELT codes and gazetteer, ACLED names), "
          "reconciled by escalation-graph",
    # Fixed: the graph is only ever added to, and a second date would make two.
    published=dt.date(2026, 11, 25),
    kind="dataset",
)
"""The source of the actors and places that importers create; its graph is shared by all imports."""


@dataclass(frozen=True)
class DatasetInfo:
    """What the reconciler needs to know of a dataset: its name (``gdelt``) and the key and
    name of its publisher."""

    name: str
    publisher: str
    publisher_name: str


_STORE_ACTORS = """
SELECT ?key ?name ?code WHERE {
  GRAPH ?g { ?actor esc:actorKey ?key }
  FILTER(?g != ?reference)
  OPTIONAL { ?actor skos:prefLabel ?name }
  OPTIONAL { GRAPH ?g { ?actor esc:datasetCode ?code } }
}"""


def _store_actors(store: Store) -> tuple[dict[str, str], dict[str, str]]:
    """The actors the store describes outside the importers' reference graph (key to
    name), and the dataset codes they carry (code to key)."""
    if not store.named_graphs():
        return {}, {}
    described: dict[str, str] = {}
    codes: dict[str, str] = {}
    reference = ox.NamedNode(graph_iri(REFERENCE_SOURCE.id))
    for key, name, code in store.select(_STORE_ACTORS, {"reference": reference}).rows:
        described.setdefault(key.value, name.value if name is not None else key.value)
        if code is not None:
            codes.setdefault(code.value, key.value)
    return described, codes


@functools.cache
def _shipped_actors() -> dict[str, Actor]:
    """The curated actors of the cases shipped in ``data/``, by key."""
    from graph.curated import load_case
    from graph.pipeline import default_cases

    return {actor.id: actor for actor in load_case(default_cases()).actors}


class Reconciler:
    """Which actor each dataset code or name is, for one file's import.

    Resolving a code returns the actor's key; the actor records that the import must write
    (created actors, and minimal records of curated actors the store lacks) gather in
    :meth:`take`, each once. ``labels`` maps every resolved key to its name;
    ``unknown`` maps each created actor's key to its label.

    Parameters
    ----------
    store : Store
        Read once for the actors it describes and their codes.
    dataset : DatasetInfo
        The dataset being imported.
    """

    def __init__(self, store: Store, dataset: DatasetInfo):
        self.dataset = dataset
        self.table = reconciliation_table()
        self.shipped = _shipped_actors()
        self.described, self.curated = _store_actors(store)
        if not self.curated:
            self.curated = {code: actor.id for actor in self.shipped.values() for code in actor.codes}
        self.labels: dict[str, str] = {}
        self.unknown: dict[str, str] = {}
        self._cache: dict[str, str] = {}
        self._pending: list[Record] = []

    def start(self) -> list[Record]:
        """The records every import writes: the reference source and the dataset's publisher."""
        info = self.dataset
        return [REFERENCE_SOURCE,
                Actor(id=info.publisher, name=info.publisher_name, kind="organisation", source=REFERENCE_SOURCE.id)]

    def take(self) -> list[Record]:
        """The actor records found since the last call (each actor once per import)."""
        if not self._pending:
            return self._pending
        pending, self._pending = self._pending, []
        return pending

    def _emit(self, actor: Actor) -> str:
        self.labels[actor.id] = actor.name
        self._pending.append(actor)
        return actor.id

    def _known(self, key: str, code: str | None, row: TableRow | None = None) -> str:
        """The key of a curated or tabled actor, with a minimal record of it (and of those
        it acts for) when the store does not describe it."""
        if key in self.labels:
            return key
        if key in self.described:
            self.labels[key] = self.described[key]
            return key
        codes = (code,) if code else ()
        curated = self.shipped.get(key)
        if curated is None:
            assert row is not None, "a code of the store or the shipped cases names an actor they describe"
            return self._emit(Actor(id=key, name=row.name, kind=row.kind, source=REFERENCE_SOURCE.id,
                                    codes=codes))
        self.labels[key] = curated.name  # before its superiors, in case they act for it in turn
        for superior in curated.acts_for:
            self._known(superior, None)
        return self._emit(Actor(id=key, name=curated.name, kind=curated.kind, source=REFERENCE_SOURCE.id,
                                codes=codes, acts_for=curated.acts_for))

    def _lookup(self, code: str, row: TableRow | None) -> str | None:
        """The key of a code that a curated actor or the table ``row`` names, or ``None``."""
        key = self.curated.get(code)
        if key is not None:
            return self._known(key, code)
        return self._known(row.actor, code, row) if row is not None else None

    def _create(self, key: str, name: str, kind: str, code: str, *, country: str | None = None,
                acts_for: str | None = None) -> str:
        """An unknown actor: created, and tied to its country (state organs act for it,
        others are affiliated with it) or to the actor it acts for."""
        if key in self.labels:
            return key
        if acts_for is None and kind in STATE_ORGANS:
            acts_for, country = country, None
        self.unknown[key] = name
        return self._emit(Actor(id=key, name=name, kind=kind, source=REFERENCE_SOURCE.id, codes=(code,),
                                acts_for=(acts_for,) if acts_for else (),
                                affiliated_with=(country,) if country else ()))

    # -- GDELT --------------------------------------------------------------------------

    def gdelt_actor(self, code: str, name: str, country: str, types: tuple[str, ...]) -> str:
        """The key of the actor of GDELT actor code ``code`` (``RUSMIL``), with the row's
        ``name`` (Actor1Name), ``country`` code and type codes (Type1Code..Type3Code).

        Examples
        --------
        >>> from graph.store import EmbeddedStore
        >>> r = Reconciler(EmbeddedStore(None), GDELT_INFO)
        >>> r.gdelt_actor("RUS", "RUSSIA", "RUS", ()), r.gdelt_actor("RUSMIL", "MOSCOW", "RUS", ("MIL",))
        ('russia', 'gdelt-RUSMIL')
        >>> r.unknown
        {'gdelt-RUSMIL': 'Russia military'}
        >>> [(a.id, a.acts_for) for a in r.take()]
        [('russia', ()), ('gdelt-RUSMIL', ('russia',))]
        """
        key = self._cache.get(code)
        if key is None:
            key = self._cache[code] = self._resolve_gdelt(code, name, country, types)
        return key

    def _gdelt_country(self, code: str) -> str:
        return self._lookup(code, self.table.countries.get(code)) or self._create(
            _gdelt_key(code), code, "state", code)

    def _resolve_gdelt(self, code: str, name: str, country: str, types: tuple[str, ...]) -> str:
        key = self._lookup(code, self.table.gdelt.get(code))
        if key is not None:
            return key
        if code == country or code in self.table.countries:
            return self._gdelt_country(code)
        country_key = self._gdelt_country(country) if country else None
        rest = code[len(country):] if country and code.startswith(country) else code
        chunks = [rest[i:i + 3] for i in range(0, len(rest), 3)]
        rows = [self.table.types.get(chunk) for chunk in chunks]
        if chunks and all(rows):
            words = " ".join(row.name for row in rows)
            if rest != code:
                label = f"{self.labels[country_key]} {words}"
            else:
                label = words if country_key else f"{words} (country not coded)"
            kind = rows[0].kind
        else:
            label = name or code
            first = next((self.table.types[t] for t in types if t in self.table.types), None)
            kind = first.kind if first is not None else "organisation"
        return self._create(_gdelt_key(code), label, kind, code, country=country_key)

    # -- ACLED --------------------------------------------------------------------------

    def acled_country(self, name: str) -> str:
        """The key of the state ACLED calls ``name`` (its ``country`` column).

        Examples
        --------
        >>> from graph.store import EmbeddedStore
        >>> r = Reconciler(EmbeddedStore(None), ACLED_INFO)
        >>> r.acled_country("Ukraine"), r.acled_country("Turkey")
        ('ukraine', 'turkiye')
        """
        cache_key = "country:" + name
        key = self._cache.get(cache_key)
        if key is None:
            key = self._cache[cache_key] = self._lookup(name, self.table.country_names.get(name.lower())) \
                or self._create(f"acled-{slug(name) or 'country'}", name, "state", name)
        return key

    def acled_actor(self, name: str, inter: int | None = None) -> str:
        """The key of the actor ACLED calls ``name``; ``inter`` is its ACLED actor-type code
        (1 state forces .. 8 external/other), when the row gives one.

        State forces name their country and term ("Military Forces of Ukraine (2019-)")
        and act for it; a unit after the term ("... (2019-) Air Force") acts for the
        forces; other names ending in "(Country)" are affiliated with the country.

        Examples
        --------
        >>> from graph.store import EmbeddedStore
        >>> r = Reconciler(EmbeddedStore(None), ACLED_INFO)
        >>> r.acled_actor("Military Forces of Russia (2000-) Navy", 1)
        'acled-military-forces-of-russia-2000-navy'
        >>> [(a.id, a.kind, a.acts_for) for a in r.take()]
        [('russia', 'state', ()), ('russian-armed-forces', 'military-unit', ('russia',)), \
('acled-military-forces-of-russia-2000-navy', 'military-unit', ('russian-armed-forces',))]
        >>> r.acled_actor("Protesters (Russia)", 6)
        'acled-protesters-russia'
        >>> [(a.id, a.kind, a.affiliated_with) for a in r.take()]
        [('acled-protesters-russia', 'organisation', ('russia',))]
        """
        key = self._cache.get(name)
        if key is None:
            key = self._cache[name] = self._resolve_acled(name, inter)
        return key

    def _resolve_acled(self, name: str, inter: int | None) -> str:
        key = self._lookup(name, self.table.acled.get(name))
        if key is not None:
            return key
        key = f"acled-{slug(name) or 'actor'}"
        forces = _STATE_FORCES.match(name)
        if forces is not None:
            kind = _FORCES_KIND[forces["body"]]
            if forces["unit"]:
                return self._create(key, name, kind, name, acts_for=self.acled_actor(name[: forces.end("term")], 1))
            return self._create(key, name, kind, name, country=self.acled_country(forces["country"]))
        suffix = _COUNTRY_SUFFIX.search(name)
        named = suffix is not None and (suffix[1].lower() in self.table.country_names or suffix[1] in self.curated)
        return self._create(key, name, _INTER_KINDS.get(inter, "organisation"), name,
                            country=self.acled_country(suffix[1]) if named else None)


def _gdelt_key(code: str) -> str:
    return f"gdelt-{code}" if code.isascii() and code.isalnum() else f"gdelt-{slug(code) or 'actor'}"


_STATE_FORCES = re.compile(
    r"^(?P<body>Military Forces|Police Forces|Government) of (?P<country>.+?) "
    r"(?P<term>\(\d{4}-(?:\d{4})?\))(?: (?P<unit>.+))?$")
_FORCES_KIND = {"Military Forces": "military-unit", "Police Forces": "government-body",
                "Government": "government-body"}
_COUNTRY_SUFFIX = re.compile(r"\(([^()]+)\)$")
# ACLED's inter codes: 1 state forces, 2 rebels, 3 political militias, 4 identity militias,
# 5 rioters, 6 protesters, 7 civilians, 8 external/other forces.
_INTER_KINDS = {1: "government-body", 2: "armed-group", 3: "armed-group", 4: "armed-group",
                5: "organisation", 6: "organisation", 7: "organisation", 8: "organisation"}

GDELT_INFO = DatasetInfo("gdelt", "gdelt", "The GDELT Project")
ACLED_INFO = DatasetInfo("acled", "acled", "ACLED (Armed Conflict Location & Event Data)")

