"""Crash safety of the commands that write: ``escgraph build`` (and ``demo``, which builds)
killed with SIGKILL at any point leaves the store exactly as it was, or -- killed after
the atomic switch -- exactly as a finished build leaves it; never anything in between.
The next command works. A damaged store folder is refused, never "repaired" by deletion.

The store-level kill (one ``replace_graphs`` call) is in ``tests/test_store.py``.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import textwrap
import time

import pyoxigraph as ox
import pytest

from graph.namespaces import graph_iri
from graph.pipeline import build
from graph.store import EmbeddedStore

from reliability_support import HOSTILE, REPO, assert_clean_failure, escgraph, invoke, snapshot

MINI_CASE = HOSTILE.parent / "mini-case"
FILLER = 20_000


def _build_with_filler(path, filler: int):
    store = EmbeddedStore(path)
    build(store, [MINI_CASE])
    graph = ox.NamedNode(graph_iri("wire-2024-03-10"))
    predicate = ox.NamedNode("http://example.org/filler")
    store.replace_graphs([], (ox.Quad(ox.NamedNode(f"http://example.org/f{i}"), predicate, ox.Literal(i), graph)
                              for i in range(filler)))
    return path


@pytest.fixture(scope="module")
def _templates(tmp_path_factory):
    root = tmp_path_factory.mktemp("padded")
    return {filler: _build_with_filler(root / f"store-{filler}", filler) for filler in (FILLER, 500)}


@pytest.fixture
def padded_store(_templates, tmp_path):
    """A store holding the mini case plus 20,000 extra quads in the mini case's own source
    graph: rebuilding the case must drop them, which keeps the write open for a second or
    two -- long enough to kill it part-way, for certain."""
    path = tmp_path / "store"
    shutil.copytree(_templates[FILLER], path)
    return path


@pytest.fixture
def changed_store(_templates, tmp_path):
    """The mini case plus 500 extra quads in its source graph: a rebuild changes it, quickly."""
    path = tmp_path / "store"
    shutil.copytree(_templates[500], path)
    return path


@pytest.fixture(scope="module")
def built_state(tmp_path_factory):
    """What a finished ``escgraph build tests/fixtures/mini-case`` leaves in a store."""
    path = tmp_path_factory.mktemp("built") / "store"
    build(EmbeddedStore(path), [MINI_CASE])
    return snapshot(path).nquads


def _generations(path) -> list[str]:
    return sorted(p.name for p in path.glob("gen-*"))


def _assert_no_leftovers(path) -> None:
    """The killed write's generation is gone: only the current one (and the one before it,
    which a reader may still use) remain."""
    current = (path / "CURRENT").read_text()
    generations = _generations(path)
    assert current in generations and len(generations) <= 2 and max(generations) == current, generations


def _next_command_works(path, built_nquads) -> None:
    assert escgraph("stats", "--format", "json", "--store", path).returncode == 0
    result = escgraph("build", MINI_CASE, "--store", path)
    assert result.returncode == 0, result.stderr
    assert snapshot(path).nquads == built_nquads
    _assert_no_leftovers(path)


@pytest.mark.parametrize("delay", [0.0, 0.5])
def test_build_killed_from_outside_while_writing(padded_store, built_state, tally, delay):
    before = snapshot(padded_store)
    assert len(before) > FILLER
    process = subprocess.Popen([sys.executable, "-m", "graph", "build", MINI_CASE, "--store", padded_store],
                               cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(_generations(padded_store)) < 2:  # the writer has made its new generation
        assert process.poll() is None, "the build ended before it started writing"
        assert time.monotonic() < deadline
        time.sleep(0.001)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL
    assert snapshot(padded_store) == before
    tally["faults injected: SIGKILL from outside"] += 1
    _next_command_works(padded_store, built_state)


KILLER = textwrap.dedent("""
    import os, shutil, signal, sys
    import graph.curated, graph.pipeline

    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    point = sys.argv[1]
    if point == "reading":
        graph.curated._read_yaml = die
    elif point == "writing":
        all_quads = graph.pipeline._all_quads
        def dying(data):
            for number, quad in enumerate(all_quads(data)):
                if number == 2000:
                    die()
                yield quad
        graph.pipeline._all_quads = dying
    elif point == "switching":
        replace = os.replace
        def replace_or_die(source, target):
            if str(target).endswith("CURRENT"):
                die()
            replace(source, target)
        os.replace = replace_or_die
    elif point == "collecting":
        shutil.rmtree = die  # called only to drop the old generation, after the switch
    from graph.cli import main
    main(sys.argv[2:], prog_name="escgraph")
""")


@pytest.mark.parametrize(
    ("point", "finished"),
    [("reading", False), ("writing", False), ("switching", False), ("collecting", True)],
)
def test_build_killed_at_each_stage(changed_store, built_state, tally, point, finished):
    """SIGKILL while reading the case, while streaming quads, between the last write and
    the switch of ``CURRENT``, and just after the switch."""
    before = snapshot(changed_store)
    result = subprocess.run([sys.executable, "-c", KILLER, point, "build", str(MINI_CASE), "--store",
                             str(changed_store)], cwd=REPO, capture_output=True, check=False)
    assert result.returncode == -signal.SIGKILL, result.stderr
    after = snapshot(changed_store)
    if finished:
        assert after.nquads == built_state and after.current != before.current
    else:
        assert after == before
    tally["faults injected: SIGKILL at a chosen stage"] += 1
    _next_command_works(changed_store, built_state)


def test_export_killed_part_way_leaves_the_old_file(changed_store, tmp_path, tally):
    target = tmp_path / "graph.nq"
    target.write_bytes(b"the previous export\n")
    script = textwrap.dedent("""
        import os, signal, sys
        import graph.pipeline
        def dying_export(store, output, format="trig"):
            output.write(b"<http://example.org/half> <http://example.org/written> ")
            output.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        graph.pipeline.export = dying_export
        from graph.cli import main
        main(sys.argv[1:], prog_name="escgraph")
    """)
    result = subprocess.run([sys.executable, "-c", script, "export", "--format", "nquads", "-o", str(target),
                             "--store", str(changed_store)], cwd=REPO, capture_output=True, check=False)
    assert result.returncode == -signal.SIGKILL
    assert target.read_bytes() == b"the previous export\n"
    tally["faults injected: SIGKILL at a chosen stage"] += 1
    assert invoke("export", "--format", "nquads", "-o", target, "--store", changed_store).exit_code == 0
    assert len(target.read_bytes().splitlines()) == len(snapshot(changed_store))


def test_a_second_writer_is_refused_and_changes_nothing(changed_store, tally):
    before = snapshot(changed_store)
    with EmbeddedStore(changed_store).writing():
        result = escgraph("build", MINI_CASE, "--store", changed_store)
    assert_clean_failure(result, code=2, where="another escgraph command is writing to this store")
    assert snapshot(changed_store).nquads == before.nquads  # (the test's own empty write moved CURRENT)
    tally["faults injected: concurrent writer"] += 1


@pytest.mark.parametrize(
    ("pointer", "message"),
    [
        ("../../etc", "the store's CURRENT file names no generation ('../../etc')"),
        ("", "the store's CURRENT file names no generation ('')"),
        ("gen-999999", "names gen-999999, which is missing"),
    ],
)
def test_damaged_pointer_is_refused_and_no_data_is_deleted(changed_store, tally, pointer, message):
    """A damaged CURRENT used to make ``build`` delete every generation (its garbage
    collection keeps only the current one) and then crash."""
    generations = _generations(changed_store)
    (changed_store / "CURRENT").write_text(pointer, encoding="ascii")
    result = invoke("build", MINI_CASE, "--store", changed_store)
    assert_clean_failure(result, code=2, where=message)
    assert _generations(changed_store) == generations
    if pointer != "gen-999999":
        assert_clean_failure(invoke("stats", "--store", changed_store), code=2, where=message)
    (changed_store / "CURRENT").write_text(generations[0], encoding="ascii")
    assert len(snapshot(changed_store)) > 500
    tally["faults injected: damaged store"] += 1


def test_a_file_where_the_store_should_be(tmp_path, tally):
    path = tmp_path / "store"
    path.write_text("not a store", encoding="utf-8")
    assert_clean_failure(invoke("build", MINI_CASE, "--store", path), code=2, where=f"{path}: cannot create")
    assert_clean_failure(invoke("stats", "--store", path), code=2)
    assert path.read_text(encoding="utf-8") == "not a store"
    tally["faults injected: damaged store"] += 1


@pytest.mark.parametrize(("point", "finished"), [("switching", False), ("collecting", True)])
def test_infer_links_killed_at_each_stage(changed_store, tally, point, finished):
    """The other command that writes to the store: ``analyse infer-links`` (the inferred graph)."""
    before = snapshot(changed_store)
    result = subprocess.run([sys.executable, "-c", KILLER, point, "analyse", "infer-links", "--store",
                             str(changed_store)], cwd=REPO, capture_output=True, check=False)
    assert result.returncode == -signal.SIGKILL, result.stderr
    after = snapshot(changed_store)
    inferred = b"<https://w3id.org/escalation-graph/id/graph/inferred> ."
    if finished:
        assert inferred in after.nquads and after.nquads != before.nquads
    else:
        assert after == before and inferred not in after.nquads
    tally["faults injected: SIGKILL at a chosen stage"] += 1
    again = escgraph("analyse", "infer-links", "--store", changed_store)
    assert again.returncode == 0, again.stderr
    _assert_no_leftovers(changed_store)
