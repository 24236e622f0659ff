"""Reading SPARQL text without a full parser: which operation a request is, refusing
federated and pathologically nested queries, and binding variables to RDF terms with a
``VALUES`` block (one mechanism for every engine).

Both work on the text with its strings, IRIs and comments blanked out, so a keyword or a
brace inside a literal or a comment is never taken for syntax. Line ends are normalised
first: SPARQL ends a comment at a bare carriage return too, and a query sent from a
browser form arrives with CRLF line ends.

Examples
--------
>>> operation("PREFIX ex: <http://example.org/> # SELECT in a comment\\nASK { ?s ex:p 'DELETE' }")
'ASK'
>>> operation("INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }")
'INSERT'
>>> import pyoxigraph as ox
>>> print(with_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": ox.Literal('say "hi"')}))
SELECT ?s WHERE { VALUES (?o) { ("say \\"hi\\"") } ?s ?p ?o }
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox

from graph.errors import QueryError

__all__ = ["MAX_NESTING", "QUERY_FORMS", "UPDATE_OPERATIONS", "normalise_newlines", "operation", "refuse_deep_nesting",
           "refuse_service", "with_values"]

QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"})
UPDATE_OPERATIONS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})

# A keyword is a whole word: not a variable (?select), a prefix (ask:) or a local name (ex:add).
_KEYWORD = re.compile(r"(?<![\w:?$-])(" + "|".join(sorted(QUERY_FORMS | UPDATE_OPERATIONS)) + r")(?![\w:-])",
                      re.IGNORECASE)
_WHERE = re.compile(r"\s*WHERE\b", re.IGNORECASE)
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and a bare ``\\r`` become ``\\n``, as the SPARQL grammar reads them.

    Examples
    --------
    >>> normalise_newlines("# comment\\rSELECT")
    '# comment\\nSELECT'
    """
    return text.replace("\r\n", "\n").replace("\r", "\n")


# Strings, IRIs and comments: blanked out before looking for keywords or brackets. A comment
# ends at a line feed or a bare carriage return, as in the SPARQL grammar.
_STRIP = re.compile(
    r"""'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\s]*>|\#[^\r\n]*""",
    re.DOTALL,
)
_SERVICE = re.compile(r"(?<![?$:\w])SERVICE\b", re.IGNORECASE)


def refuse_service(sparql: str) -> None:
    """Refuse federated queries: the graph never fetches from elsewhere on a query's behalf.

    Examples
    --------
    >>> refuse_service('SELECT * WHERE { ?s ?p "SERVICE" } # SERVICE in a comment')
    >>> refuse_service("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    graph.errors.QueryError: SERVICE (federated query) is refused: this graph never fetches data from other servers
    """
    if _SERVICE.search(_STRIP.sub(" ", normalise_newlines(sparql))):
        raise QueryError("SERVICE (federated query) is refused: this graph never fetches data from other servers")


MAX_NESTING = 64
_BRACKETS = re.compile(r"[(){}\[\]]")


def refuse_deep_nesting(sparql: str) -> None:
    """Refuse a query whose brackets nest deeper than :data:`MAX_NESTING`.

    Oxigraph's SPARQL parser recurses once per bracket and overflows its stack (the whole
    process dies with SIGSEGV) at a few thousand levels; no real question nests past a dozen.

    Examples
    --------
    >>> refuse_deep_nesting("SELECT * WHERE { FILTER((1)) }")
    >>> refuse_deep_nesting("SELECT * WHERE " + "{" * 5000 + "}" * 5000)
    Traceback (most recent call last):
    ...
    graph.errors.QueryError: the query nests brackets 5000 deep; at most 64 levels are accepted -- flatten it
    """
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRIP.sub(" ", normalise_newlines(sparql))):
        depth += 1 if bracket in "({[" else -1
        deepest = max(deepest, depth)
    if deepest > MAX_NESTING:
        raise QueryError(f"the query nests brackets {deepest} deep; at most {MAX_NESTING} levels are accepted "
                         f"-- flatten it")


def _masked(text: str) -> str:
    """``text`` with strings, IRIs and comments replaced by spaces of the same length."""
    return _STRIP.sub(lambda m: " " * len(m.group()), text)


def operation(text: str) -> str | None:
    """The first operation keyword of a request, upper-cased: a query form (SELECT,
    CONSTRUCT, ASK, DESCRIBE), an update operation (INSERT, DELETE, LOAD, DROP ...), or
    ``None`` when there is none (the parser will say what is wrong)."""
    match = _KEYWORD.search(_masked(normalise_newlines(text)))
    return match.group(1).upper() if match else None


def _group_end(masked: str, start: int) -> int:
    """The index just after the ``}`` that closes the ``{`` at ``start``."""
    depth = 0
    for i in range(start, len(masked)):
        if masked[i] == "{":
            depth += 1
        elif masked[i] == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    raise QueryError("SPARQL syntax: a '{' is never closed")


def _where_brace(masked: str) -> int:
    """The index of the ``{`` that opens the query's WHERE group."""
    match = _KEYWORD.search(masked)
    if match is None or match.group(1).upper() not in QUERY_FORMS:
        raise QueryError("expected a SELECT, CONSTRUCT, ASK or DESCRIBE query")
    position = match.end()
    if match.group(1).upper() == "CONSTRUCT":
        template = len(masked) - len(masked[position:].lstrip())
        if masked.startswith("{", template):
            position = _group_end(masked, template)
        where = _WHERE.match(masked, position)
        if where:
            position = where.end()
    depth = 0
    for i in range(position, len(masked)):
        char = masked[i]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "{" and depth == 0:
            return i
    raise QueryError("cannot bind parameters: the query has no WHERE group")


def _term_text(name: str, term: object) -> str:
    if isinstance(term, ox.BlankNode) or not isinstance(term, ox.NamedNode | ox.Literal | ox.Triple):
        raise QueryError(f"cannot bind ?{name} to {term!r}: only IRIs and literals can be bound")
    # pyoxigraph writes a term in N-Triples syntax, which SPARQL reads as the same term.
    return str(term)


def with_values(text: str, bindings: Mapping[str, object]) -> str:
    """The query ``text`` with ``bindings`` (variable name → RDF term) joined in by a
    ``VALUES`` block at the start of its WHERE group, so every pattern and filter of the
    group sees the variables bound, and ``BOUND(?x)`` of a bound variable made ``true``.

    The terms are written by pyoxigraph's serialiser, never pasted from user text.

    Examples
    --------
    >>> print(with_values("SELECT * { ?s ?p ?o FILTER(!BOUND(?x) || ?o = ?x) }", {"x": ox.Literal(1)}))
    SELECT * { VALUES (?x) { ("1"^^<http://www.w3.org/2001/XMLSchema#integer>) } ?s ?p ?o FILTER(!true || ?o = ?x) }

    Raises
    ------
    QueryError
        For a variable name that is not one, a blank node, or a query without a WHERE group.
    """
    text = normalise_newlines(text)
    if not bindings:
        return text
    for name in bindings:
        if not _VARIABLE.fullmatch(name):
            raise QueryError(f"'{name}' is not a SPARQL variable name")
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(_term_text(name, term) for name, term in bindings.items())
    masked = _masked(text)
    brace = _where_brace(masked)
    edits = [(brace + 1, brace + 1, f" VALUES ({names}) {{ ({terms}) }}")]
    # In the WHERE group itself a bound variable is bound, as with pyoxigraph's substitutions;
    # saying so outright steers Virtuoso 7 clear of dropping rows on FILTER(!BOUND(?x) || ...).
    bound = re.compile(r"(?<![\w:])BOUND\s*\(\s*[?$](" + "|".join(map(re.escape, bindings)) + r")\s*\)",
                       re.IGNORECASE)
    edits += [(m.start(), m.end(), "true") for m in bound.finditer(masked, brace)
              if masked.count("{", brace, m.start()) - masked.count("}", brace, m.start()) == 1]
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text
