"""User-facing errors: one line naming the file, the place in it and what is wrong.

Exit codes: 0 success or conforms, 1 violations found, 2 unusable input or arguments, 3 an
unexpected internal error (a fault in mcmap, never a verdict), 130 interrupted (Ctrl-C), 143
terminated (SIGTERM).
"""

EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143

REPORT_HINT = ("a fault in mcmap, not in your input: please report it with the command you ran; "
               "mcmap --debug ... shows the traceback")


class Terminated(KeyboardInterrupt):
    """SIGTERM, as a job's time limit or `kill` sends it. Raised like Ctrl-C so the same cleanup
    runs: a half-written --output file and a half-filled staging graph are removed."""


class McmapError(Exception):
    """An error the user can fix; the CLI prints it as one line and exits 2."""

    exit_code = 2


class InputError(McmapError):
    def __init__(self, source: str, message: str, *, line: int | None = None,
                 row: int | None = None, column: str | None = None):
        self.source, self.line, self.row, self.column = source, line, row, column
        self.detail = message
        where = source
        if line is not None:
            where += f":{line}"
        if row is not None:
            where += f": row {row}"
        if column:
            where += f", column '{column}'"
        super().__init__(f"{where}: {message}")


class UsageError(McmapError):
    pass


class FederationRefused(McmapError):
    """A query asked mcmap to call another endpoint (SPARQL SERVICE): mcmap never does."""
