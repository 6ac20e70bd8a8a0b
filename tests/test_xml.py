"""mcmap XML: exports validate against the shipped XSD, read back without loss, and hostile XML
(external entities, entity bombs) is refused without anything outside the file being read."""
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from lxml import etree
from rdflib.compare import isomorphic

from mcmap.formats.xml import safe_parser, schema
from test_export import CSV, graph_of

ROOT = Path(__file__).parents[1]
XSD = ROOT / "ontology" / "xml" / "mcmap.xsd"

RICH_TTL = """
@prefix mc: <https://w3id.org/mcmap/ns#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/mcmap/data/credential/WS-7> a mc:MicroCredential ;
  dct:identifier "WS-7" ; dct:title "Fa'amatai"@sm, "Chiefly systems"@en ;
  dct:description "A short course."@en ;
  mc:provider <https://w3id.org/mcmap/data/provider/nus> ;
  mc:jurisdiction <https://w3id.org/mcmap/id/jurisdiction/WS> ;
  mc:level <https://w3id.org/mcmap/id/level/sqf/7> ;
  mc:creditValue "10.5"^^xsd:decimal ; mc:creditSystem <https://w3id.org/mcmap/id/credit-system/pqf> ;
  mc:volumeOfLearningHours "105"^^xsd:decimal ;
  mc:learningOutcome "Explain the matai system"@en ; mc:assessment "Essay" ;
  mc:deliveryMode mc:onsite ; mc:location "Apia" ; mc:cost "0"^^xsd:decimal ; mc:currency "WST" ;
  mc:prerequisites "None" ; mc:creditRecognition "Counts towards the Diploma" ;
  mc:industryRecognition "Ministry endorsed" ; mc:nzscedCode "091701" ; mc:developer "NUS" ;
  mc:reviewPeriodYears 3 ; mc:evidenceOfNeed "Survey 2023" ; mc:purposeStatement "To teach" ;
  mc:qaStatement "Internal QA" ; mc:status mc:current ; mc:approvedOn "2024-05-02"^^xsd:date ;
  dct:language "sm", "en" ; schema:url <https://nus.example/ws7> .
<https://w3id.org/mcmap/data/provider/nus> a mc:Provider ; schema:name "National University of Samoa" ;
  mc:regulator <https://w3id.org/mcmap/id/regulator/SQA> .
"""


def test_export_validates_against_the_xsd(run, tmp_path):
    out = tmp_path / "out.xml"
    assert run("export", CSV, "--format", "xml", "--output", out).exit_code == 0
    xsd = etree.XMLSchema(etree.parse(str(XSD)))
    doc = etree.parse(str(out))
    assert xsd.validate(doc), xsd.error_log


@pytest.mark.parametrize("source", ["csv", "ttl"])
def test_xml_round_trip_keeps_every_field(run, tmp_path, source):
    if source == "csv":
        original = CSV
    else:
        original = tmp_path / "rich.ttl"
        original.write_text(RICH_TTL)
    out = tmp_path / "out.xml"
    assert run("export", original, "--format", "xml", "--output", out).exit_code == 0
    assert etree.XMLSchema(etree.parse(str(XSD))).validate(etree.parse(str(out)))
    assert isomorphic(graph_of(original), graph_of(out))


def test_language_tags_survive_xml(run, tmp_path):
    src = tmp_path / "rich.ttl"
    src.write_text(RICH_TTL)
    text = run("export", src, "--format", "xml").stdout
    assert 'xml:lang="sm">Fa\'amatai</title>' in text
    assert '<level framework="SQF">7</level>' in text


def test_schema_error_names_the_line(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text('<?xml version="1.0"?>\n<credentials xmlns="https://w3id.org/mcmap/xml/1">\n'
                   '  <credential>\n    <identifier>X</identifier>\n'
                   '    <level framework="XQF">4</level>\n  </credential>\n</credentials>\n')
    proc = subprocess.run([sys.executable, "-m", "mcmap", "export", str(bad), "--format", "ttl"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert f"{bad}:5: does not match the mcmap XML schema" in proc.stderr
    assert "XQF" in proc.stderr and "Traceback" not in proc.stderr


def test_syntax_error_names_the_line(tmp_path):
    bad = tmp_path / "broken.xml"
    bad.write_text('<credentials xmlns="https://w3id.org/mcmap/xml/1">\n<credential>\n</credentials>\n')
    proc = subprocess.run([sys.executable, "-m", "mcmap", "export", str(bad), "--format", "ttl"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert f"{bad}:3: XML syntax error" in proc.stderr


def test_wrong_root_is_refused(tmp_path):
    bad = tmp_path / "other.xml"
    bad.write_text("<catalog><item/></catalog>\n")
    proc = subprocess.run([sys.executable, "-m", "mcmap", "export", str(bad), "--format", "ttl"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and "mcmap XML has <credentials" in proc.stderr


def _xxe(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    doc = tmp_path / "xxe.xml"
    doc.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE credentials [\n  <!ENTITY xxe SYSTEM "{secret.as_uri()}">\n]>\n'
                   '<credentials xmlns="https://w3id.org/mcmap/xml/1"><credential>'
                   '<identifier>X</identifier><title>&xxe;</title></credential></credentials>\n')
    return doc


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<credentials xmlns="https://w3id.org/mcmap/xml/1"><credential><title>&lol9;</title></credential></credentials>
"""


def test_xxe_is_refused_and_nothing_outside_is_read(tmp_path):
    doc = _xxe(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "mcmap", "export", str(doc), "--format", "ttl"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 2
    assert f"{doc}:2: XML with a DOCTYPE or ENTITY declaration is refused" in proc.stderr
    assert "TOP-SECRET-VALUE" not in proc.stdout + proc.stderr


def test_billion_laughs_is_refused_quickly(tmp_path):
    doc = tmp_path / "lol.xml"
    doc.write_text(BILLION_LAUGHS)
    proc = subprocess.run([sys.executable, "-m", "mcmap", "export", str(doc), "--format", "ttl"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 2
    assert "DOCTYPE or ENTITY declaration is refused" in proc.stderr
    assert "lollol" not in proc.stderr


def test_the_parser_itself_expands_no_entity(tmp_path):
    # Beneath the DOCTYPE refusal, the parser settings alone keep external files out.
    doc = _xxe(tmp_path)
    tree = etree.parse(str(doc), safe_parser())
    assert "TOP-SECRET-VALUE" not in etree.tostring(tree, encoding="unicode")
    try:
        lol = etree.fromstring(BILLION_LAUGHS.encode(), safe_parser())
    except etree.XMLSyntaxError as e:
        assert "amplification" in str(e)  # libxml2 stops the expansion
    else:
        assert len(etree.tostring(lol)) < 10_000


def test_shipped_schema_compiles_offline():
    assert schema() is not None
    assert 'schemaLocation="xml.xsd"' in XSD.read_text()


def test_mapped_export_carries_level_correspondences_and_validates(run, tmp_path):
    out = tmp_path / "mapped.xml"
    assert run("export", CSV, "--format", "xml", "--mapped", "--output", out).exit_code == 0
    xsd = etree.XMLSchema(etree.parse(str(XSD)))
    assert xsd.validate(etree.parse(str(out))), xsd.error_log
    text = out.read_text()
    assert ('<mapping subject="https://w3id.org/mcmap/id/level/nzqcf/4" '
            'predicate="http://www.w3.org/2004/02/skos/core#closeMatch" '
            'object="https://w3id.org/mcmap/id/level/eqf/4">') in text
    # Without --mapped there are none.
    assert "<mapping" not in run("export", CSV, "--format", "xml").stdout


def test_mapped_jsonld_and_turtle_include_the_correspondence(run):
    ttl = run("export", CSV, "--format", "nt", "--mapped").stdout
    assert ("<https://w3id.org/mcmap/id/level/nzqcf/4> <http://www.w3.org/2004/02/skos/core#closeMatch> "
            "<https://w3id.org/mcmap/id/level/eqf/4>") in ttl
    assert "closeMatch" not in run("export", CSV, "--format", "nt").stdout


def test_text_round_trips_through_xml_whatever_it_holds(tmp_path):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from mcmap.export import export_quads
    from mcmap.formats.record import Credential, Text, record_quads, records_from_quads
    from mcmap.formats.xml import read_xml

    xml_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff",
                              min_codepoint=0x20)
    text = st.text(xml_chars, min_size=1, max_size=40).filter(lambda s: s.strip() == s and s.strip())

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(title=text, outcomes=st.lists(text, max_size=3, unique=True), lang=st.sampled_from([None, "en", "mi"]))
    def check(title, outcomes, lang):
        rec = Credential(iri="https://w3id.org/mcmap/data/credential/H-1", identifier="H-1",
                         title=[Text(title, lang)], learning_outcomes=[Text(o) for o in outcomes])
        out = tmp_path / "h.xml"
        out.write_bytes(export_quads(record_quads(rec, "h.ttl"), "xml"))
        back = records_from_quads(read_xml(out))[0]
        assert back.title == [Text(title, lang)]
        assert sorted(t.value for t in back.learning_outcomes) == sorted(outcomes)

    check()


def test_control_characters_are_refused_with_the_credential_named(tmp_path, run):
    src = tmp_path / "ctl.ttl"
    src.write_text('<https://w3id.org/mcmap/data/credential/C-1> a <https://w3id.org/mcmap/ns#MicroCredential> ;'
                   ' <http://purl.org/dc/terms/title> "bell\\u0007" .\n')
    proc = subprocess.run([sys.executable, "-m", "mcmap", "export", str(src), "--format", "xml"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert "credential https://w3id.org/mcmap/data/credential/C-1 cannot be written as XML" in proc.stderr
