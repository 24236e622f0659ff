"""Article text to a reviewable draft in the curated format (``escgraph extract``).

The stages, each in its own module: :mod:`~graph.extract.text` cuts the article into
sentences with quotations masked; :mod:`~graph.extract.dates` resolves date expressions
against the publication day; :mod:`~graph.extract.speakers` matches names to known actors
and proposes new ones; :mod:`~graph.extract.statements` and :mod:`~graph.extract.events`
read speech acts and material acts; :mod:`~graph.extract.draft` assembles the records and
writes the YAML. All rules are offline and deterministic.

Examples
--------
>>> import datetime as dt
>>> from graph.records import Actor
>>> kyiv = Actor(id="ukraine", name="Ukraine", kind="state", aliases=("Kyiv",))
>>> draft = extract("Report\\nKyiv has not claimed the attack.", published=dt.date(2023, 8, 5), known=[kyiv])
>>> [(s.speaker, s.kind) for s in draft.statements]
[('ukraine', 'decline-comment')]
"""

from graph.extract.draft import Draft, extract, render_yaml, write_draft

__all__ = ["Draft", "extract", "render_yaml", "write_draft"]
