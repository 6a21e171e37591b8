"""Text from a client, plan or rulebook, neutralised for the medium it goes to.

Names, rulebook descriptions, exercise cells and explanations are user input: each
medium gets only what it shows as plain text.

* spreadsheet cells (CSV, xlsx): OWASP's CSV-injection guidance, a text cell that starts
  with ``= + - @``, a tab or a carriage return is prefixed with ``'``; control
  characters are dropped (xlsx cannot store them at all);
* Markdown: every punctuation character that could start markup is backslash-escaped,
  line breaks become spaces;
* iCalendar and other one-line fields: line breaks and control characters become spaces
  (the icalendar library then escapes ``, ; \\`` and folds long lines);
* matplotlib: ``$`` is escaped, so text is never parsed as mathtext;
* terminal: escape sequences (CSI, OSC) and control characters are removed; rich markup
  is escaped where rich renders it.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, erase
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window title, hyperlinks
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b."  # any other two-byte escape
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROL_ALL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~&$])")


def terminal(text: Any) -> str:
    """TEXT without escape sequences or control characters (newlines and tabs stay)."""
    return _CONTROL.sub("", _ESCAPES.sub("", str(text)))


def one_line(text: Any) -> str:
    """TEXT on one line: escape sequences dropped, every control character a space."""
    return _CONTROL_ALL.sub(" ", _ESCAPES.sub("", str(text)))


def cell(value: Any) -> Any:
    """A spreadsheet cell: text is defused (see the module docstring); numbers, dates
    and booleans pass as they are."""
    if not isinstance(value, str):
        return value
    text = _CONTROL.sub("", value.replace("\t", " ").replace("\r", " ").replace("\n", " "))
    text = _ESCAPES.sub("", text) if "\x1b" in value else text
    if value.startswith(FORMULA_PREFIXES) or text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def markdown(text: Any) -> str:
    """TEXT as literal Markdown (no headings, links, HTML or table breaks)."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def mathtext_safe(text: Any) -> str:
    """TEXT for a matplotlib label: '$' escaped, so it is never mathtext."""
    return one_line(text).replace("$", r"\$")


def rich_text(text: Any) -> Any:
    """TEXT as a rich ``Text`` (never parsed as markup), controls removed."""
    from rich.text import Text

    return Text(terminal(text))
