"""The embedded store: atomic writes, one writer at a time, readers never disturbed."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap

import pyoxigraph as ox
import pytest

from graph.errors import QueryError, StoreError
from graph.store import EmbeddedStore, open_store, refuse_service

G = ox.NamedNode("http://example.org/g")


def _quad(i: int) -> ox.Quad:
    return ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"), ox.Literal(i), G)


def _content(store: EmbeddedStore) -> bytes:
    out = io.BytesIO()
    store.dump(out, ox.RdfFormat.N_QUADS)
    return b"\n".join(sorted(out.getvalue().splitlines()))


def test_replace_graphs_replaces_whole_graph(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    store.replace_graphs([G.value], [_quad(1), _quad(2)])
    store.replace_graphs([G.value], [_quad(3)])
    assert len(store) == 1
    assert store.named_graphs() == [G.value]


def test_failed_write_leaves_store_as_it_was(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    store.replace_graphs([G.value], [_quad(1), _quad(2)])
    before = _content(store)

    def failing():
        yield _quad(10)
        raise RuntimeError("input broke half-way")

    with pytest.raises(RuntimeError):
        store.replace_graphs([G.value], failing())
    assert _content(EmbeddedStore(tmp_path / "store")) == before
    assert (tmp_path / "store" / "CURRENT").read_text() == "gen-000001"


def test_killed_write_leaves_store_as_it_was_and_next_write_works(tmp_path):
    path = tmp_path / "store"
    store = EmbeddedStore(path)
    store.replace_graphs([G.value], [_quad(1)])
    before = _content(store)
    script = textwrap.dedent(f"""
        import os, signal, pyoxigraph as ox
        from graph.store import EmbeddedStore
        g = ox.NamedNode("{G.value}")
        def quads():
            for i in range(100000):
                if i == 5000:
                    os.kill(os.getpid(), signal.SIGKILL)
                yield ox.Quad(ox.NamedNode(f"http://example.org/k{{i}}"), ox.NamedNode("http://example.org/p"),
                              ox.Literal(i), g)
        EmbeddedStore({str(path)!r}).replace_graphs([g.value], quads())
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, check=False)
    assert result.returncode == -signal.SIGKILL
    assert _content(EmbeddedStore(path)) == before
    assert sorted(p.name for p in path.glob("gen-*")) == ["gen-000001", "gen-000002"]  # the killed one's leftovers
    EmbeddedStore(path).replace_graphs([G.value], [_quad(7)])
    assert len(EmbeddedStore(path)) == 1
    # the killed write's leftovers are gone; the generation before the current one stays for readers
    assert sorted(p.name for p in path.glob("gen-*")) == ["gen-000001", (path / "CURRENT").read_text()]


def test_second_writer_is_refused_while_one_writes(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    with (store.writing(), pytest.raises(StoreError, match="another escgraph command is writing"),
          EmbeddedStore(tmp_path / "store").writing()):
        pass


def test_reader_keeps_its_view_until_the_write_commits(tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    store.replace_graphs([G.value], [_quad(1)])
    reader = EmbeddedStore(tmp_path / "store")
    assert len(reader) == 1
    with store.writing() as writer:
        writer.add(_quad(2))
        assert len(reader) == 1
    assert len(reader) == 2


def test_reading_a_store_that_does_not_exist_gives_an_empty_answer(tmp_path):
    store = EmbeddedStore(tmp_path / "nothing-here")
    assert len(store) == 0 and not store.exists()
    assert not (tmp_path / "nothing-here").exists()


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "PREFIX x: <http://x/> SELECT * WHERE { SERVICE x:y { ?s ?p ?o } }",
        # regression: a comment ended by a bare carriage return hid the keyword from the check
        "SELECT * WHERE { # x\rSERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    ],
)
def test_service_is_refused(query):
    with pytest.raises(QueryError, match="SERVICE"):
        refuse_service(query)
    with pytest.raises(QueryError, match="SERVICE"):
        EmbeddedStore(None).query(query)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT ?service WHERE { ?service ?p "SERVICE" }',
        "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o } # SERVICE",
    ],
)
def test_the_word_service_elsewhere_is_fine(query):
    refuse_service(query)


def test_syntax_error_is_a_query_error():
    with pytest.raises(QueryError, match="SPARQL syntax"):
        EmbeddedStore(None).query("SELEKT * WHERE {}")


def test_open_store_honours_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ESCGRAPH_STORE", str(tmp_path / "env-store"))
    assert open_store().path == tmp_path / "env-store"
    assert os.fspath(open_store(tmp_path / "x").path) == os.fspath(tmp_path / "x")
