"""User-facing errors: one line naming the file, the place in it and what is wrong."""


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
