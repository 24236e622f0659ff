"""A columnar index of every act's agent, target, CAMEO code and dates, kept with the store.

Reading a million acts out of the on-disk store through SPARQL takes tens of seconds
(BENCHMARKS.md, B2), while the windowed join that pairs them takes under one. So the
embedded store keeps, beside each generation, the five facts the analyses need —
``esc:agent``, ``esc:target``, ``esc:cameoCode``, ``esc:earliest``, ``esc:latest`` — as
numpy arrays, one file per named graph, written by the same write that writes the quads
(:class:`ActFacts` watches the quads go by) and swapped in with them.

The index answers exactly what :data:`graph.analytics.acts.HOSTILE_ACTS_QUERY` answers
over the union of the graphs. An act whose facts are spread over several graphs, or
given twice, is not answered from the index but named in :attr:`HostileRows.ask_store`,
for the caller to ask the store about; a graph with facts the index cannot hold (a
blank node, a date that is not an ``xsd:date``) makes :func:`hostile_rows` return
``None``, and the caller asks the store for everything.

Examples
--------
>>> import pyoxigraph as ox, tempfile
>>> from pathlib import Path
>>> esc = "https://w3id.org/escalation-graph/ontology#"
>>> g, e = ox.NamedNode("http://example.org/g"), ox.NamedNode("http://example.org/e1")
>>> def fact(p, o): return ox.Quad(e, ox.NamedNode(esc + p), o, g)
>>> day = lambda d: ox.Literal(d, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
>>> facts = ActFacts()
>>> quads = list(facts.watch([fact("agent", ox.NamedNode("http://example.org/north")),
...     fact("target", ox.NamedNode("http://example.org/south")),
...     fact("cameoCode", ox.NamedNode("http://example.org/cameo-190")),
...     fact("earliest", day("2024-03-01")), fact("latest", day("2024-03-02"))]))
>>> folder = Path(tempfile.mkdtemp()) / "acts"
>>> facts.save(folder, base=None, replaced=[])
>>> rows = hostile_rows(folder, {"http://example.org/cameo-190": -10.0})
>>> rows.acts, rows.agents, rows.days.T.tolist(), rows.ask_store
(['http://example.org/e1'], ['http://example.org/north', 'http://example.org/south'], [[19783, 19784]], [])
"""

from __future__ import annotations

import functools
import hashlib
import os
import zipfile
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyoxigraph as ox

from graph.namespaces import ESC, PREFIXES

__all__ = ["FOLDER", "ActFacts", "HostileRows", "hostile_rows"]

FOLDER = "escgraph-acts"
"""The index's folder inside a generation's folder (RocksDB leaves folders it did not make alone)."""

# The order of the kinds is the order of the columns in a row.
_KINDS = ("agent", "target", "cameoCode", "earliest", "latest")
_KIND_OF = {ox.NamedNode(str(getattr(ESC, name))): kind for kind, name in enumerate(_KINDS)}
_IRI_KINDS = 3  # agent, target and cameoCode take IRIs; earliest and latest take days
_XSD_DATE = ox.NamedNode(PREFIXES["xsd"] + "date")
_EPOCH = np.datetime64("1970-01-01", "D")
_FORMAT = 1


def _key(text: str) -> int:
    """A hash of an act's IRI that is the same in every process (``hash`` is salted)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def _file_name(graph: str) -> str:
    return hashlib.sha256(graph.encode()).hexdigest()[:32] + ".npz"


class _Strings:
    """The strings a file packs as one UTF-8 blob and their end offsets, decoded on demand."""

    def __init__(self, data: Mapping[str, np.ndarray], name: str):
        self.data = data[f"{name}_blob"].tobytes()
        self.ends = data[f"{name}_ends"].tolist()
        self.starts = [0, *self.ends[:-1]]

    def __len__(self) -> int:
        return len(self.ends)

    def pick(self, wanted: Iterable[int]) -> list[str]:
        return [self.data[self.starts[i]:self.ends[i]].decode() for i in wanted]

    def all(self) -> list[str]:
        return self.pick(range(len(self)))


def _packed(strings: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    encoded = [s.encode() for s in strings]
    ends = np.cumsum([len(b) for b in encoded], dtype=np.int64) if encoded else np.empty(0, np.int64)
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), ends


@functools.lru_cache(maxsize=1 << 16)
def _day_number(text: str) -> int | None:
    """Days since 1970-01-01 of an ``xsd:date`` written YYYY-MM-DD; ``None`` for any other
    form (a time zone, a year past 9999), which the index leaves to the store."""
    if len(text) != 10:
        return None
    try:
        return int((np.datetime64(text, "D") - _EPOCH).astype(np.int64))
    except ValueError:
        return None


class _GraphFacts:
    """The act facts written into one named graph, as integer codes."""

    __slots__ = ("act", "acts", "kind", "opaque", "terms", "value")

    def __init__(self):
        self.acts: dict[str, int] = {}
        self.terms: dict[str, int] = {}
        self.act, self.kind, self.value = array("q"), array("b"), array("q")
        self.opaque = False

    def add(self, subject: object, kind: int, obj: object) -> None:
        if not isinstance(subject, ox.NamedNode):
            self.opaque = True
            return
        if kind < _IRI_KINDS:
            if not isinstance(obj, ox.NamedNode):
                self.opaque = True
                return
            value = self.terms.setdefault(obj.value, len(self.terms))
        else:
            if not isinstance(obj, ox.Literal) or obj.datatype != _XSD_DATE:
                self.opaque = True
                return
            value = _day_number(obj.value)
            if value is None:
                self.opaque = True
                return
        self.act.append(self.acts.setdefault(subject.value, len(self.acts)))
        self.kind.append(kind)
        self.value.append(value)

    def arrays(self) -> dict[str, np.ndarray]:
        act_blob, act_ends = _packed(list(self.acts))
        term_blob, term_ends = _packed(list(self.terms))
        facts = np.stack([np.frombuffer(self.act, np.int64), np.frombuffer(self.kind, np.int8).astype(np.int64),
                          np.frombuffer(self.value, np.int64)]) if self.act else np.empty((3, 0), np.int64)
        # One fact written twice (the same quad in two batches) counts once, as in the store.
        facts = np.unique(facts, axis=1).astype(np.int32)  # ids and day numbers: int32 halves the file
        return {"format": np.array(_FORMAT), "opaque": np.array(self.opaque),
                "act_blob": act_blob, "act_ends": act_ends, "term_blob": term_blob, "term_ends": term_ends,
                "act_keys": np.fromiter((_key(a) for a in self.acts), np.uint64, len(self.acts)),
                "facts": facts}


def _merged(old: Mapping[str, np.ndarray], new: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The facts of ``old`` and ``new`` for one graph that a write added to, not replaced."""
    merged = _GraphFacts()
    for part in (old, new):
        acts, terms = _Strings(part, "act").all(), _Strings(part, "term").all()
        for act, kind, value in part["facts"].T.tolist():
            merged.act.append(merged.acts.setdefault(acts[act], len(merged.acts)))
            merged.kind.append(kind)
            merged.value.append(merged.terms.setdefault(terms[value], len(merged.terms))
                                if kind < _IRI_KINDS else value)
        merged.opaque |= bool(part["opaque"])
    return merged.arrays()


class ActFacts:
    """Collects the act facts of the quads a write adds, and saves them as the index.

    Use :meth:`watch` on the quads on their way into the store, then :meth:`save` into
    the new generation once they are all written.
    """

    PREDICATES = tuple(_KIND_OF)
    """The predicates of the facts the index keeps."""

    def __init__(self):
        self.graphs: dict[str, _GraphFacts] = {}

    def watch(self, quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        """Yield ``quads`` unchanged, noting each act fact among them."""
        kind_of, graphs = _KIND_OF, self.graphs
        for quad in quads:
            kind = kind_of.get(quad.predicate)
            if kind is not None:
                graph = quad.graph_name
                name = graph.value if isinstance(graph, ox.NamedNode) else ""
                facts = graphs.get(name)
                if facts is None:
                    facts = graphs[name] = _GraphFacts()
                    facts.opaque = not isinstance(graph, ox.NamedNode)
                facts.add(quad.subject, kind, quad.object)
            yield quad

    def save(self, folder: Path, *, base: Path | None, replaced: Iterable[str]) -> None:
        """Write the index of the new generation into ``folder``: the files of ``base`` (the
        previous generation's index) for the graphs this write left alone, the facts seen
        for the graphs it wrote (added to what ``base`` had for a graph it did not replace)."""
        folder.mkdir(parents=True, exist_ok=True)
        replaced = {_file_name(g) for g in replaced}
        if base is not None:
            for entry in base.iterdir():
                if entry.name not in replaced:
                    os.link(entry, folder / entry.name)
        for graph, facts in self.graphs.items():
            target = folder / _file_name(graph)
            arrays = facts.arrays()
            if target.exists():
                with np.load(target, allow_pickle=False) as old:
                    arrays = _merged(old, arrays)
                target.unlink()  # a hard link to the previous generation's file: never write through it
            with open(target, "wb") as out:
                np.savez(out, graph=np.array(graph), **arrays)
                out.flush()
                os.fsync(out.fileno())


@dataclass
class HostileRows:
    """Rows of hostile acts read from the index: ``acts[i]`` by ``agents[agent[i]]`` against
    ``agents[target[i]]`` from day ``days[0][i]`` to ``days[1][i]``, weighing ``goldstein[i]``;
    and the acts (IRIs) whose facts the index cannot join on its own."""

    acts: list[str]
    agents: list[str]
    agent: np.ndarray
    target: np.ndarray
    days: np.ndarray
    goldstein: np.ndarray
    ask_store: list[str]


def _graph_rows(data: Mapping[str, np.ndarray], acts: _Strings, weights: Mapping[str, float], skip: np.ndarray,
                actor_codes: dict[str, int]) -> tuple[list[str], np.ndarray, np.ndarray, list[str]]:
    """The hostile rows of one graph's acts whose facts are all in this graph, once each:
    their acts, a table (agent, target, earliest, latest), their weights; and the acts with
    several values of a fact, for the store to join."""
    n_acts = len(acts)
    act, kind, value = data["facts"].astype(np.int64)
    counts = np.bincount(kind * n_acts + act, minlength=len(_KINDS) * n_acts).reshape(len(_KINDS), n_acts)
    single = (counts == 1).all(axis=0) & ~skip
    terms = _Strings(data, "term").all()
    weight_of_term = np.array([weights.get(t, np.nan) for t in terms], np.float64)
    columns = np.full((len(_KINDS), n_acts), -1, np.int64)
    one = single[act]
    columns[kind[one], act[one]] = value[one]
    rows = np.flatnonzero(single)
    code = columns[2, rows]
    goldstein = weight_of_term[code] if len(terms) else np.empty(0)
    hostile = ~np.isnan(goldstein)
    rows = rows[hostile]
    actor_of_term = np.full(len(terms), -1, np.int64)
    for term in np.unique(columns[:2, rows]).tolist():
        actor_of_term[term] = actor_codes.setdefault(terms[term], len(actor_codes))
    table = np.stack([actor_of_term[columns[0, rows]], actor_of_term[columns[1, rows]],
                      columns[3, rows], columns[4, rows]]) if len(rows) else np.empty((4, 0), np.int64)
    # Several values of one fact (two agents, two codes) join as a product: rare, and left to
    # the store so that its answer stays the one definition.
    multiple = (counts > 0).all(axis=0) & ~single & ~skip
    return (acts.pick(rows), table, goldstein[hostile] if len(rows) else np.empty(0),
            acts.pick(np.flatnonzero(multiple)))


def hostile_rows(folder: Path, weights: Mapping[str, float]) -> HostileRows | None:
    """The rows of the acts whose CAMEO code has a weight in ``weights`` (code IRI →
    Goldstein weight), as the index in ``folder`` holds them; ``None`` if a graph holds
    facts the index cannot (the caller then asks the store).

    Raises
    ------
    OSError
        If the folder cannot be listed.
    """
    files = []
    for entry in sorted(folder.iterdir()):
        try:
            with np.load(entry, allow_pickle=False) as data:
                arrays = {name: data[name] for name in data.files}
        except (OSError, ValueError, EOFError, zipfile.BadZipFile):
            return None  # damaged on disk: the store still has every fact
        if arrays.get("format") != _FORMAT or bool(arrays.get("opaque", True)):
            return None
        files.append(arrays)
    keys = np.concatenate([f["act_keys"] for f in files]) if files else np.empty(0, np.uint64)
    unique, counts = np.unique(keys, return_counts=True)
    shared = unique[counts > 1]
    acts: list[str] = []
    actor_codes: dict[str, int] = {}
    tables, weights_out, ask_store = [], [], []
    for data in files:
        names = _Strings(data, "act")
        skip = np.isin(data["act_keys"], shared)
        found, table, goldstein, several = _graph_rows(data, names, weights, skip, actor_codes)
        acts += found
        ask_store += names.pick(np.flatnonzero(skip)) + several
        tables.append(table)
        weights_out.append(goldstein)
    table = np.concatenate(tables, axis=1) if tables else np.empty((4, 0), np.int64)
    return HostileRows(acts, list(actor_codes), table[0], table[1], table[2:4],
                       np.concatenate(weights_out) if weights_out else np.empty(0), sorted(set(ask_store)))
