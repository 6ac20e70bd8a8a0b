import click

from .common import output_option, write_output
from .options import format_option, input_format_option


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--toward", required=True, metavar="QUALIFICATION",
              help="The qualification's code (e.g. BSB20120, NZ-TE-REO-L3), from mcmap's reference data "
                   "or a Turtle file among FILES.")
@input_format_option()
@format_option(("text", "json", "html"), "text", "text for people, json for systems, html to file or send.")
@output_option
def stack(files, toward, input_format, fmt, output):
    """How far the micro-credentials in FILES take a learner toward a qualification.

    For each micro-credential: whether it counts, may count or does not count, and why (unit
    codes matched with the core and elective units, credits at the required level, credit
    recognition stated by the provider); then what remains. Volumes and levels cross
    jurisdictions through the same conversions as `mcmap map`; a range, an unconfirmed
    conversion or a level mapped at less than full confidence is shown as uncertain.

    \b
    Examples:
      mcmap stack examples/stack/au-workplace-skills.csv --toward BSB20120
      mcmap stack examples/stack/nz-te-reo.csv --toward NZ-TE-REO-L3 -F html -o te-reo.html
    """
    from ..library import stack as stack_toward

    write_output(stack_toward(list(files), toward, input_format=input_format).render(fmt), output)
