"""What the reliability tests share: running the command line, the store's content, and a
listener that counts connections. (Their tally, which ``tests/reliability_report.py``
reads, is a fixture of ``tests/conftest.py``.)

The command line runs two ways: in-process through click's ``CliRunner`` (fast, for the
corpus) and as a real process, ``python -m graph`` with this interpreter (for exit codes,
stderr and kills exactly as a user sees them).
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Self

import pyoxigraph as ox
from click.testing import CliRunner

from graph.cli import main
from graph.store import EmbeddedStore

__all__ = ["HOSTILE", "REPO", "Listener", "Snapshot", "assert_clean_failure", "escgraph", "invoke", "snapshot"]

REPO = Path(__file__).resolve().parent.parent
HOSTILE = REPO / "tests" / "fixtures" / "hostile"
ERROR_PREFIX = "escgraph: error: "


def invoke(*args: object, input: str | bytes | None = None):
    """Run ``escgraph ARGS`` in this process; an uncaught exception is kept on the result."""
    return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=True)


def escgraph(*args: object, timeout: float = 120, cwd: Path | None = None, env: dict | None = None,
             input: bytes | None = None) -> subprocess.CompletedProcess:
    """Run ``escgraph ARGS`` as its own process (``python -m graph``), output as text."""
    return subprocess.run([sys.executable, "-m", "graph", *map(str, args)], capture_output=True, timeout=timeout,
                          cwd=cwd or REPO, env={**os.environ, **(env or {})}, input=input, check=False)


def assert_clean_failure(result, *, code: int | None = None, where: str | None = None) -> str:
    """Check a failed command the way a user judges it: a non-zero exit, no traceback, every
    line of standard error a one-line ``escgraph:`` message (or click's usage text), and the
    first error naming ``where`` (``file:line`` or a fragment). Returns the first error line.

    ``result`` is a ``CliRunner`` result or a ``CompletedProcess``.
    """
    if isinstance(result, subprocess.CompletedProcess):
        exit_code, stderr = result.returncode, result.stderr.decode("utf-8", "replace")
    else:
        exception = result.exception
        if exception is not None and not isinstance(exception, SystemExit):
            raise AssertionError(f"uncaught {type(exception).__name__}: {exception}") from exception
        exit_code, stderr = result.exit_code, result.stderr
    assert exit_code != 0, "the command succeeded"
    if code is not None:
        assert exit_code == code, (exit_code, stderr)
    assert "Traceback" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith((ERROR_PREFIX, "Error: "))]
    assert errors, f"no one-line error on stderr: {stderr!r}"
    for line in stderr.splitlines():
        assert line.startswith(("escgraph: ", "Error: ", "Usage: ", "Try ")) or not line.strip(), line
    if where is not None:
        assert where in errors[0], (where, errors[0])
    return errors[0]


@dataclass(frozen=True)
class Snapshot:
    """A store's content (sorted N-Quads) and its ``CURRENT`` pointer."""

    nquads: bytes
    current: str | None

    def __len__(self) -> int:
        return self.nquads.count(b"\n") + 1 if self.nquads else 0


def snapshot(path: Path) -> Snapshot:
    """The store at ``path`` as a fresh reader sees it."""
    out = io.BytesIO()
    EmbeddedStore(path).dump(out, ox.RdfFormat.N_QUADS)
    pointer = path / "CURRENT"
    return Snapshot(b"\n".join(sorted(out.getvalue().splitlines())),
                    pointer.read_text(encoding="ascii") if pointer.exists() else None)


class Listener:
    """A TCP socket on 127.0.0.1 that accepts and counts every connection made to it.

    Data under test carries :attr:`url`; the test asserts :attr:`connections` stays 0.

    Examples
    --------
    >>> with Listener() as listener:
    ...     listener.url.startswith("http://127.0.0.1:")
    True
    """

    def __init__(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self._socket.settimeout(0.1)
        self.port = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.connections = 0
        self.requests: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            with connection:
                connection.settimeout(0.5)
                try:
                    self.requests.append(connection.recv(4096))
                except OSError:
                    self.requests.append(b"")

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()
        self._socket.close()
