"""Errors that tell an analyst what to fix: the file, the row, the column, the value and the valid choices."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One bad cell (or row, or file) in an input table. `row` is the 1-based line in the file
    (the header is line 1), so it matches what a spreadsheet or editor shows."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    value: object = None
    choices: tuple[str, ...] = field(default_factory=tuple)

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        text = ", ".join(where)
        if self.value is not None:
            text += f", value {self.value!r}"
        text += f": {self.message}"
        if self.choices:
            text += " (valid: " + ", ".join(self.choices) + ")"
        return text


class DataInputError(ValueError):
    """Raised for bad input data; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        shown = self.problems[:20]
        lines = [str(p) for p in shown]
        if len(self.problems) > len(shown):
            lines.append(f"... and {len(self.problems) - len(shown)} more problems")
        super().__init__("\n".join(lines))
