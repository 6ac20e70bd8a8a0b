"""Plain words for people: counts with the right plural."""


def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 credential`, `2 credentials`, `0 credentials` (`many` for irregular plurals)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"
