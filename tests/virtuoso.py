"""Start Debian's Virtuoso 7 on loopback for the remote-store tests, and stop it after.

The server runs from a copy of the packaged ``virtuoso.ini`` whose database files live in
a temporary folder and whose SQL and HTTP ports are free loopback ports, so it never
touches a system installation and nothing outside this machine can reach it. Writes go
through the authenticated endpoints (``/sparql-auth``, ``/sparql-graph-crud-auth``) with
the default ``dba``/``dba`` digest login, as a real deployment would take them.

Use :func:`running_virtuoso` as a context manager (the tests wrap it in a session
fixture); it skips the test cleanly when ``virtuoso-t`` is not installed.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

__all__ = ["VirtuosoServer", "running_virtuoso"]

PACKAGED_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
# Seconds per request from the tests: the slowest named query takes about 5 s on a busy machine.
REQUEST_TIMEOUT = 60


@dataclass(frozen=True)
class VirtuosoServer:
    """A running Virtuoso: its HTTP port and the ``--store`` URL that writes to it."""

    http_port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def store_url(self) -> str:
        """The remote-store location for escgraph: authenticated query/update endpoint,
        the login, the Graph Store Protocol endpoint for loading and dumping, and a request
        timeout that bounds a test whose query Virtuoso never answers."""
        return (f"sparql+http://dba:dba@127.0.0.1:{self.http_port}/sparql-auth"
                f"?gsp=/sparql-graph-crud-auth&timeout={REQUEST_TIMEOUT:g}")

    def answers(self, within: float = 5.0) -> bool:
        """Whether the server answers a trivial query within ``within`` seconds."""
        with contextlib.suppress(httpx.HTTPError):
            return httpx.get(f"{self.base}/sparql", params={"query": "ASK {}"}, timeout=within).status_code == 200
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ini(packaged: str, folder: Path, sql_port: int, http_port: int) -> str:
    """The packaged ini with database files in ``folder`` and loopback-only ports."""
    files = {
        ("Database", "DatabaseFile"): "virtuoso.db",
        ("Database", "ErrorLogFile"): "virtuoso.log",
        ("Database", "LockFile"): "virtuoso.lck",
        ("Database", "TransactionFile"): "virtuoso.trx",
        ("Database", "xa_persistent_file"): "virtuoso.pxa",
        ("TempDatabase", "DatabaseFile"): "virtuoso-temp.db",
        ("TempDatabase", "TransactionFile"): "virtuoso-temp.trx",
    }
    settings = {key: str(folder / name) for key, name in files.items()}
    settings[("Parameters", "ServerPort")] = f"127.0.0.1:{sql_port}"
    settings[("Parameters", "DirsAllowed")] = f"., {folder}, /usr/share/virtuoso-opensource-7/vad"
    settings[("HTTPServer", "ServerPort")] = f"127.0.0.1:{http_port}"
    settings[("URIQA", "DefaultHost")] = f"127.0.0.1:{http_port}"
    out, section = [], ""
    for line in packaged.splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1]
        key = stripped.split("=", 1)[0].strip() if "=" in stripped and not stripped.startswith(";") else None
        if key is not None and (section, key) in settings:
            line = f"{key} = {settings[(section, key)]}"
        out.append(line)
    return "\n".join(out) + "\n"


def _wait_until_ready(server: VirtuosoServer, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited with {process.returncode}; see {server.log}")
        with contextlib.suppress(httpx.HTTPError):
            response = httpx.get(f"{server.base}/sparql", params={"query": "ASK {}"}, timeout=5)
            if response.status_code == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"virtuoso-t was not ready after {timeout:.0f} s; see {server.log}")


@contextlib.contextmanager
def running_virtuoso(folder: Path, *, start_timeout: float = 120) -> Iterator[VirtuosoServer]:
    """Run ``virtuoso-t`` in the foreground with its database in ``folder`` until the block ends.

    Skips the calling test when Virtuoso is not installed.
    """
    binary = shutil.which("virtuoso-t")
    if binary is None or not PACKAGED_INI.is_file():
        pytest.skip("virtuoso-t is not installed (Debian package virtuoso-opensource)")
    folder.mkdir(parents=True, exist_ok=True)
    ini = folder / "virtuoso.ini"
    server = VirtuosoServer(http_port=_free_port(), log=folder / "virtuoso.log")
    ini.write_text(_ini(PACKAGED_INI.read_text(encoding="utf-8"), folder, _free_port(), server.http_port),
                   encoding="utf-8")
    with open(folder / "stdout.log", "wb") as stdout:
        process = subprocess.Popen([binary, "+configfile", str(ini), "+foreground"], cwd=folder,
                                   stdout=stdout, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        _wait_until_ready(server, process, start_timeout)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
