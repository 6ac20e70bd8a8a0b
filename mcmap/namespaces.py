"""IRIs mcmap mints or reuses, in one place so every module agrees on them."""

MC = "https://w3id.org/mcmap/ns#"
ID = "https://w3id.org/mcmap/id/"
DATA = "https://w3id.org/mcmap/data/"
GRAPH = "https://w3id.org/mcmap/graph/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
SH = "http://www.w3.org/ns/shacl#"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
ELM = "http://data.europa.eu/snb/model/elm/"
CETERMS = "https://purl.org/ctdl/terms/"
SEMAPV = "https://w3id.org/semapv/vocab/"

# Named graphs of a store: ontology, shapes, data, inferences, mappings and reports never mix.
GRAPH_ONTOLOGY = GRAPH + "ontology"
GRAPH_SHAPES = GRAPH + "shapes"
GRAPH_DATA = GRAPH + "data"
GRAPH_INFERRED = GRAPH + "inferred"
GRAPH_MAPPINGS = GRAPH + "mappings"
GRAPH_REPORTS = GRAPH + "reports"
# Reference data shipped with mcmap (real skill sets, units, qualifications): never user data.
GRAPH_REFERENCE = GRAPH + "reference"
# How literals the store retypes were written (mcmap.written): derived from the data graph.
GRAPH_WRITTEN = GRAPH + "written"

PREFIXES = {
    "mc": MC,
    "mcid": ID,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dct": DCT,
    "sh": SH,
    "prov": PROV,
    "schema": SCHEMA,
    "elm": ELM,
    "ceterms": CETERMS,
    "semapv": SEMAPV,
}


def sparql_prefixes() -> str:
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def level_iri(framework: str, notation: str | int) -> str:
    """The IRI of a level, e.g. level_iri('AQF', 5) -> .../id/level/aqf/5 (SQF levels use 1-10)."""
    return f"{ID}level/{framework.lower()}/{notation}"


def framework_iri(framework: str) -> str:
    return f"{ID}framework/{framework.lower()}"


def jurisdiction_iri(code: str) -> str:
    return f"{ID}jurisdiction/{code.upper()}"


def credit_system_iri(code: str) -> str:
    return f"{ID}credit-system/{code.lower()}"


def regulator_iri(code: str) -> str:
    return f"{ID}regulator/{code.upper()}"
