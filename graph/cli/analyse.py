"""``escgraph analyse``: tit-for-tat chains, reciprocity, say-do, deniability, inferred links.

A thin layer over :mod:`graph.analytics`: it pulls what the analysis needs from the
store, prints one row per result with its source and evidence, and writes GraphML or
GEXF (for Gephi) where the result is a graph.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import click
import networkx as nx
import pyoxigraph as ox

from graph import analytics
from graph.analytics.acts import roll_up
from graph.cli.common import output_options, render_rows, short, store_option
from graph.errors import InputError
from graph.namespaces import INFERRED_GRAPH
from graph.queries import resolve_actor
from graph.store import Store

__all__ = ["analyse"]

# How many acts or statements a summary row quotes as its evidence.
EVIDENCE_PER_ROW = 3


def _window(default: int) -> Callable:
    return click.option("--window", type=click.IntRange(min=0), default=default, show_default=True,
                        help="Days after an act (or a signal) within which the answer must be able to start.")


_actor_option = click.option("--actor", "actor_name", metavar="NAME",
                             help="Only results where this actor (by id, name or alias; a state includes those "
                                  "who act for it) is a side.")


def _graph_options(func: Callable) -> Callable:
    func = click.option("--gexf", "gexf_path", type=click.Path(dir_okay=False, path_type=Path),
                        help="Also write the result as a GEXF graph (Gephi).")(func)
    return click.option("--graphml", "graphml_path", type=click.Path(dir_okay=False, path_type=Path),
                        help="Also write the result as a GraphML graph (Gephi, yEd, networkx).")(func)


def _pair_analysis_options(func: Callable) -> Callable:
    """The options of the analyses of action-reaction pairs (chains, reciprocity)."""
    # Applied innermost first, as a stack of decorators would be: help lists --window first.
    for option in (output_options, store_option, _graph_options, _actor_option, _window(14)):
        func = option(func)
    return func


@contextlib.contextmanager
def _progress(what: str) -> Iterator[None]:
    """A spinner on stderr while long work runs (only on a terminal)."""
    from rich.console import Console

    console = Console(stderr=True)
    if not console.is_terminal:
        yield
        return
    with console.status(what):
        yield


def _sides(store: Store, actor_name: str | None) -> set[str] | None:
    """The actors that stand for ``actor_name`` as a side (itself or the tops it acts for)."""
    if actor_name is None:
        return None
    iri = resolve_actor(store, actor_name).value
    return {iri, *roll_up(store).get(iri, ())}


def _evidence(details: dict[str, dict[str, Any]], iris: Iterable[str]) -> tuple[str, str]:
    """The sources and evidence of the first few of ``iris`` (a summary row stands for
    many acts; quoting them all would drown it)."""
    iris = list(iris)
    first = [details[i] for i in iris[:EVIDENCE_PER_ROW] if i in details]
    sources = sorted({d["source"] for d in first if d["source"]})
    more = len(iris) - EVIDENCE_PER_ROW
    evidence = " | ".join(d["evidence"] for d in first if d["evidence"])
    return "; ".join(sources), evidence + (f" | ... and {more} more" if more > 0 and evidence else "")


def _write_graph(G: nx.Graph, graphml_path: Path | None, gexf_path: Path | None) -> None:
    for path, write in ((graphml_path, nx.write_graphml), (gexf_path, nx.write_gexf)):
        if path is None:
            continue
        try:
            write(G, path)
        except OSError as exc:
            raise InputError(f"cannot write the graph: {exc.strerror}", path=str(path)) from exc
        click.echo(f"wrote {G.number_of_nodes()} nodes and {G.number_of_edges()} edges to {path}", err=True)


def _shown(iri: str, fmt: str) -> str:
    """An act as a table or CSV shows it (``event/key``, as query results do); JSON keeps the IRI."""
    return iri if fmt == "json" else short(ox.NamedNode(iri)) if iri.startswith(("http://", "https://")) else iri


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


@click.group("analyse")
def analyse() -> None:
    """Analyses computed from the graph's acts: action-reaction chains, reciprocity per
    dyad, say-do consistency, deniability, and candidate response links.

    Hostile acts are those of CAMEO QuadClass 4 (material conflict); each act's agent and
    target count as the actor they act for. Every row names its source and evidence.

    \b
    Example:
      escgraph analyse chains --window 14 --graphml chains.graphml
    """


@analyse.command()
@_pair_analysis_options
def chains(window: int, actor_name: str | None, graphml_path: Path | None, gexf_path: Path | None, store,
           fmt: str, output) -> None:
    """Chains of action and reaction: acts answering one another in turn between two
    sides, each within the window of the one before; the longest chain of each exchange,
    longest first. One row per act of a chain, with the lag from the act before.

    --graphml/--gexf write every pair as a graph of acts (edges from stimulus to
    response); the acts of the listed chains carry their chain number.

    \b
    Example:
      escgraph analyse chains --actor Kyiv --format csv -o chains.csv
    """
    with _progress("finding action-reaction pairs"):
        pairs = analytics.action_reaction_pairs(store, window=window)
        found = analytics.reaction_chains(pairs)
    sides = _sides(store, actor_name)
    if sides is not None:
        found = [c for c in found if sides & set(c.sides)]
    acts = pairs.acts
    first_row: dict[str, int] = {}
    for row in range(len(acts)):
        first_row.setdefault(acts.act_iri(row), row)
    members = {iri for chain in found for iri in chain.acts}
    details = analytics.act_details(store, members)
    names = analytics.actor_names(store, acts.actors)
    rows = []
    for number, chain in enumerate(found, 1):
        previous = None
        for position, iri in enumerate(chain.acts, 1):
            row = first_row[iri]
            lag = (None, None) if previous is None else (int(acts.earliest[row] - acts.latest[previous]),
                                                          int(acts.latest[row] - acts.earliest[previous]))
            info = details.get(iri, {})
            rows.append([number, len(chain), position, _shown(iri, fmt), info.get("label"), names[acts.actors[acts.agent[row]]],
                         names[acts.actors[acts.target[row]]], acts.day(acts.earliest[row]).isoformat(),
                         acts.day(acts.latest[row]).isoformat(), float(acts.goldstein[row]), *lag,
                         info.get("source"), info.get("evidence")])
            previous = row
    render_rows(["chain", "length", "position", "act", "label", "agent", "target", "earliest", "latest", "goldstein",
                 "lag_min_days", "lag_max_days", "source", "evidence"], rows, fmt, output)
    if graphml_path or gexf_path:
        G = analytics.reaction_graph(pairs)
        labels = analytics.act_details(store, G.nodes)
        for iri, data in G.nodes(data=True):
            data["label"] = (labels.get(iri) or {}).get("label") or iri
            data["agent"], data["target"] = names[data["agent"]], names[data["target"]]
        for number, chain in enumerate(found, 1):
            for iri in chain.acts:
                G.nodes[iri]["chain"] = number
        _write_graph(G, graphml_path, gexf_path)


@analyse.command()
@_pair_analysis_options
def reciprocity(window: int, actor_name: str | None, graphml_path: Path | None, gexf_path: Path | None, store,
                fmt: str, output) -> None:
    """Per directed dyad, how the target answered the actor's hostile acts: how many it
    answered within the window, how fast (quartiles of the first answer's lag, in days),
    and how hard (escalation_ratio: mean Goldstein weight of the answer over the
    stimulus's, above 1 when harsher; escalated: share of answers that were harsher).
    Source and evidence are those of the dyad's first acts.

    --graphml/--gexf write the dyads as a graph of actors.

    \b
    Example:
      escgraph analyse reciprocity --window 14 --gexf dyads.gexf
    """
    with _progress("finding action-reaction pairs"):
        pairs = analytics.action_reaction_pairs(store, window=window)
        dyads = analytics.reciprocity(pairs)
    sides = _sides(store, actor_name)
    if sides is not None:
        dyads = [d for d in dyads if sides & {d.actor, d.target}]
    acts = pairs.acts
    by_dyad: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for row in range(len(acts)):
        key = (acts.actors[acts.agent[row]], acts.actors[acts.target[row]])
        by_dyad.setdefault(key, []).append((int(acts.earliest[row]), acts.act_iri(row)))
    quoted = {key: [iri for _, iri in sorted(rows)] for key, rows in by_dyad.items()}
    details = analytics.act_details(store, {i for d in dyads for i in quoted[(d.actor, d.target)][:EVIDENCE_PER_ROW]})
    names = analytics.actor_names(store, {s for d in dyads for s in (d.actor, d.target)})
    rows = []
    for d in dyads:
        source, evidence = _evidence(details, quoted[(d.actor, d.target)])
        rows.append([names[d.actor], names[d.target], d.stimuli, d.answered, _round(d.response_rate),
                     _round(d.lag_q1_days), _round(d.lag_median_days), _round(d.lag_q3_days),
                     _round(d.escalation_ratio), _round(d.escalated), source, evidence])
    render_rows(["actor", "target", "stimuli", "answered", "response_rate", "lag_q1_days", "lag_median_days",
                 "lag_q3_days", "escalation_ratio", "escalated", "source", "evidence"], rows, fmt, output)
    if graphml_path or gexf_path:
        _write_graph(analytics.reciprocity_graph(dyads, names), graphml_path, gexf_path)


@analyse.command("say-do")
@_window(30)
@_actor_option
@store_option
@output_options
def say_do(window: int, actor_name: str | None, store, fmt: str, output) -> None:
    """Say-do consistency: per actor, the share of its warnings and threats (CAMEO 13x,
    by it or those who speak for it) that a hostile act of its own followed within the
    window, and the ones nothing followed (possible bluffs).

    \b
    Example:
      escgraph analyse say-do --window 30
    """
    with _progress("matching signals to acts"):
        results = analytics.say_do(store, window=window)
    sides = _sides(store, actor_name)
    if sides is not None:
        results = [r for r in results if r.actor in sides]
    details = analytics.act_details(store, {s for r in results for s in (*r.followed, *r.not_followed)})
    names = analytics.actor_names(store, {r.actor for r in results})
    rows = []
    for r in results:
        source, evidence = _evidence(details, (*r.not_followed, *r.followed))
        bluffs = "; ".join((details.get(s) or {}).get("label") or s for s in r.not_followed)
        rows.append([names[r.actor], r.signals, len(r.followed), len(r.not_followed), _round(r.share_followed),
                     bluffs, source, evidence])
    render_rows(["actor", "signals", "followed", "not_followed", "share_followed", "not_followed_signals",
                 "source", "evidence"], rows, fmt, output)


@analyse.command()
@_actor_option
@store_option
@output_options
def deniability(actor_name: str | None, store, fmt: str, output) -> None:
    """Deniability: per actor blamed for hostile acts (esc:attributesTo), how many of them
    it claimed, acknowledged, denied or declined to comment on; share_claimed is claimed
    over attributed (0: it owned none). Evidence quotes the acts it never claimed.

    \b
    Example:
      escgraph analyse deniability --actor Kyiv
    """
    results = analytics.deniability(store)
    sides = _sides(store, actor_name)
    if sides is not None:
        results = [r for r in results if r.actor in sides]
    details = analytics.act_details(store, {a for r in results for a in r.attributed})
    names = analytics.actor_names(store, {r.actor for r in results})
    rows = []
    for r in results:
        source, evidence = _evidence(details, r.unclaimed or r.attributed)
        rows.append([names[r.actor], len(r.attributed), len(r.claimed), len(r.acknowledged), len(r.denied),
                     len(r.declined), _round(r.share_claimed),
                     "; ".join((details.get(a) or {}).get("label") or a for a in r.unclaimed), source, evidence])
    render_rows(["actor", "attributed", "claimed", "acknowledged", "denied", "declined", "share_claimed",
                 "unclaimed_acts", "source", "evidence"], rows, fmt, output)


@analyse.command("infer-links")
@_window(14)
@store_option
@output_options
def infer_links(window: int, store, fmt: str, output) -> None:
    """Write every action-reaction pair as a candidate response link into the inferred
    named graph (replacing the links written before), with its lag range, score (0-1)
    and method. Asserted facts are never touched; SPARQL sees the links as
    `?link a esc:ResponseLink ; esc:score ?score` without esc:assertedBy.

    \b
    Example:
      escgraph analyse infer-links --window 14
    """
    with _progress("inferring response links"):
        written = analytics.infer_response_links(store, window=window)
    scores = written.scores()
    render_rows(["links", "window", "method", "mean_score", "graph"],
                [[len(written), window, analytics.INFERENCE_METHOD.format(window=window),
                  _round(float(scores.mean())) if len(scores) else None, INFERRED_GRAPH]], fmt, output)
    if fmt == "table":
        click.echo("see them with: escgraph sparql \"SELECT ?stimulus ?response ?score WHERE { ?l a esc:ResponseLink ; "
                   "esc:stimulus ?stimulus ; esc:response ?response ; esc:score ?score } ORDER BY DESC(?score)\"",
                   err=True)
