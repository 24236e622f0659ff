"""Article text, the untrusted input path of ``escgraph extract``: the hostile articles in
``tests/fixtures/hostile/text`` either fail with a one-line error naming the file, or give
a draft that loads as curated YAML with every quotation kept verbatim -- HTML, YAML, Turtle
and SPARQL syntax, control characters and line separators included. Fuzzed text never
raises anything but a ``graph.errors`` error."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.curated import load_case
from graph.errors import EscgraphError
from graph.extract import extract, render_yaml
from graph.records import Actor

from reliability_strategies import HOSTILE_TEXT
from reliability_support import HOSTILE, assert_clean_failure, invoke

TEXT = HOSTILE / "text"

# file -> (exit code, quotations the draft must hold verbatim)
ARTICLES = {
    "bidi-and-emoji.txt": (0, ["\u202eWe hit back\u202c 🚀 e\u0301"]),
    "binary.txt": (2, []),
    "bom-only.txt": (2, []),
    "control-chars.txt": (0, ["We\x1b[2J\x1b[31m hit\x07 back"]),
    "empty.txt": (2, []),
    "html-page.txt": (0, ["<img src=x onerror=alert(1)> We hit back", "<a href='javascript:alert(2)'>click</a>"]),
    "latin1.txt": (2, []),
    "line-separators.txt": (0, ["We hit\x85back", "We hit\u2028again"]),
    "nul-bytes.txt": (0, ["We hit\x00 back"]),
    "rdf-in-quotes.txt": (0, ["@prefix x: <http://127.0.0.1:9/> . <a> <b> 'c' .",
                              "} ; DROP ALL ; INSERT DATA { <a:b> <a:c> <a:d> } #"]),
    "unbalanced-quotes.txt": (0, []),
    "utf16.txt": (2, []),
    "whitespace-only.txt": (2, []),
    "yaml-in-quotes.txt": (0, ["key: value # not a comment --- &a *a !!python/object/apply:os.system ['touch pwned']",
                               "- item\\n? complex: key"]),
}
KNOWN_BUGS: dict[str, str] = {}


def _case(name):
    reason = KNOWN_BUGS.get(name)
    return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=reason) if reason else ())


def test_every_hostile_article_is_in_the_table():
    assert sorted(p.name for p in TEXT.iterdir()) == sorted(ARTICLES)


@pytest.mark.parametrize("name", [_case(name) for name in sorted(ARTICLES)])
def test_extract_fails_cleanly_or_drafts_loadable_verbatim_yaml(tmp_path, monkeypatch, tally, name):
    monkeypatch.chdir(tmp_path)
    code, quotes = ARTICLES[name]
    draft = tmp_path / "draft.yaml"
    result = invoke("extract", TEXT / name, "--published", "2024-03-08", "--no-curated", "-o", draft)
    tally["bad inputs: article text"] += 1
    if code:
        error = assert_clean_failure(result, code=code, where=str(TEXT / name))
        if "UTF-8" in error or "utf-8" in error:
            assert f"{TEXT / name}:" in error and "save" in error, error  # a line, and what to do
        assert not draft.exists()
        return
    assert result.exit_code == 0, result.output
    data = load_case([draft])
    held = [s.quote for s in data.statements]
    for quote in quotes:
        assert quote in held, (quote, held)
    assert not (tmp_path / "pwned").exists()


FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
KNOWN = [Actor(id="reuters", name="Reuters", kind="media")]
quote_text = (st.sampled_from(HOSTILE_TEXT) | st.text(st.characters(exclude_categories=("Cs",)), max_size=30)).filter(
    lambda q: '"' not in q and "\u201c" not in q and "\u201d" not in q)
sentences = st.one_of(
    st.builds(lambda q, day: f'"{q}," Anna Berg told Reuters on {day}.', quote_text,
              st.sampled_from(["Monday", "Tuesday", "last weekend", "June 3", "earlier in July"])),
    st.builds(lambda q: f"Russia said {q}.", quote_text),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=60),
)


@FUZZ
@given(parts=st.lists(sentences, min_size=1, max_size=6), separators=st.sampled_from([" ", "\n", "\n\n", "\r\n"]))
def test_extract_fuzzed_text_gives_a_loadable_draft(tmp_path_factory, tally, parts, separators):
    text = "Strikes\n" + separators.join(parts)
    tally["fuzz inputs: article text"] += 1
    try:
        draft = extract(text, published=dt.date(2024, 3, 8), known=KNOWN)
    except EscgraphError:
        return
    path = tmp_path_factory.mktemp("draft") / "draft.yaml"
    path.write_text(render_yaml(draft), encoding="utf-8")
    try:
        load_case([path])
    except EscgraphError as exc:
        # Content may need review (that is what a draft is for); its YAML must never be broken.
        assert "YAML syntax" not in str(exc) and "not allowed in YAML" not in str(exc), exc
