import click

from .common import output_option, write_output

_TO = ("jsonld", "ttl", "nt", "rdfxml", "xml", "ob3", "elm", "ctdl")


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--to", "to", required=True, type=click.Choice(_TO),
              help="jsonld (mcmap's context), ttl, nt, rdfxml, xml (mcmap XML, see ontology/xml/mcmap.xsd), "
                   "ob3 (Open Badges 3.0), elm (EU ELM / Europass), ctdl (Credential Engine).")
@click.option("--mapped", is_flag=True,
              help="Include mappings: the mappings graph of the input and the level correspondences "
                   "of the levels the credentials use.")
@click.option("--strict", is_flag=True,
              help="Refuse (exit 2) to write an ob3, elm or ctdl document when a credential lacks "
                   "something that standard requires; without it, each gap is a warning.")
@click.option("--format", "fmt", default=None,
              help="Read every file as this format. Default: from each file's extension.")
@output_option
def export(files, to, mapped, strict, fmt, output):
    """Export the credentials in FILES as another format.

    Reading is as `mcmap load` reads: CSV, RDF, JSON-LD, mcmap XML, ELM, Open Badges 3.0 or
    CTDL. What each format cannot hold is listed in docs/formats.md.

    \b
    Examples:
      mcmap export submission.csv --to jsonld --output submission.jsonld
      mcmap export submission.csv --to ob3 --output badges.json
      mcmap export europass.jsonld --to xml --mapped
    """
    from ..export import export_files

    write_output(export_files(list(files), to, fmt=fmt, mapped=mapped, strict=strict), output)
