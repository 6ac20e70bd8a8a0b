import click

from .common import output_option, write_output
from .options import format_option


@click.command()
@click.argument("jurisdictions", nargs=-1, required=True)
@click.option("--as-of", default=None, metavar="DATE",
              help="Only the definitions in force on DATE (YYYY-MM-DD). Default: every version.")
@format_option(("text", "html", "json"), "text", "html is one self-contained page with a chart of the volume ranges.")
@output_option
def compare(jurisdictions, as_of, fmt, output):
    """Jurisdictions' micro-credential definitions side by side.

    Definition, dates in force, volume bounds in hours, credit unit, level scheme, required and
    recommended information, review rules, who approves, and sources with their evidence
    status, all read from mcmap's framework ontology.

    \b
    Examples:
      mcmap compare au nz ws
      mcmap compare au nz ws --format html --output compare.html
      mcmap compare nz --as-of 2020-01-01 -F json
    """
    import shutil

    from ..mapping import compare as cmp

    data = cmp.compare(list(jurisdictions), as_of=as_of)
    if fmt == "json":
        text = cmp.to_json(data)
    elif fmt == "html":
        text = cmp.to_html(data)
    else:
        width = shutil.get_terminal_size((160, 24)).columns if output is None else 160
        text = cmp.to_text(data, width=max(width, 100))
    write_output(text, output, fmt)
