import click

from .common import endpoint_option, output_option, store_option, write_output
from .options import format_option, input_format_option

FORMATS = ("table", "tsv", "ttl", "json", "csv")


@click.command(name="map")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--from", "source", default=None, metavar="A",
              help="Treat every credential as from jurisdiction A (AU, NZ, WS, ...). "
                   "Default: each credential's own jurisdiction.")
@click.option("--to", "targets", multiple=True, required=True, metavar="B",
              help="Target jurisdiction(s): --to nz ws, --to nz,ws or --to nz --to ws.")
@click.option("--as-of", default=None, metavar="DATE",
              help="Judge eligibility by the definitions in force on DATE (YYYY-MM-DD). Default: today.")
@format_option(FORMATS, "table", "table for people; tsv (SSSOM), ttl (SSSOM as RDF), json or csv for systems.")
@input_format_option()
@click.option("--mappings", "mapping_files", multiple=True, type=click.Path(dir_okay=False), metavar="SSSOM",
              help="Extra level correspondences (an SSSOM TSV file) to use besides the shipped ones.")
@output_option
@store_option
@endpoint_option
def map_command(files, source, targets, as_of, fmt, input_format, mapping_files, output, store_dir, endpoint):
    """What each credential in FILES is worth in jurisdiction B, and why.

    For every credential and target: its volume in B's unit (converted through notional hours),
    its level in B's framework with the chain of published correspondences and a confidence,
    and whether it would meet B's definition, with every rule it would fail. With --store DIR
    (or --endpoint URL) the results are also kept in the store's mappings graph (and, without
    FILES, the credentials are read from that store).

    \b
    Examples:
      mcmap map examples/au-submission.csv --to nz ws
      mcmap map nz.csv --to au --as-of 2022-06-01 -F json
      mcmap map au.csv --to nz --format tsv --output au-in-nz.sssom.tsv
      mcmap map ws.csv --to au --mappings sqf-pqf-referencing.sssom.tsv
    """
    from pathlib import Path

    from .. import frameworks
    from ..errors import UsageError
    from ..formats import read_files
    from ..formats.sssom import read_sssom, store_mapping_sets, to_triples, write_sssom
    from ..load import ensure_reference_data
    from ..mapping import render
    from ..mapping.crossmap import map_store
    import pyoxigraph as ox

    from ..namespaces import GRAPH_MAPPINGS
    from ..store import LocalStore, open_store

    # `--to nz ws`: click reads "ws" as a FILE; a word that is no file but a jurisdiction is a target.
    known = {j.code.lower() for j in frameworks.jurisdictions()}
    files = list(files)
    extra = [f for f in files if not Path(f).exists() and f.lower() in known]
    files = [f for f in files if f not in extra]
    wanted = [t.strip() for item in targets for t in item.split(",") if t.strip()] + extra
    target_codes = [frameworks.jurisdiction(t).code for t in wanted]
    if source:
        frameworks.jurisdiction(source)
    keep = store_dir or endpoint
    if not files and not keep:
        raise UsageError("give FILE(s) to map, or --store DIR (or --endpoint URL) holding loaded credentials")

    extra = [read_sssom(p) for p in mapping_files]
    store = open_store(store_dir, endpoint) if (keep and not files) else LocalStore()
    if files:
        store.add(read_files(files, input_format))
    results = map_store(store, target_codes, source=source, as_of=as_of, extra_mappings=extra)
    if not results:
        raise UsageError("no micro-credentials found in the input")
    label = "-".join(Path(f).stem for f in files) or "store"
    mset = render.to_mapping_set(results, label)
    if keep:
        kept = store if not files else open_store(store_dir, endpoint)
        ensure_reference_data(kept)
        store_mapping_sets(kept, [*extra, mset])
        kept.add([ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(GRAPH_MAPPINGS))
                  for t in render.result_triples(results, mset)])
        if files:
            kept.close()
        click.echo(f"kept {len(mset.mappings)} mapping rows in {keep}", err=True)
    if fmt == "table":
        import shutil

        text = render.to_table(results, width=shutil.get_terminal_size((160, 24)).columns if output is None else 160)
    elif fmt == "json":
        text = render.to_json(results)
    elif fmt == "csv":
        text = render.to_csv(results)
    elif fmt == "tsv":
        text = write_sssom(mset)
    else:
        import rdflib

        g = rdflib.Graph()
        triples = to_triples(mset) + render.result_triples(results, mset)
        g.parse(data="\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples), format="nt")
        for p, iri in {"sssom": "https://w3id.org/sssom/", "owl": "http://www.w3.org/2002/07/owl#",
                       "skos": "http://www.w3.org/2004/02/skos/core#", "semapv": "https://w3id.org/semapv/vocab/",
                       "pav": "http://purl.org/pav/", "dcterms": "http://purl.org/dc/terms/",
                       "mc": "https://w3id.org/mcmap/ns#"}.items():
            g.bind(p, iri)
        text = g.serialize(format="turtle")
    write_output(text, output, fmt)
