"""Where the quads live: one seam, an embedded on-disk Oxigraph store by default.

Every query sees the union of all named graphs as its default graph, so a query needs
no ``GRAPH`` clause unless it asks *which* source said something.

Writes are all-or-nothing. The embedded store keeps *generations*: a write starts from
a hard-linked checkpoint of the current generation, and only when everything is
written does it switch the ``CURRENT`` pointer (an atomic rename). A failed or killed
write leaves the store exactly as it was, and readers always open a generation no
writer touches.

Examples
--------
>>> import pyoxigraph as ox, tempfile
>>> store = EmbeddedStore(tempfile.mkdtemp() + "/store")
>>> g = ox.NamedNode("http://example.org/g")
>>> store.replace_graphs([g.value], [ox.Quad(ox.NamedNode("http://example.org/s"),
...     ox.NamedNode("http://example.org/p"), ox.Literal("o"), g)])
>>> store.select("SELECT ?o WHERE { ?s ?p ?o }").rows
[(<Literal value=o datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>,)]
>>> len(store)
1
"""

from __future__ import annotations

import collections
import contextlib
import fcntl
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

import platformdirs
import pyoxigraph as ox

from graph.act_index import FOLDER as ACT_INDEX
from graph.act_index import ActFacts
from graph.errors import QueryError, StoreError
from graph.namespaces import PREFIXES
from graph.sparql_text import (
    UPDATE_OPERATIONS,
    operation,
    refuse_deep_nesting,
    refuse_service,
    with_values,
)

__all__ = ["EmbeddedStore", "Store", "Table", "default_store_path", "open_store"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
_GENERATION = re.compile(r"gen-\d{6,}")


@dataclass
class Table:
    """The rows of a SELECT query: ``variables`` in order, ``rows`` of terms (``None`` = unbound).

    Examples
    --------
    >>> t = Table(["x"], [(ox.Literal(1),), (None,)])
    >>> t.values()
    [{'x': 1}, {'x': None}]
    """

    variables: list[str]
    rows: list[tuple[Term | None, ...]]

    def __len__(self) -> int:
        return len(self.rows)

    def dicts(self) -> list[dict[str, Term | None]]:
        """Each row as a mapping from variable to term."""
        return [dict(zip(self.variables, row)) for row in self.rows]

    def values(self) -> list[dict[str, object]]:
        """Each row as a mapping from variable to a plain Python value (str, int, float,
        bool, ``datetime.date``; IRIs as strings)."""
        return [{v: python_value(t) for v, t in zip(self.variables, row)} for row in self.rows]

    def column(self, name: str) -> list[object]:
        """The plain Python values of one column."""
        i = self.variables.index(name)
        return [python_value(row[i]) for row in self.rows]


_XSD = PREFIXES["xsd"]
_CONVERTERS: dict[str, Callable[[str], object]] = {
    _XSD + "integer": int,
    _XSD + "int": int,
    _XSD + "long": int,
    _XSD + "decimal": float,
    _XSD + "double": float,
    _XSD + "float": float,
    _XSD + "boolean": lambda v: v in ("true", "1"),
}


def python_value(term: Term | None) -> object:
    """A plain Python value for an RDF term."""
    import datetime as dt

    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype == _XSD + "date":
            with contextlib.suppress(ValueError):
                return dt.date.fromisoformat(term.value)
        converter = _CONVERTERS.get(datatype)
        if converter is not None:
            with contextlib.suppress(ValueError):
                return converter(term.value)
        return term.value
    return term.value if isinstance(term, ox.NamedNode) else str(term)


class Store(Protocol):
    """What every store offers: SPARQL queries over the union of its named graphs, and
    atomic replacement of whole named graphs."""

    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> Table | bool | list[ox.Triple]:
        """Run any SPARQL 1.1 query; SELECT gives a :class:`Table`, ASK a bool,
        CONSTRUCT/DESCRIBE a list of triples."""

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> Table:
        """Run a SELECT query."""

    def replace_graphs(self, graphs: Sequence[str], quads: Iterable[ox.Quad]) -> None:
        """Drop the named ``graphs`` and add ``quads``, all or nothing."""

    def named_graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""

    def dump(self, output: IO[bytes], format: ox.RdfFormat) -> None:
        """Write every quad (or, for triple formats, the union of the graphs)."""

    def __len__(self) -> int:
        """The number of quads."""


def _result(result) -> Table | bool | list[ox.Triple]:
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        return Table(variables, [tuple(s[v] for v in variables) for s in result])
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    return list(result)


def selected(result: Table | bool | list[ox.Triple]) -> Table:
    """The rows of a query that had to be a SELECT.

    Raises
    ------
    QueryError
        If the query was an ASK, CONSTRUCT or DESCRIBE.
    """
    if not isinstance(result, Table):
        raise QueryError("expected a SELECT query")
    return result


def default_store_path() -> Path:
    """Where the embedded store lives unless ``--store`` or ``ESCGRAPH_STORE`` says otherwise:
    the user's data folder (``~/.local/share/escalation-graph/store`` on Linux)."""
    env = os.environ.get("ESCGRAPH_STORE")
    if env:
        return Path(env)
    return Path(platformdirs.user_data_dir("escalation-graph")) / "store"


class EmbeddedStore:
    """An Oxigraph store in a folder on disk (or in memory when ``path`` is ``None``).

    Parameters
    ----------
    path : path or None
        The store folder; created on the first write.
    """

    def __init__(self, path: str | os.PathLike | None):
        self.path = Path(path) if path is not None else None
        self._memory = ox.Store() if path is None else None
        self._reader: ox.Store | None = None
        self._reader_generation: str | None = None

    def __repr__(self) -> str:
        return f"EmbeddedStore({str(self.path) if self.path else None!r})"

    # -- generations --------------------------------------------------------------------

    def _current(self) -> str | None:
        assert self.path is not None
        try:
            generation = (self.path / "CURRENT").read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise StoreError(f"cannot read the store's CURRENT file: {exc}", path=str(self.path)) from exc
        # Garbage collection deletes every generation but this one: a damaged pointer must stop
        # the command before it does, not make it delete the data.
        if not _GENERATION.fullmatch(generation):
            raise StoreError(f"the store's CURRENT file names no generation ({generation[:40]!r}); the store "
                             f"folder is damaged -- restore it from a backup, or move it aside and build again",
                             path=str(self.path))
        return generation

    def exists(self) -> bool:
        """Whether anything was ever written to this store."""
        return self._memory is not None or self._current() is not None

    def reader(self) -> ox.Store:
        """The pyoxigraph ``Store`` of the current generation, opened read-only (reopened
        when a write has switched generations). For callers that stream results themselves;
        it bypasses the SERVICE refusal of :meth:`query`, so pass it no user queries unchecked."""
        if self._memory is not None:
            return self._memory
        generation = self._current()
        if generation is None:
            return ox.Store()
        if generation != self._reader_generation:
            try:
                self._reader = ox.Store.read_only(str(self.path / generation))
            except OSError as exc:
                raise StoreError(f"cannot open the store: {exc}", path=str(self.path)) from exc
            self._reader_generation = generation
        return self._reader

    @contextlib.contextmanager
    def writing(self) -> Iterator[ox.Store]:
        """A pyoxigraph ``Store`` to write into; committed when the block ends without error.

        Only one writer at a time: a second one fails at once with a clear message. A
        generation written this way has no act index (:mod:`graph.act_index`): the
        analyses read it through SPARQL, and the next :meth:`replace_graphs` rebuilds it.
        """
        if self._memory is not None:
            yield self._memory
            return
        with self._generation() as (writer, _target, _base):
            yield writer

    @contextlib.contextmanager
    def _generation(self) -> Iterator[tuple[ox.Store, Path, Path | None]]:
        """The writer of a new generation, its folder and the current generation's folder."""
        assert self.path is not None
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            lock = open(self.path / "LOCK", "w")  # noqa: SIM115 -- held for the whole write
        except OSError as exc:
            raise StoreError(f"cannot create the store folder: {exc.strerror}", path=str(self.path)) from exc
        with lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise StoreError("another escgraph command is writing to this store; try again when it ends",
                                 path=str(self.path)) from exc
            current = self._current()
            if current is not None and not (self.path / current).is_dir():
                raise StoreError(f"the store's CURRENT file names {current}, which is missing; the store folder "
                                 f"is damaged -- restore it from a backup, or move it aside and build again",
                                 path=str(self.path))
            self._collect_garbage()
            number = int(current.split("-")[1]) + 1 if current else 1
            generation = f"gen-{number:06d}"
            target = self.path / generation
            try:
                if current:
                    ox.Store.read_only(str(self.path / current)).backup(str(target))
                writer = ox.Store(str(target))
                yield writer, target, self.path / current if current else None
                writer.flush()
                # Compacting after the (bulk) write makes later reads 4-7x faster at 1M events
                # (BENCHMARKS.md, B2/B3) for about 7% more write time.
                writer.optimize()
                del writer
            except BaseException:
                shutil.rmtree(target, ignore_errors=True)
                raise
            pointer = self.path / "CURRENT.tmp"
            pointer.write_text(generation, encoding="ascii")
            with open(pointer, "rb") as f:
                os.fsync(f.fileno())
            os.replace(pointer, self.path / "CURRENT")
            self._collect_garbage()

    def _collect_garbage(self) -> None:
        """Remove generations left by earlier writes or kills, except the current one and the
        one before it: a reader (the endpoint's workers) may still be answering a query there."""
        current = self._current()
        older = sorted(p.name for p in self.path.glob("gen-*") if current is None or p.name < current)
        keep = {current, older[-1] if older else None}
        for entry in self.path.glob("gen-*"):
            if entry.name not in keep:
                shutil.rmtree(entry, ignore_errors=True)

    # -- the Store protocol ------------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> Table | bool | list[ox.Triple]:
        form = operation(sparql)
        if form in UPDATE_OPERATIONS:
            raise QueryError(f"SPARQL Update ({form}) is refused: queries only read the graph; "
                             f"change it with escgraph build or escgraph import")
        refuse_service(sparql)
        refuse_deep_nesting(sparql)
        try:
            result = self.reader().query(
                with_values(sparql, bindings or {}), use_default_graph_as_union=True, prefixes=PREFIXES
            )
            return _result(result)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax: {exc}") from exc
        except OSError as exc:
            raise QueryError(f"query failed: {exc}") from exc

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> Table:
        return selected(self.query(sparql, bindings))

    def replace_graphs(self, graphs: Sequence[str], quads: Iterable[ox.Quad]) -> None:
        if self._memory is not None:
            _remove_graphs(self._memory, graphs)
            self._memory.extend(quads)
            return
        with self._generation() as (writer, target, base):
            _remove_graphs(writer, graphs)
            facts = ActFacts()
            base_index = base / ACT_INDEX if base is not None else None
            if base_index is not None and not base_index.is_dir():
                # Written without an index (see writing): rebuild it from the facts themselves.
                for predicate in ActFacts.PREDICATES:
                    collections.deque(facts.watch(writer.quads_for_pattern(None, predicate, None, None)), 0)
                base_index = None
            writer.bulk_extend(facts.watch(quads))
            facts.save(target / ACT_INDEX, base=base_index, replaced=graphs)

    def act_index(self) -> Path | None:
        """The folder of the current generation's act index (:mod:`graph.act_index`), or
        ``None`` when it has none (an in-memory store, a generation written by :meth:`writing`)."""
        if self._memory is not None or self._current() is None:
            return None
        self.reader()
        folder = self.path / self._reader_generation / ACT_INDEX
        return folder if folder.is_dir() else None

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.reader().named_graphs() if isinstance(g, ox.NamedNode))

    def dump(self, output: IO[bytes], format: ox.RdfFormat) -> None:
        store = self.reader()
        if format.supports_datasets:
            store.dump(output, format=format, prefixes=PREFIXES if format.name != "N-Quads" else None)
        else:
            triples = (ox.Triple(q.subject, q.predicate, q.object) for q in store)
            ox.serialize(triples, output, format=format,
                         prefixes=PREFIXES if format.name != "N-Triples" else None)

    def __len__(self) -> int:
        return len(self.reader())


def _remove_graphs(store: ox.Store, graphs: Sequence[str]) -> None:
    for graph in graphs:
        node = ox.NamedNode(graph)
        if store.contains_named_graph(node):
            store.remove_graph(node)


def open_store(location: str | os.PathLike | None = None) -> Store:
    """Open the store at ``location``: a folder (the embedded store), ``sparql+http(s)://...``
    (a remote SPARQL 1.1 server), or ``None`` for the default folder.

    Examples
    --------
    >>> open_store("/tmp/some-store")
    EmbeddedStore('/tmp/some-store')
    """
    text = str(location) if location is not None else None
    if text and text.startswith(("sparql+http://", "sparql+https://")):
        from graph.remote import RemoteStore

        return RemoteStore.from_url(text)
    return EmbeddedStore(Path(text) if text else default_store_path())
