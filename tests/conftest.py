"""Fixtures shared by the whole suite: paths, stores built once per session, and the
reliability tests' tally."""

from __future__ import annotations

import collections
import shutil
from pathlib import Path

import pytest

from graph.pipeline import build
from graph.store import EmbeddedStore

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
SEED_CASE = REPO / "data" / "drone-strikes-2023"
# CI clones main next to a read-only copy of shared/; a clone elsewhere has none.
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the repository; tests that need it skip when it is absent."""
    if not (SHARED / "realdata").is_dir():
        pytest.skip("../shared is not beside this checkout")
    return SHARED


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory) -> EmbeddedStore:
    """An on-disk store with the shipped seed case built into it (read-only use, please)."""
    store = EmbeddedStore(tmp_path_factory.mktemp("seed") / "store")
    build(store, [SEED_CASE])
    return store


@pytest.fixture(scope="session")
def _mini_store_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("mini-template") / "store"
    build(EmbeddedStore(path), [FIXTURES / "mini-case"])
    return path


@pytest.fixture
def mini_store(_mini_store_template, tmp_path) -> EmbeddedStore:
    """A private copy of a store built from ``tests/fixtures/mini-case`` (free to modify)."""
    path = tmp_path / "store"
    shutil.copytree(_mini_store_template, path)
    return EmbeddedStore(path)


@pytest.fixture
def tally(record_property):
    """A counter the test adds to (``tally["bad inputs: yaml"] += 1``); each count becomes a
    property of the test in the JUnit XML that ``tests/reliability_report.py`` sums."""
    counts: collections.Counter = collections.Counter()
    yield counts
    for key, value in sorted(counts.items()):
        record_property(key, value)
