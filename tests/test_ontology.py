"""The ontology, shapes and code lists: well-formed, documented, and in step with the code."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from graph.namespaces import ESC
from graph.resources import ontology_dir
from graph.vocab import code_lists

TURTLE_FILES = sorted(ontology_dir().rglob("*.ttl"))


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_dir() / "escalation.ttl", format="turtle")


def _terms(g: rdflib.Graph) -> set[str]:
    ns = str(ESC)
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {str(s)[len(ns):] for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(ns)}


def test_closed_namespace_matches_the_ontology(ontology):
    assert set(ESC.__annotations__) == _terms(ontology)


def test_every_class_and_property_has_label_and_comment(ontology):
    missing = [t for t in _terms(ontology)
               if ontology.value(ESC[t], RDFS.label) is None or ontology.value(ESC[t], RDFS.comment) is None]
    assert missing == []


def test_ontology_header_has_version_label_and_comment(ontology):
    header = next(ontology.subjects(RDF.type, OWL.Ontology))
    for predicate in (OWL.versionIRI, RDFS.label, RDFS.comment):
        assert ontology.value(header, predicate) is not None


@pytest.mark.parametrize("path", TURTLE_FILES, ids=lambda p: p.name)
def test_turtle_parses_with_rdflib_and_prefixes_are_sorted(path):
    text = path.read_text(encoding="utf-8")
    assert len(rdflib.Graph().parse(data=text, format="turtle")) > 0
    prefixes = re.findall(r"^@prefix (\w*):", text, flags=re.MULTILINE)
    assert prefixes == sorted(prefixes)


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper (raptor2-utils) is not installed")
@pytest.mark.parametrize("path", TURTLE_FILES, ids=lambda p: p.name)
def test_turtle_parses_with_rapper(path):
    result = subprocess.run(["rapper", "-q", "-i", "turtle", "-c", path.as_uri()], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr


def test_every_project_code_maps_to_a_known_cameo_code():
    codes = code_lists()
    mapped = {**codes.event_types, **codes.speech_acts}
    assert {c for c in mapped.values() if c is not None} <= set(codes.cameo)
    assert codes.cameo["195"] == (-10.0, 4)  # employ aerial weapons: material conflict


def test_cameo_pins_gdelt_weight_for_deny_responsibility_and_notes_the_other():
    g = rdflib.Graph().parse(ontology_dir() / "vocab" / "cameo.ttl", format="turtle")
    concept = rdflib.URIRef("https://w3id.org/escalation-graph/vocab/cameo/016")
    assert float(g.value(concept, ESC.goldstein)) == -2.0
    assert "-5.0" in str(g.value(concept, rdflib.URIRef("http://www.w3.org/2004/02/skos/core#note")))


def test_cameo_vocabulary_regenerates_identically(shared_dir, tmp_path):
    import importlib.util

    from conftest import REPO

    spec = importlib.util.spec_from_file_location("gen", REPO / "scripts" / "generate_cameo_vocab.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    out = tmp_path / "cameo.ttl"
    generator.main(shared_dir / "realdata", out)
    assert out.read_text(encoding="utf-8") == (ontology_dir() / "vocab" / "cameo.ttl").read_text(encoding="utf-8")
