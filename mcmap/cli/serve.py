"""mcmap serve: a read-only SPARQL endpoint over a store folder."""
import click


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "store_dir", required=True, type=click.Path(file_okay=False),
              help="The Oxigraph store folder to serve (made with mcmap load --store).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Only 127.0.0.1 is private to this machine.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535))
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(0.1),
              help="Seconds a query may run before it is stopped (answered with 503).")
@click.option("--limit", default=10_000, show_default=True, type=click.IntRange(0),
              help="Most results (rows or triples) one query returns; 0 for no limit.")
@click.option("--workers", default=3, show_default=True, type=click.IntRange(1, 64),
              help="Queries run at the same time, each in its own process.")
@click.option("--slow-after", default=1.0, show_default=True, type=click.FloatRange(0.01),
              help="Seconds after which a running query counts as slow.")
@click.option("--slow-queries", default=None, type=click.IntRange(1, 64),
              help="Most slow queries running at once; the other workers stay free for quick "
                   "queries. Default: one fewer than --workers.")
@click.option("--memory", "memory_mb", default=1024, show_default=True, type=click.IntRange(0),
              help="Megabytes of memory one query may use before it is stopped (503); 0 for no limit.")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="Let web pages from ORIGIN (e.g. https://yasgui.triply.cc, or *) query the "
                   "endpoint from a browser. Repeatable. Default: none.")
def serve(store_dir, host, port, timeout, limit, workers, slow_after, slow_queries, memory_mb, cors):
    """Serve a store over the SPARQL 1.1 Protocol, read-only, with a web workbench.

    A browser opening http://127.0.0.1:7878/ gets the workbench: check a submission and
    download the report, map credentials, compare the frameworks, read the rules, query the
    store. Uploaded files are checked on their own and never added to the store.

    Queries go to /query (GET ?query=... or POST); the named queries answer at
    /named/NAME?param=value. Results are JSON, XML, CSV or TSV by the Accept header (or
    ?format=); CONSTRUCT and DESCRIBE give Turtle, N-Triples, JSON-LD or RDF/XML. SPARQL
    Update is refused with 403. Stop the server before loading more data into the folder.

    \b
    Examples:
      mcmap serve --store ./store
      curl 'http://127.0.0.1:7878/named/volume-of-learning?jurisdiction=NZ' -H 'Accept: text/csv'
    """
    from ..serve import serve as run

    run(store_dir, host=host, port=port, timeout=timeout, limit=limit or None, workers=workers,
        slow_after=slow_after, slow_queries=slow_queries, memory_mb=memory_mb or None, cors=cors)
