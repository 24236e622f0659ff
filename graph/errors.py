"""The project's exceptions: one small hierarchy, turned into messages and exit codes by the CLI.

Every error says *where* (file and line, row, key path or request) and *what* was wrong,
so the command line can print it on one line without a traceback.

Examples
--------
>>> err = DataError("earliest 2023-08-02 is after latest 2023-08-01", path="a.yaml", line=7)
>>> str(err)
'a.yaml:7: earliest 2023-08-02 is after latest 2023-08-01'
>>> err.exit_code
1
"""

from __future__ import annotations

__all__ = ["DataError", "EscgraphError", "InputError", "QueryError", "StoreError"]


class EscgraphError(Exception):
    """Base of all project errors; ``exit_code`` is what the CLI exits with."""

    exit_code = 1

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        return where + self.message


class DataError(EscgraphError):
    """The input was read but is not valid data (exit 1)."""

    exit_code = 1


class InputError(EscgraphError):
    """The input could not be read, or the command was used wrongly (exit 2)."""

    exit_code = 2


class QueryError(EscgraphError):
    """A SPARQL query or a named query's parameters were wrong (exit 2)."""

    exit_code = 2


class StoreError(EscgraphError):
    """The store could not be opened, read or written (exit 2)."""

    exit_code = 2
