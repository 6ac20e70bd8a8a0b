"""The option vocabulary every command shares: `--format/-F` is what is written, `--input-format`
what is read, `-f` the framework. Spellings from before that rule still work for one release,
with a note on standard error naming the new spelling."""
from __future__ import annotations

import functools

import click


def format_option(choices, default, help: str):
    """`--format/-F`: the format of what the command writes."""
    return click.option("--format", "-F", "fmt", type=click.Choice(choices), default=default,
                        show_default=default is not None, help=help)


def input_format_option(help: str = "Read every FILE as this format (csv, ttl, jsonld, xml, ob3, elm, "
                                    "ctdl, ...). Default: from each file's extension."):
    """`--input-format`: the format of the files the command reads."""
    return click.option("--input-format", "input_format", default=None, metavar="FMT", help=help)


def framework_option(required: bool = False, help: str = "The framework: au, nz, nz-2018, ws, eu."):
    """`--framework/-f`: the framework whose rules apply."""
    return click.option("--framework", "-f", "framework", default=None, required=required,
                        metavar="NAME", help=help)


def wide_option():
    return click.option("--wide", is_flag=True,
                        help="Do not fold long lines to the terminal's width (one line per row, for grep).")


def text_width(output: str | None, wide: bool = False, default: int | None = None) -> int | None:
    """The width human output folds to: a terminal's own (or $COLUMNS). A file or pipe gets
    `default` (None: nothing folded, one line per row, as with --wide)."""
    import os
    import shutil
    import sys

    if wide:
        return None
    if output is None and (os.environ.get("COLUMNS") or sys.stdout.isatty()):
        return max(shutil.get_terminal_size((80, 24)).columns, 40)
    return default


def deprecated_note(old: str, new: str) -> None:
    click.echo(f"mcmap: note: {old} is deprecated and will be removed in the next release; "
               f"use {new}", err=True)


def renamed(*decls: str, to: str, new: str, type=None, multiple: bool = False):
    """Keep an old option spelling working, hidden from help, for one release.

    `decls` are the old spellings, `to` the parameter of the new option that receives the value
    and `new` how the note names the new spelling. A value given both ways keeps the new one.
    """
    dest = "_old_" + to

    def decorate(f):
        @functools.wraps(f)
        def wrapper(*args, **kwargs):
            old = kwargs.pop(dest)
            if old is not None and old != ():
                deprecated_note("/".join(decls), new)
                ctx = click.get_current_context()
                if ctx.get_parameter_source(to) in (None, click.core.ParameterSource.DEFAULT):
                    kwargs[to] = old
            return f(*args, **kwargs)

        return click.option(*decls, dest, hidden=True, default=None, type=type, multiple=multiple)(wrapper)

    return decorate
