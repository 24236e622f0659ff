"""Named SPARQL queries: one ``ontology/queries/<name>.rq`` file per analyst question.

Each file opens with a comment header::

    # title: Who said what
    # question: Which statements did an actor (or those who speak for it) make?
    # param actor: actor? -- the speaker, or a state whose officials spoke
    # param window: integer = 14 -- days after the stimulus
    # param bucket: week|month = month -- the period to group by

A parameter is ``name: type``; ``?`` marks it optional, ``= value`` gives a default,
``a|b`` lists the allowed words. Values are converted to RDF terms and *bound* to the
query's variable of the same name, never pasted into its text. Types: ``actor`` (an id,
name or alias), ``event`` (an id), ``integer``, ``decimal``, ``date``, ``string``,
``speech-act`` (a kind key), and word lists.

Examples
--------
>>> q = parse_query("who-said", "# title: Who said\\n# question: Q?\\n"
...                 "# param actor: actor? -- the speaker\\nSELECT * WHERE { ?s ?p ?o }")
>>> q.parameters[0]
Parameter(name='actor', type='actor', optional=True, default=None, description='the speaker')
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.errors import QueryError
from graph.namespaces import PREFIXES, record_iri, vocab_iri
from graph.resources import queries_dir
from graph.store import Store, Table
from graph.vocab import code_lists

__all__ = ["NamedQuery", "Parameter", "bind_parameters", "named_queries", "parse_query", "resolve_actor",
           "run_named"]

_PARAM = re.compile(
    r"^#\s*param\s+(?P<name>[A-Za-z_]\w*)\s*:\s*(?P<type>[\w|-]+)(?P<optional>\?)?"
    r"\s*(?:=\s*(?P<default>\S+))?\s*(?:--\s*(?P<description>.*))?$"
)
_TYPES = {"actor", "event", "integer", "decimal", "date", "string", "speech-act"}
_XSD = PREFIXES["xsd"]


@dataclass(frozen=True)
class Parameter:
    """One parameter of a named query."""

    name: str
    type: str
    optional: bool
    default: str | None
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A parsed ``.rq`` file."""

    name: str
    title: str
    question: str
    parameters: tuple[Parameter, ...]
    text: str


def parse_query(name: str, text: str) -> NamedQuery:
    """Parse the header of a named query.

    Raises
    ------
    QueryError
        If the header lacks a title or question, or a parameter line is malformed.
    """
    fields: dict[str, str] = {}
    parameters: list[Parameter] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break
            continue
        if re.match(r"#\s*param\b", stripped):
            m = _PARAM.match(stripped)
            if not m:
                raise QueryError(f"query '{name}': malformed parameter line: {stripped}")
            kind = m["type"]
            if kind not in _TYPES and "|" not in kind:
                raise QueryError(f"query '{name}': parameter '{m['name']}' has unknown type '{kind}'")
            parameters.append(Parameter(m["name"], kind, bool(m["optional"]), m["default"],
                                        (m["description"] or "").strip()))
            continue
        key, sep, value = stripped.lstrip("#").partition(":")
        if sep and key.strip() in ("title", "question"):
            fields[key.strip()] = value.strip()
    for required in ("title", "question"):
        if required not in fields:
            raise QueryError(f"query '{name}': the header has no '# {required}:' line")
    return NamedQuery(name, fields["title"], fields["question"], tuple(parameters), text)


@functools.cache
def _load_all(folder: Path) -> dict[str, NamedQuery]:
    return {p.stem: parse_query(p.stem, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.rq"))}


def named_queries(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query, by name (parsed once per process).

    Examples
    --------
    >>> "who-said" in named_queries()
    True
    """
    return _load_all(folder or queries_dir())


_ACTOR_LOOKUP = """
SELECT DISTINCT ?actor WHERE {
  { ?actor esc:actorKey ?label } UNION { ?actor skos:prefLabel ?label } UNION { ?actor skos:altLabel ?label }
  ?actor a ?class . ?class rdfs:subClassOf* esc:Actor .
  FILTER(LCASE(STR(?label)) = ?wanted)
}"""


def resolve_actor(store: Store, name: str) -> ox.NamedNode:
    """The actor named ``name`` by key, name or alias, case-insensitive.

    Raises
    ------
    QueryError
        If no actor, or more than one, has that name.
    """
    table = store.select(_ACTOR_LOOKUP, {"wanted": ox.Literal(name.strip().lower())})
    found = sorted({row[0].value for row in table.rows})
    if len(found) == 1:
        return ox.NamedNode(found[0])
    if not found:
        raise QueryError(f"no actor is called '{name}'; try an id, name or alias "
                         f"(list them with: escgraph sparql \"SELECT ?key WHERE {{ ?a esc:actorKey ?key }}\")")
    keys = ", ".join(f.rsplit("/", 1)[-1] for f in found)
    raise QueryError(f"'{name}' names several actors ({keys}); use one of these ids")


def _convert(store: Store, query: NamedQuery, param: Parameter, value: str) -> ox.NamedNode | ox.Literal:
    where = f"query '{query.name}', parameter '{param.name}'"
    try:
        if param.type == "actor":
            return resolve_actor(store, value)
        if param.type == "event":
            iri = ox.NamedNode(record_iri("event", value))
            if not store.query("ASK { ?e a esc:Event }", {"e": iri}):
                raise QueryError(f"{where}: no event has the id '{value}'")
            return iri
        if param.type == "integer":
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(_XSD + "integer"))
        if param.type == "decimal":
            return ox.Literal(str(float(value)), datatype=ox.NamedNode(_XSD + "decimal"))
        if param.type == "date":
            return ox.Literal(dt.date.fromisoformat(value).isoformat(), datatype=ox.NamedNode(_XSD + "date"))
        if param.type == "speech-act":
            kinds = code_lists().speech_acts
            if value not in kinds:
                raise QueryError(f"{where}: unknown kind '{value}'; known: {', '.join(sorted(kinds))}")
            return ox.NamedNode(vocab_iri("speech-act", value))
        if "|" in param.type:
            allowed = param.type.split("|")
            if value not in allowed:
                raise QueryError(f"{where}: '{value}' is not one of {', '.join(allowed)}")
        return ox.Literal(value)
    except ValueError as exc:
        raise QueryError(f"{where}: '{value}' is not a valid {param.type}") from exc


def bind_parameters(store: Store, query: NamedQuery, values: Mapping[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
    """Turn the user's ``name=value`` strings into RDF terms for the query's variables.

    Raises
    ------
    QueryError
        For an unknown parameter (listing the known ones), a missing required one, or a bad value.
    """
    known = {p.name: p for p in query.parameters}
    unknown = sorted(set(values) - set(known))
    if unknown:
        listing = ", ".join(f"{p.name} ({p.type})" for p in query.parameters) or "none"
        raise QueryError(f"query '{query.name}' has no parameter '{unknown[0]}'; its parameters: {listing}")
    bound: dict[str, ox.NamedNode | ox.Literal] = {}
    for param in query.parameters:
        value = values.get(param.name, param.default)
        if value is None:
            if not param.optional:
                raise QueryError(f"query '{query.name}' needs --param {param.name}=... ({param.description})")
            continue
        bound[param.name] = _convert(store, query, param, value)
    return bound


def run_named(store: Store, name: str, params: Mapping[str, str] | None = None) -> Table:
    """Run the named query ``name`` with ``params`` (strings, as typed on the command line).

    Raises
    ------
    QueryError
        For an unknown query name (listing the known ones) or bad parameters.

    Examples
    --------
    >>> from graph.store import EmbeddedStore
    >>> table = run_named(EmbeddedStore(None), "who-said")
    >>> "quote" in table.variables and "source" in table.variables
    True
    """
    queries = named_queries()
    if name not in queries:
        raise QueryError(f"no query named '{name}'; known: {', '.join(queries)}")
    query = queries[name]
    return store.select(query.text, bind_parameters(store, query, params or {}))
