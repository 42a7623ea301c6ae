"""A literal prefilter for the furniture regexes: skip searches that cannot match.

Python's ``re`` tries every branch of an alternation at every position, so searching
the ``contains`` and ``end`` alternations (hundreds of patterns) was 6.9 s of the 11 s
the stage spent after extraction on the 181 AEB pages (~37 ms a page). Every pattern
contains a literal (or one of a few literals) that any match must contain; a category
whose literals are all absent from the case-folded paragraph cannot match, and most
paragraphs contain none. The regex still decides: the prefilter only skips searches
that cannot succeed, so the verdicts are unchanged.
"""

from __future__ import annotations

from typing import Final

# ``re.IGNORECASE`` matches two characters when their simple lower cases are equal, or
# when they share an upper case (dotless ı and i, long ſ and s, ᲀ and в, Greek letter
# variants). ``fold`` maps both sides onto one form, so a match implies "folded literal
# in folded text" (tests/cleaning/test_prefilter.py checks every literal character
# against ``re`` over all of Unicode).
_REGEX_META: Final = frozenset("\\[](){}?*+|.^$")


def fold(text: str) -> str:
    """Case-fold ``text`` the way ``re.IGNORECASE`` compares characters (see above)."""
    if text.isascii():
        return text.lower()
    # "İ".lower() is "i" + a combining dot; re matches "İ" with "i". lower → upper →
    # lower unifies characters that share an upper case; the final-sigma rule of
    # ``lower`` brings "ς" back, and re matches it with "σ".
    return text.replace("\u0130", "i").lower().upper().lower().replace("\u03c2", "\u03c3")


def _closing_group(pattern: str, start: int) -> int:
    """Index of the ")" closing the group opened at ``start`` (escapes and classes skipped)."""
    depth = 0
    i = start
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = _closing_class(pattern, i)
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(f"unbalanced '(' in {pattern!r}")


def _group_options(body: str) -> tuple[str, ...] | None:
    """The branches of a group body when each is a plain literal ("ap|afp|reuters")."""
    if body.startswith("?:"):
        body = body[2:]
    elif body.startswith("?"):
        return None  # lookaround, flags: zero-width or unusual
    branches = tuple(body.split("|"))
    if not all(branches) or any(ch in _REGEX_META for branch in branches for ch in branch):
        return None
    return branches


def required_literals(pattern: str) -> frozenset[str] | None:
    """Folded strings one of which every match of ``pattern`` contains, or None.

    Reads only the top level of the pattern: runs of literal characters, and groups
    whose branches are all literals ("(?:foto|bild)"); an optional atom ("s?", "(...)?")
    ends a run and is not required. The candidate whose shortest option is longest is
    chosen. None (no such literal, or a top-level "|") means: always run the regex.
    """
    candidates: list[tuple[str, ...]] = []
    run: list[str] = []
    # The last atom: ("char", c) in the current run, ("group", options) or ("other", None).
    last: tuple[str, tuple[str, ...] | None] = ("other", None)

    def end_run() -> None:
        if run:
            candidates.append(("".join(run),))
            run.clear()

    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch in "?*+{":
            optional = ch in "?*" or pattern.startswith("{0", i)
            if ch == "{":
                i = pattern.index("}", i)
            if pattern[i + 1 : i + 2] == "?":
                i += 1  # lazy quantifier
            if last[0] == "char" and optional and run:
                run.pop()
            elif last[0] == "group" and not optional and last[1] is not None:
                candidates.append(last[1])
            end_run()
            last = ("other", None)
            i += 1
            continue
        # The atom before this one was not quantified: a group counts as required.
        if last[0] == "group" and last[1] is not None:
            candidates.append(last[1])
        if ch == "\\":
            escaped = pattern[i + 1 : i + 2]
            if escaped.isalnum():  # \b \w \d \s, back-references: not a literal
                end_run()
                last = ("other", None)
            else:
                run.append(fold(escaped))
                last = ("char", None)
            i += 2
        elif ch == "[":
            end_run()
            i = _closing_class(pattern, i) + 1
            last = ("other", None)
        elif ch == "(":
            end_run()
            close = _closing_group(pattern, i)
            options = _group_options(pattern[i + 1 : close])
            last = ("group", tuple(fold(o) for o in options) if options else None)
            i = close + 1
        elif ch == "|":
            return None
        elif ch in ".^$)":
            end_run()
            last = ("other", None)
            i += 1
        else:
            run.append(fold(ch))
            last = ("char", None)
            i += 1
    if last[0] == "group" and last[1] is not None:
        candidates.append(last[1])
    end_run()
    if not candidates:
        return None
    best = max(candidates, key=lambda options: min(len(o) for o in options))
    return frozenset(best)


def _closing_class(pattern: str, start: int) -> int:
    """Index of the "]" closing the character class opened at ``start``."""
    i = start + 1
    if pattern[i : i + 1] == "^":
        i += 1
    if pattern[i : i + 1] == "]":
        i += 1  # a literal "]" first in the class
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
            continue
        if pattern[i] == "]":
            return i
        i += 1
    raise ValueError(f"unbalanced '[' in {pattern!r}")


def category_literals(patterns_by_language: dict[str, list[str]]) -> tuple[str, ...] | None:
    """Literals one of which any match of the category's alternation contains; None when
    some pattern has none (the regex then always runs). A literal containing another
    one is redundant (the shorter one is present whenever it is) and is dropped."""
    literals: set[str] = set()
    for patterns in patterns_by_language.values():
        for pattern in patterns:
            required = required_literals(pattern)
            if required is None:
                return None
            literals |= required
    minimal = {lit for lit in literals if not any(other != lit and other in lit for other in literals)}
    return tuple(sorted(minimal))
