import click

from .common import output_option, output_stream
from .options import deprecated_note, input_format_option

_TO = ("jsonld", "ttl", "nt", "rdfxml", "xml", "ob3", "elm", "ctdl")


@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--store", "store_dir", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="Export what this store folder holds (made by mcmap load --store) instead of FILES; "
                   "the folder is only read.")
@click.option("--format", "-F", "fmt", default=None, metavar="[" + "|".join(_TO) + "]",
              help="What to write: jsonld (mcmap's context), ttl, nt, rdfxml, xml (mcmap XML, see "
                   "ontology/xml/mcmap.xsd), ob3 (Open Badges 3.0), elm (EU ELM / Europass), "
                   "ctdl (Credential Engine).")
@input_format_option()
@click.option("--mapped", is_flag=True,
              help="Include mappings: the mappings graph of the input and the level correspondences "
                   "of the levels the credentials use.")
@click.option("--strict", is_flag=True,
              help="Refuse (exit 2) to write an ob3, elm or ctdl document when a credential lacks "
                   "something that standard requires; without it, each gap is a warning.")
@click.option("--to", "old_to", default=None, hidden=True)
@output_option
def export(files, store_dir, fmt, input_format, mapped, strict, old_to, output):
    """Export the credentials in FILES, or in a store folder (--store DIR), as another format.

    Reading is as `mcmap load` reads: CSV, RDF, JSON-LD, mcmap XML, ELM, Open Badges 3.0 or
    CTDL. A store folder exports as the files loaded into it would. The document is written as
    it is made, so a large register is never held whole. What each format cannot hold is
    listed in docs/formats.md.

    \b
    Examples:
      mcmap export submission.csv --format jsonld --output submission.jsonld
      mcmap export submission.csv -F ob3 --output badges.json
      mcmap export europass.jsonld -F xml --mapped
      mcmap export --store ./store -F ttl --output register.ttl
    """
    from ..library import export as export_sources

    if old_to is not None:
        # Before --format meant what is written, `--to` did, and `--format` named what is read.
        deprecated_note("export --to", "--format/-F")
        if fmt is not None:
            deprecated_note("export --format for the format read", "--input-format")
            input_format = input_format or fmt
        fmt = old_to
    if fmt is None:
        raise click.UsageError("Missing option '--format' / '-F' (one of " + ", ".join(_TO) + ").")
    ctx = click.get_current_context()
    fmt = click.Choice(_TO).convert(fmt, next(p for p in ctx.command.params if p.name == "fmt"), ctx)
    from ..errors import UsageError

    if files and store_dir:
        raise UsageError("export FILE... or --store DIR, not both")
    if not files and not store_dir:
        raise UsageError("give FILE(s) to export, or --store DIR holding loaded credentials")
    if store_dir and input_format:
        raise UsageError("--input-format says how to read FILES; a store folder is already read")
    with output_stream(output) as out:
        export_sources(list(files), fmt, store=store_dir, input_format=input_format, mapped=mapped, strict=strict,
                       output=out)
