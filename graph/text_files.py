"""Reading the text files a user hands over (cases, articles, queries): UTF-8, with or
without a byte-order mark, and an error that names the line of the first bad byte.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> path = Path(tempfile.mkdtemp()) / "a.txt"
>>> _ = path.write_bytes(b"\\xef\\xbb\\xbfline one\\ncaf\\xe9\\n")
>>> try:
...     read_utf8(path, what="article")
... except InputError as error:
...     print(error.line, error.message)
2 not UTF-8 text (byte 0xe9); save the article as UTF-8
"""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from graph.errors import InputError

__all__ = ["read_utf8"]


def read_utf8(path: str | os.PathLike, *, what: str = "file") -> str:
    """The text of the file at ``path``, its byte-order mark dropped; ``what`` names the file
    in errors ("the article").

    Raises
    ------
    InputError
        If the file cannot be read, or is not UTF-8 (with the line of the first bad byte).
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the {what}: {exc.strerror or exc}", path=str(path)) from exc
    # The BOM is cut here, not by the utf-8-sig codec, whose error positions would then count
    # from after it and name the wrong byte.
    raw = raw.removeprefix(codecs.BOM_UTF8)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the {what} as UTF-8",
                         path=str(path), line=raw[: exc.start].count(b"\n") + 1) from exc
