"""Plain words for people: counts with the right plural."""


def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 credential`, `2 credentials`, `0 credentials` (`many` for irregular plurals)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def fold(text: str, width: int | None) -> str:
    """Fold every line longer than `width` at spaces, keeping its indentation (continuation
    lines two further in); None leaves the text as it is."""
    import textwrap

    if width is None:
        return text
    out = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        lead = line[: len(line) - len(line.lstrip())]
        out += textwrap.wrap(line.strip(), width=max(width, len(lead) + 20), initial_indent=lead,
                             subsequent_indent=lead + "  ", break_on_hyphens=False)
    return "\n".join(out)


def fold_indented(text: str, indent: int, width: int | None) -> list[str]:
    """`text` as lines indented by `indent`, folded to `width` (continuation lines two further
    in); None keeps it on one line."""
    import textwrap

    lead = " " * indent
    if width is None:
        return [lead + text]
    return textwrap.wrap(text, width=max(width, indent + 20), initial_indent=lead,
                         subsequent_indent=lead + "  ", break_on_hyphens=False)
