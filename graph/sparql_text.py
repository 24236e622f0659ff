"""Reading SPARQL text without a full parser: which operation a request is, refusing
federated and pathologically nested queries, and binding variables to RDF terms -- with a
``VALUES`` block (:func:`with_values`, the embedded store), or by writing the terms into the
text where that means the same (:func:`with_terms`, remote servers).

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
           "refuse_service", "with_terms", "with_values"]

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


def _check_names(bindings: Mapping[str, object]) -> None:
    for name in bindings:
        if not _VARIABLE.fullmatch(name):
            raise QueryError(f"'{name}' is not a SPARQL variable name")


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
    _check_names(bindings)
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


# -- writing bound terms into the text ---------------------------------------------------

_TOKEN = re.compile(r"[{}()]|[?$][A-Za-z0-9_]+|[\w:.-]+|[*+]")
_BOUND_CALL = re.compile(r"(?<![\w:])BOUND\s*\(\s*[?$]([A-Za-z0-9_]+)\s*\)", re.IGNORECASE)
_STAR_SELECT = re.compile(r"\bSELECT\s+(?:(?:DISTINCT|REDUCED)\s+)?\*", re.IGNORECASE)
# The far end of a path ending in * or + (``?p esc:actsFor* ?actor``, ``(a|b)+ ?x``).
_TRANSITIVE_END = re.compile(r"[*+]\)*\s*$")
# What a variable's value is visible to, in the group where it occurs, when a VALUES row
# joined at the start of the WHERE group binds it: "top" -- everything (the WHERE group
# itself); "all" -- everything (an EXISTS pattern, into which SPARQL substitutes the
# solution); "optional" -- patterns and FILTERs (an OPTIONAL's filter sees the left side);
# "patterns" -- patterns only (a nested group is evaluated before it is joined); "none".
_SEES_PATTERNS = frozenset({"top", "all", "optional", "patterns"})
_SEES_FILTERS = frozenset({"top", "all", "optional"})
_SEES_EXPRESSIONS = frozenset({"top", "all"})


def _sees(state: str, clause: str) -> bool:
    if clause == "pattern":
        return state in _SEES_PATTERNS
    if clause == "filter":
        return state in _SEES_FILTERS
    return state in _SEES_EXPRESSIONS


def _nested_state(parent: str, kind: str, clause: str) -> str:
    if kind in ("subquery", "minus", "values") or parent == "none":
        return "none"
    if parent == "all":
        return "all"
    if kind == "exists":
        return "all" if _sees(parent, clause) else "none"
    if kind == "optional" and parent == "top":
        return "optional"
    return "patterns"


def _writable(masked: str, brace: int, names: frozenset[str]) -> tuple[set[str], list[tuple[int, int, str]]]:
    """The names that may be written into the text as constants, and every occurrence
    (start, end, name) of a bound name in the WHERE group that opens at ``brace``."""
    end = _group_end(masked, brace)
    unsafe = {m.group(1) for m in re.finditer(r"[?$]([A-Za-z0-9_]+)(?!\w)", masked)
              if m.group(1) in names and not brace < m.start() < end}
    occurrences: list[tuple[int, int, str]] = []
    frames: list[tuple[str, str]] = [("group", "top")]  # ("group", state) or ("paren", clause)
    pending_clause = pending_kind = previous = ""
    in_values_head = False
    for token in _TOKEN.finditer(masked, brace + 1, end - 1):
        text, word = token.group(), token.group().upper()
        if text == "{":
            kind = "values" if in_values_head else pending_kind or "group"
            following = _TOKEN.search(masked, token.end())
            if following and following.group().upper() == "SELECT":
                kind = "subquery"
            clause = frames[-1][1] if frames[-1][0] == "paren" else pending_clause or "pattern"
            state = next(value for frame, value in reversed(frames) if frame == "group")
            frames.append(("group", _nested_state(state, kind, clause)))
            pending_clause = pending_kind = ""
            in_values_head = False
        elif text == "(":
            clause = frames[-1][1] if frames[-1][0] == "paren" else pending_clause or "other"
            frames.append(("paren", clause))
            pending_clause = ""
        elif text in "})" and len(frames) > 1:
            frames.pop()
        elif text[0] in "?$" and text[1:] in names:
            name = text[1:]
            clause = frames[-1][1] if frames[-1][0] == "paren" else "pattern"
            state = next(value for frame, value in reversed(frames) if frame == "group")
            if (in_values_head or previous == "AS" or not _sees(state, clause)
                    or (clause == "pattern" and _TRANSITIVE_END.search(masked, 0, token.start()))):
                unsafe.add(name)
            occurrences.append((token.start(), token.end(), name))
        elif word in ("FILTER", "BIND"):
            pending_clause = word.lower()
        elif word in ("OPTIONAL", "MINUS", "EXISTS"):
            pending_kind = word.lower()
        elif word == "VALUES":
            in_values_head = True
        previous = word
    return names - unsafe, occurrences


def with_terms(text: str, bindings: Mapping[str, object]) -> str:
    """The query ``text`` with each bound variable written into it as its RDF term
    wherever a constant there means what :func:`with_values` means; the variables for
    which it would not are joined in by :func:`with_values`.

    A variable becomes a constant when every occurrence lies in the WHERE group where a
    ``VALUES`` row joined at its start is visible: the group itself, its EXISTS patterns,
    the patterns of its nested groups and the filters of its OPTIONALs -- never in a
    subquery, ``MINUS``, ``VALUES`` or ``AS`` target, nor in the projection of a
    ``SELECT *``. ``BOUND(?x)`` of such a variable becomes ``true``. A variable at the
    far end of a ``*`` or ``+`` path stays bound by ``VALUES`` as well: Virtuoso 7
    walks such a path backwards from a constant and loses matches there.

    The terms are written by pyoxigraph's serialiser (N-Triples syntax, which SPARQL
    reads as the same term), never pasted from user text.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> query = "SELECT ?s { ?s ?p ?o FILTER(!BOUND(?x) || ?o = ?x) }"
    >>> print(with_terms(query, {"x": ox.Literal(1)}))
    SELECT ?s { ?s ?p ?o FILTER(!true || ?o = "1"^^<http://www.w3.org/2001/XMLSchema#integer>) }
    >>> print(with_terms("SELECT ?s { ?s <http://example.org/p>* ?x }", {"x": ox.NamedNode("http://example.org/a")}))
    SELECT ?s { VALUES (?x) { (<http://example.org/a>) } ?s <http://example.org/p>* ?x }

    Raises
    ------
    QueryError
        As :func:`with_values` does.
    """
    text = normalise_newlines(text)
    if not bindings:
        return text
    _check_names(bindings)
    terms = {name: _term_text(name, term) for name, term in bindings.items()}
    masked = _masked(text)
    brace = _where_brace(masked)
    if _STAR_SELECT.match(masked, _KEYWORD.search(masked).start()):
        return with_values(text, bindings)
    writable, occurrences = _writable(masked, brace, frozenset(bindings))
    edits = [(m.start(), m.end(), "true") for m in _BOUND_CALL.finditer(masked) if m.group(1) in writable]
    edits += [(start, end, terms[name]) for start, end, name in occurrences
              if name in writable and not any(s <= start < e for s, e, _ in edits)]
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return with_values(text, {name: term for name, term in bindings.items() if name not in writable})
