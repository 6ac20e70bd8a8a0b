"""mcmap query: SPARQL over files, a store folder or an endpoint."""
import sys
from pathlib import Path

import click

from .common import endpoint_option, output_option, write_output
from .options import format_option, input_format_option, renamed, text_width, wide_option

_BY_EXTENSION = {".csv": "csv", ".tsv": "tsv", ".json": "json", ".srj": "json", ".xml": "xml",
                 ".srx": "xml", ".ttl": "ttl", ".jsonld": "jsonld", ".nt": "nt", ".txt": "table"}


_FORMATS = ("table", "csv", "tsv", "json", "xml", "ttl", "jsonld", "nt")


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("query_file", required=False, metavar="[QUERY.rq]")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--named", "-n", metavar="NAME", help="Run a query shipped with mcmap (see --list).")
@click.option("--sparql", "-e", "sparql_text", metavar="TEXT",
              help="Run this SPARQL text instead of a query file (every argument is then a data file).")
@click.option("--list", "list_only", is_flag=True, help="List the named queries and their parameters.")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME to VALUE (as an RDF term, never pasted into the query). Repeatable.")
@click.option("--store", "store_dir", type=click.Path(file_okay=False), default=None,
              help="Query this store folder (made by mcmap load --store).")
@endpoint_option
@input_format_option("Format of FILE... when the extension does not tell (ttl, csv, jsonld, ...).")
@format_option(_FORMATS, None, "SELECT/ASK: table (default), csv, tsv, json, xml. "
                               "CONSTRUCT/DESCRIBE: ttl (default), jsonld, nt.")
@wide_option()
@output_option
@renamed("-f", to="fmt", new="--format/-F (-f names the framework)", type=click.Choice(_FORMATS))
def query(query_file, files, named, sparql_text, list_only, params, store_dir, endpoint, input_format, fmt, wide, output):
    """Run a SPARQL query over FILE... (read into memory with the ontology and frameworks), over
    a store folder (--store) or a SPARQL endpoint (--endpoint).

    \b
    Examples:
      mcmap query --list
      mcmap query --named credentials-by-level --store ./store
      mcmap query --named volume-of-learning -p jurisdiction=NZ examples/*.csv
      mcmap query my.rq --endpoint http://localhost:7878/query -F csv -o out.csv
      mcmap query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' --store ./store
      cat my.rq | mcmap query - examples/*.csv
    """
    from .. import query as q
    from ..errors import UsageError

    if list_only:
        write_output(_catalogue_text(q.catalogue(), text_width(output, wide)), output)
        return
    if named and sparql_text:
        raise UsageError("give --named NAME or --sparql TEXT, not both")
    if named or sparql_text:
        if query_file:
            files = (query_file, *files)  # with --named or --sparql every argument is a data file
    if named:
        nq = q.named_query(named)
        text, source, declared = nq.text, nq.source, nq.params
    elif sparql_text:
        if not sparql_text.strip():
            raise UsageError("--sparql: the query text is empty")
        text, source, declared = sparql_text, "--sparql", None
    elif query_file:
        text, source, declared = q.read_query_file(query_file), query_file, None
    else:
        raise UsageError("give a query file QUERY.rq, --sparql TEXT or --named NAME (see mcmap query --list)")
    if files and (store_dir or endpoint):
        raise UsageError("query FILE... or a store (--store/--endpoint), not both")

    bindings = q.bind_params(text, q.parse_params(params), declared)
    if fmt is None and output:
        fmt = _BY_EXTENSION.get(Path(output).suffix.lower())

    if store_dir and not Path(store_dir).is_dir():
        # A mistyped folder would otherwise be created empty and answer nothing.
        raise UsageError(f"{store_dir}: no such store folder (make one with mcmap load FILE... --store {store_dir})")
    if store_dir or endpoint:
        from ..store import open_store
        from .common import endpoint_timeout

        # A query never writes: read-only, so it also reads a folder mcmap serve is serving.
        store = open_store(store_dir, endpoint, timeout=endpoint_timeout(), read_only=True)
    else:
        store = q.memory_store(files, input_format)
    from ..results import render, render_table
    from ..store import Rows

    with store:
        result = q.run(store, text, source=source, bindings=bindings)
        if isinstance(result, Rows) and (fmt or "table") == "table":
            # A terminal (or $COLUMNS) gets folded cells; a file or pipe one whole line per row.
            width = text_width(output, wide)
            table, n = render_table(result.variables, result, width)
            write_output(table, output, "table")
            click.echo(f"{n} row{'s' if n != 1 else ''}", err=True)
            return
        data, _ = render(result, fmt)
    write_output(data, output, fmt)


def _catalogue_text(queries, width: int | None = 100) -> str:
    import textwrap

    def fold(text: str, indent: int, hang: int = 0) -> list[str]:
        lead = " " * indent
        if width is None:
            return [lead + text]
        return textwrap.wrap(text, width=max(width, indent + 20), initial_indent=lead,
                             subsequent_indent=lead + " " * hang, break_on_hyphens=False)

    lines = []
    for name, nq in queries.items():
        lines += [name, *fold(nq.title, 2)]
        if nq.description:
            lines += fold(nq.description, 2)
        for p in nq.params:
            kind = f" ({p.kind})" if p.kind != "term" else ""
            lines += fold(f"--param {p.name}=...{kind}  {p.meaning}", 2, 4)
        lines.append("")
    return "\n".join(lines)
