"""Read analyst-written YAML cases into records, with every error pointing at file and line.

A *case* is a folder of YAML files (``data/<case>/*.yaml``); each file may hold any of
the top-level lists ``sources``, ``actors``, ``places``, ``events`` and ``statements``.
A record without ``source:`` takes the case's only source. References between records
use keys (``speaker: zelensky``); ``about:`` entries may be written ``actor:russia`` or
``place:moscow`` where a bare key would be ambiguous (bare keys are looked up among
events, then actors, places and statements).

Examples
--------
>>> import pathlib, tempfile, textwrap
>>> case = pathlib.Path(tempfile.mkdtemp())
>>> _ = (case / "case.yaml").write_text(textwrap.dedent('''
...     sources:
...       - {id: s, title: An article, published: 2023-08-05}
...     actors:
...       - {id: ukraine, name: Ukraine, kind: state, aliases: [Kyiv]}
...       - {id: russia, name: Russia, kind: state}
...     events:
...       - id: strike
...         label: A strike
...         type: drone-strike
...         date: {text: on Tuesday, earliest: 2023-08-01, latest: 2023-08-01}
...         agents: [ukraine]
...         targets: [russia]
...         evidence: On Tuesday, a drone struck.
...     '''))
>>> data = load_case([case])
>>> [e.id for e in data.events], data.events[0].source
(['strike'], 's')
>>> data.where("event", "strike")[1]  # the line of "- id: strike"
8
"""

from __future__ import annotations

import collections.abc
import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic
import yaml

from graph.errors import DataError, InputError
from graph.records import (
    KEY_PATTERN,
    Actor,
    Event,
    FuzzyDate,
    Place,
    Record,
    ResponseClaim,
    Source,
    Statement,
    validate_record,
)
from graph.text_files import read_utf8
from graph.vocab import code_lists

__all__ = ["SECTIONS", "CaseDumper", "Dataset", "ValidationFailed", "dump_case", "load_case", "reference_kinds"]

SECTIONS: dict[str, tuple[str, type]] = {
    "sources": ("source", Source),
    "actors": ("actor", Actor),
    "places": ("place", Place),
    "events": ("event", Event),
    "statements": ("statement", Statement),
}
ABOUT_KINDS = ("event", "actor", "place", "statement")


class ValidationFailed(DataError):
    """Several data errors at once; ``errors`` holds each, in file order."""

    def __init__(self, errors: Sequence[DataError]):
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(first.message + more, path=first.path, line=first.line)
        self.errors = list(errors)


@dataclass
class Dataset:
    """Records read from one or more cases, with where each came from."""

    sources: list[Source] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    locations: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    key_lines: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)

    def records(self) -> Iterable[Record]:
        """Every record, sources first."""
        yield from self.sources
        yield from self.actors
        yield from self.places
        yield from self.events
        yield from self.statements

    def where(self, kind: str, key: str, field_name: str | None = None) -> tuple[str, int]:
        """The (file, line) a record of ``kind`` with ``key`` was read from; with
        ``field_name``, the line of that field when the file has it."""
        path, line = self.locations[(kind, key)]
        return path, self.key_lines.get((kind, key), {}).get(field_name, line)


class _LineLoader(yaml.SafeLoader):
    """A safe loader whose mappings remember the line of each key."""


class _Mapping(dict):
    line: int = 0
    key_lines: dict

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode):
    loader.flatten_mapping(node)  # merge keys (<<: *anchor) become ordinary keys first
    data = _Mapping()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if not isinstance(key, collections.abc.Hashable):
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain word, not a list or mapping", key_node.start_mark
            )
        if key in data.key_lines:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'; give each key once", key_node.start_mark
            )
        data.key_lines[key] = key_node.start_mark.line + 1
    data.update(loader.construct_mapping(node))


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode):
    # PyYAML reads 2024-02-30 as a timestamp and fails with a bare ValueError (no line).
    try:
        return loader.construct_yaml_timestamp(node)
    except (ValueError, OverflowError) as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"'{node.value}' is no real date ({exc}); write an existing day as YYYY-MM-DD",
            node.start_mark) from exc


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _read_yaml(path: Path) -> Any:
    text = read_utf8(path)
    try:
        loader = _LineLoader(text)  # the reader refuses control characters here, before parsing
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as exc:
        raise DataError(
            f"character U+{exc.character:04X} is not allowed in YAML; delete it, or write it as an escape "
            f"such as \\u{exc.character:04X} inside double quotes",
            path=str(path), line=text.count("\n", 0, exc.position) + 1) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = " ".join((getattr(exc, "problem", None) or str(exc)).split())
        context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and context_mark is not None and mark is not None and context_mark.line != mark.line:
            problem += f" ({context} that begins on line {context_mark.line + 1})"
        if isinstance(exc, yaml.constructor.ConstructorError):
            message = problem.replace("could not determine a constructor for the tag",
                                      "cases hold plain lists, mappings and text; remove the tag")
        else:
            message = f"YAML syntax: {problem} (check the quoting and indentation here)"
        raise DataError(message, path=str(path), line=mark.line + 1 if mark else None) from exc
    except RecursionError as exc:
        raise DataError("the YAML nests lists or mappings too deeply to be a case",
                        path=str(path), line=loader.get_mark().line + 1) from exc


def _yaml_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            # Only regular files: a FIFO or a link to /dev/zero named x.yaml would hang the read.
            found = sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
            if not found:
                raise InputError("no .yaml files in this folder", path=str(path))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif path.exists():
            raise InputError("neither a file nor a folder (a device, FIFO or socket cannot hold a case)",
                             path=str(path))
        else:
            raise InputError("no such file or folder", path=str(path))
    return files


def _line_for(item: _Mapping, loc: tuple) -> int:
    """The line of the deepest part of ``item`` that a pydantic error location reaches."""
    node: Any = item
    line = item.line
    for part in loc:
        if isinstance(node, _Mapping) and part in node:
            line = node.line_of(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            line = getattr(node, "line", line)
        else:
            break
    return line


def _describe(error: dict) -> str:
    loc = ".".join(str(p) for p in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] in ("unexpected_keyword_argument", "extra_forbidden"):
        message = "unknown key (check its spelling against graph/records.py)"
    elif error["type"] == "string_pattern_mismatch" and error["ctx"]["pattern"] == KEY_PATTERN:
        message = ("a key may hold only letters, digits, '.', '_' and '-', and starts with a letter or digit "
                   "(keys become IRIs)")
    return f"{loc}: {message}" if loc else message


def load_case(paths: Iterable[Path | str]) -> Dataset:
    """Read and check the YAML cases (folders or files) at ``paths``.

    Parameters
    ----------
    paths : iterable of path
        Case folders (every ``*.yaml`` below them is read) or single YAML files.

    Returns
    -------
    Dataset
        The records, every reference resolved and checked.

    Raises
    ------
    InputError
        A path is missing or unreadable, or a file is not UTF-8.
    ValidationFailed
        Anything wrong with the data; ``errors`` lists each problem with file and line.
    """
    data = Dataset()
    errors: list[DataError] = []
    for path in _yaml_files(Path(p) for p in paths):
        try:
            document = _read_yaml(path)
        except DataError as exc:
            errors.append(exc)
            continue
        _read_document(path, document, data, errors)
    if not errors:
        _fill_sources(data, errors)
    if not errors:
        _check_references(data, errors)
    if errors:
        raise ValidationFailed(errors)
    return data


def _read_document(path: Path, document: Any, data: Dataset, errors: list[DataError]) -> None:
    where = str(path)
    if document is None:
        errors.append(DataError("the file is empty; expected lists such as 'actors:' or 'events:'", path=where, line=1))
        return
    if not isinstance(document, _Mapping):
        errors.append(DataError(f"expected a mapping with lists {', '.join(SECTIONS)}", path=where, line=1))
        return
    for section, items in document.items():
        if section not in SECTIONS:
            errors.append(DataError(
                f"unknown section '{section}'; expected one of {', '.join(SECTIONS)}",
                path=where, line=document.line_of(section)))
            continue
        kind, cls = SECTIONS[section]
        if not isinstance(items, list):
            errors.append(DataError(f"'{section}' must be a list", path=where, line=document.line_of(section)))
            continue
        for index, item in enumerate(items):
            line = getattr(item, "line", document.line_of(section))
            label = f"{section}[{index}]"
            if not isinstance(item, _Mapping):
                errors.append(DataError(f"{label}: expected a mapping of keys", path=where, line=line))
                continue
            if "id" in item:
                label = f"{kind} '{item['id']}'"
            try:
                record = validate_record(cls, item)
            except pydantic.ValidationError as exc:
                for error in exc.errors():
                    errors.append(DataError(f"{label}: {_describe(error)}", path=where,
                                            line=_line_for(item, error["loc"])))
                continue
            key = (kind, record.id)
            if key in data.locations:
                first_path, first_line = data.locations[key]
                errors.append(DataError(
                    f"duplicate {kind} id '{record.id}' (first defined at {first_path}:{first_line})",
                    path=where, line=item.line_of("id")))
                continue
            data.locations[key] = (where, line)
            data.key_lines[key] = dict(item.key_lines)
            getattr(data, section).append(record)


def _fill_sources(data: Dataset, errors: list[DataError]) -> None:
    """Give source-less records the only source there is."""
    keys = [s.id for s in data.sources]
    for section, (kind, _) in SECTIONS.items():
        if section == "sources":
            continue
        records = getattr(data, section)
        for i, record in enumerate(records):
            if record.source is not None:
                continue
            if len(keys) != 1:
                path, line = data.where(kind, record.id)
                reason = "there is no source" if not keys else f"there are {len(keys)} sources ({', '.join(keys)})"
                errors.append(DataError(f"{kind} '{record.id}': give 'source:'; {reason}", path=path, line=line))
                continue
            records[i] = dataclasses.replace(record, source=keys[0])


def reference_kinds(data: Dataset) -> dict[str, set[str]]:
    """Keys of each kind of record in ``data`` (``{"actor": {...}, "event": {...}, ...}``)."""
    return {kind: {r.id for r in getattr(data, section)} for section, (kind, _) in SECTIONS.items()}


def _resolve_about(entry: str, keys: dict[str, set[str]]) -> tuple[str | None, str]:
    if ":" in entry:
        kind, _, key = entry.partition(":")
        if kind not in ABOUT_KINDS:
            return None, f"'{entry}': prefix must be one of {', '.join(ABOUT_KINDS)}"
        return (f"{kind}:{key}", "") if key in keys[kind] else (None, f"no {kind} '{key}'")
    matches = [kind for kind in ABOUT_KINDS if entry in keys[kind]]
    if not matches:
        return None, f"'{entry}' is no known event, actor, place or statement"
    if len(matches) > 1:
        options = " or ".join(f"'{kind}:{entry}'" for kind in matches)
        return None, f"'{entry}' is ambiguous; write {options}"
    return f"{matches[0]}:{entry}", ""


def _check_references(data: Dataset, errors: list[DataError]) -> None:
    keys = reference_kinds(data)
    codes = code_lists()

    def check(kind: str, record_id: str, field_name: str, target_kind: str, values: Iterable[str | None]) -> None:
        for value in values:
            if value is not None and value not in keys[target_kind]:
                path, line = data.where(kind, record_id, field_name)
                errors.append(DataError(
                    f"{kind} '{record_id}': {field_name} '{value}' is no known {target_kind}; "
                    f"define it or fix the key", path=path, line=line))

    def check_code(kind: str, record_id: str, field_name: str, value: str | None, known: Iterable[str]) -> None:
        if value is not None and value not in known:
            path, line = data.where(kind, record_id, field_name.split(".")[0])
            errors.append(DataError(
                f"{kind} '{record_id}': {field_name} '{value}' is not in the code list "
                f"(known: {', '.join(sorted(known))})", path=path, line=line))

    for s in data.sources:
        check("source", s.id, "publisher", "actor", [s.publisher])
    for a in data.actors:
        check("actor", a.id, "source", "source", [a.source])
        check("actor", a.id, "acts_for", "actor", a.acts_for)
        check("actor", a.id, "affiliated_with", "actor", a.affiliated_with)
    for p in data.places:
        check("place", p.id, "source", "source", [p.source])
        check("place", p.id, "within", "place", [p.within])
        check("place", p.id, "country", "actor", [p.country])
    events = {e.id: e for e in data.events}
    for e in data.events:
        check("event", e.id, "source", "source", [e.source])
        check("event", e.id, "agents", "actor", e.agents)
        check("event", e.id, "targets", "actor", e.targets)
        check("event", e.id, "places", "place", e.places)
        check("event", e.id, "target_places", "place", e.target_places)
        check("event", e.id, "part_of", "event", [e.part_of])
        check_code("event", e.id, "type", e.type, codes.event_types)
        check_code("event", e.id, "date.precision", e.date.precision, codes.precisions)
        if e.cameo is not None:
            check_code("event", e.id, "cameo", e.cameo, codes.cameo)
    for i, s in enumerate(data.statements):
        check("statement", s.id, "source", "source", [s.source])
        check("statement", s.id, "speaker", "actor", [s.speaker])
        check("statement", s.id, "on_behalf_of", "actor", [s.on_behalf_of])
        check("statement", s.id, "addressee", "actor", [s.addressee])
        check("statement", s.id, "reported_via", "actor", [s.reported_via])
        check("statement", s.id, "attributes_to", "actor", s.attributes_to)
        check_code("statement", s.id, "kind", s.kind, codes.speech_acts)
        check_code("statement", s.id, "stance", s.stance, codes.stances)
        check_code("statement", s.id, "date.precision", s.date.precision, codes.precisions)
        about = []
        for entry in s.about:
            resolved, problem = _resolve_about(entry, keys)
            if resolved is None:
                path, line = data.where("statement", s.id, "about")
                errors.append(DataError(f"statement '{s.id}': about {problem}", path=path, line=line))
            else:
                about.append(resolved)
        for link in s.links:
            _check_link(data, s, link, events, errors)
        data.statements[i] = dataclasses.replace(s, about=tuple(about))
    _check_link_cycles(data, errors)


def _check_link(data: Dataset, s: Statement, link: ResponseClaim, events: dict[str, Event],
                errors: list[DataError]) -> None:
    path, line = data.where("statement", s.id, "links")
    missing = [k for k in (link.response, link.stimulus) if k not in events]
    if missing:
        errors.append(DataError(
            f"statement '{s.id}': links names no known event '{missing[0]}'", path=path, line=line))
        return
    response, stimulus = events[link.response], events[link.stimulus]
    if stimulus.date.earliest > response.date.latest:
        errors.append(DataError(
            f"statement '{s.id}': link says '{response.id}' (latest {response.date.latest}) responds to "
            f"'{stimulus.id}', which starts later ({stimulus.date.earliest}); a response cannot precede "
            f"its stimulus -- swap them or fix the dates", path=path, line=line))
    elif response.date.earliest > s.date.latest:
        errors.append(DataError(
            f"statement '{s.id}' (latest {s.date.latest}) links '{response.id}', which begins later "
            f"({response.date.earliest}); a statement cannot link an act that had not happened yet -- "
            f"fix the dates", path=path, line=line))


def _check_link_cycles(data: Dataset, errors: list[DataError]) -> None:
    import networkx as nx

    g = nx.DiGraph()
    owner: dict[tuple[str, str], str] = {}
    for s in data.statements:
        for link in s.links:
            g.add_edge(link.response, link.stimulus)
            owner[(link.response, link.stimulus)] = s.id
    try:
        cycle = nx.find_cycle(g)
    except nx.NetworkXNoCycle:
        return
    statement = owner[cycle[0]]
    path, line = data.where("statement", statement, "links")
    chain = " -> ".join([cycle[0][0]] + [v for _, v in cycle])
    errors.append(DataError(
        f"statement '{statement}': response links form a cycle ({chain}); an act cannot answer itself",
        path=path, line=line))


class CaseDumper(yaml.SafeDumper):
    """The safe dumper for curated YAML: text holding a YAML 1.1 line break (NEL, U+2028,
    U+2029) goes in double quotes, where it survives a round trip. Base other writers of
    case files on it."""


def _represent_text(dumper: CaseDumper, value: str) -> yaml.ScalarNode:
    # PyYAML writes NEL (U+0085) raw inside single quotes and reads it back as a space;
    # in double quotes it is escaped (\N) and survives.
    style = '"' if any(c in value for c in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


CaseDumper.add_representer(str, _represent_text)


def _yaml_value(value: Any) -> Any:
    if isinstance(value, FuzzyDate):
        if value.precision == "day" and value.text is None and value.earliest == value.latest:
            return value.earliest
        date = {"text": value.text} if value.text is not None else {}
        return date | {"earliest": value.earliest, "latest": value.latest, "precision": value.precision}
    if isinstance(value, ResponseClaim):
        return {"response": value.response, "stimulus": value.stimulus}
    if isinstance(value, tuple):
        return [_yaml_value(v) for v in value]
    return value


def dump_case(records: Iterable[Record]) -> str:
    """Write records as a curated YAML case that :func:`load_case` reads back unchanged.

    Records go into the lists ``sources``, ``actors``, ``places``, ``events`` and
    ``statements``, in the order given; fields left at their default are omitted, and a
    date known to the day without words is written as a plain day.

    Examples
    --------
    >>> import datetime as dt
    >>> print(dump_case([Actor(id="ukraine", name="Ukraine", kind="state", source="cnn", aliases=("Kyiv",)),
    ...                  Event(id="strike", label='Drone hits "tower"', type="drone-strike", source="cnn",
    ...                        date=FuzzyDate.day(dt.date(2023, 8, 1)), evidence="A drone struck.")]))
    actors:
    - id: ukraine
      name: Ukraine
      kind: state
      source: cnn
      aliases:
      - Kyiv
    events:
    - id: strike
      label: Drone hits "tower"
      type: drone-strike
      date: 2023-08-01
      evidence: A drone struck.
      source: cnn
    <BLANKLINE>
    """
    sections: dict[str, list[dict]] = {}
    kinds = {cls: section for section, (_, cls) in SECTIONS.items()}
    for record in records:
        item = {f.name: _yaml_value(getattr(record, f.name)) for f in dataclasses.fields(record)
                if getattr(record, f.name) != f.default}
        sections.setdefault(kinds[type(record)], []).append(item)
    ordered = {section: sections[section] for section in SECTIONS if section in sections}
    return yaml.dump(ordered, Dumper=CaseDumper, sort_keys=False, allow_unicode=True, width=100)
