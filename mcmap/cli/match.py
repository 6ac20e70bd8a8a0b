import click

from .common import output_option, write_output
from .options import format_option, input_format_option, text_width, wide_option


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--from", "source", required=True, metavar="A",
              help="Find matches for the credentials of jurisdiction A (AU, NZ, WS, ...).")
@click.option("--to", "target", required=True, metavar="B", help="... among the credentials of jurisdiction B.")
@click.option("--top", default=3, show_default=True, type=click.IntRange(1, 100),
              help="How many matches to keep per credential.")
@click.option("--min-score", default=0.0, show_default=True, type=click.FloatRange(0, 1),
              help="Drop matches scoring below this.")
@format_option(("table", "tsv", "json", "csv"), "table", "table for people; tsv is SSSOM (score as confidence).")
@click.option("--by-code", is_flag=True,
              help="Instead: group the offerings of A and B that share a national code (a VET skill set or "
                   "unit), with each provider's hours, price and delivery mode side by side.")
@input_format_option()
@wide_option()
@output_option
def match(files, source, target, top, min_score, fmt, input_format, wide, output, by_code):
    """For each credential of jurisdiction A in FILES, the most similar credentials of B.

    Similarity combines the text of titles and learning outcomes (TF-IDF cosine), closeness of
    level (A's level placed in B's framework by the published correspondences) and closeness of
    volume in hours: score = 0.6 text + 0.2 level + 0.2 volume. Only pairs that share a
    distinctive word are ever compared. Each match says why it scored as it did.

    \b
    Examples:
      mcmap match examples/au-submission.csv examples/nz-submission.csv --from au --to nz
      mcmap match registry-au.ttl registry-nz.ttl --from au --to nz --format tsv -o au-nz.sssom.tsv
      mcmap match examples/vet-offerings.csv --from au --to au --by-code
    """
    import csv
    import io
    import json

    from .. import frameworks
    from ..errors import UsageError
    from ..formats.sssom import write_sssom
    from ..mapping.match import match as find, to_mapping_set
    from ..mapping.records import credentials
    from ..load import load_files
    from ..store import LocalStore

    a, b = frameworks.jurisdiction(source).code, frameworks.jurisdiction(target).code
    store = LocalStore()
    load_files(store, list(files), input_format, count=False)
    if by_code:
        from .match_codes import render_groups

        write_output(render_groups(store, {a, b}, fmt, text_width(output, wide)), output, fmt)
        return
    creds = credentials(store)
    sources = [c for c in creds if c.jurisdiction == a]
    targets = [c for c in creds if c.jurisdiction == b]
    for code, found in ((a, sources), (b, targets)):
        if not found:
            raise UsageError(f"no {code} credentials in {', '.join(files)}")
    matches = find(sources, targets, top=top, min_score=min_score)
    if fmt == "tsv":
        text = write_sssom(to_mapping_set(matches, a, b))
    elif fmt == "json":
        text = json.dumps([{
            "source": m.source.identifier, "source_title": m.source.title,
            "target": m.target.identifier, "target_title": m.target.title,
            "score": m.score, "text": m.text, "level": m.level, "volume": m.volume,
            "shared_terms": m.shared_terms, "why": m.explain()} for m in matches], indent=2, ensure_ascii=False) + "\n"
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["source", "source_title", "target", "target_title", "score", "why"])
        for m in matches:
            w.writerow([m.source.identifier, m.source.title, m.target.identifier, m.target.title,
                        f"{m.score:.3f}", m.explain()])
        text = buf.getvalue()
    else:
        text = _text(matches, sources, targets, a, b, text_width(output, wide))
    write_output(text, output, fmt)


def _text(matches, sources, targets, a: str, b: str, width: int | None) -> str:
    """Each credential of A, then its matches in B with the reasons for each score, folded."""
    from ..words import fold_indented, plural

    def fold(text: str, indent: int) -> list[str]:
        return fold_indented(text, indent, width)

    lines, last = [], None
    for m in matches:
        if m.source.iri != last:
            lines += ([""] if last else []) + fold(f"{m.source.identifier}  {m.source.title}", 0)
            last = m.source.iri
        lines += fold(f"-> {m.target.identifier}  {m.target.title}  (score {m.score:.3f})", 2)
        lines += fold(m.explain(), 5)
    unmatched = len({s.iri for s in sources} - {m.source.iri for m in matches})
    lines += [""] + fold(f"{plural(len(matches), 'match', 'matches')} for {len(sources) - unmatched} of "
                         f"{plural(len(sources), a + ' credential')} among {plural(len(targets), b + ' credential')}"
                         + (f"; {unmatched} share no distinctive word with any" if unmatched else ""), 0)
    return "\n".join(lines) + "\n"
