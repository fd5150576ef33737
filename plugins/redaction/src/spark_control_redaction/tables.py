"""People in the name columns of a table, and places in its address columns (issue 21,
round 6): a CSV or TSV export and a Markdown table whose header names a column
``first_name``, ``Last Name``, ``Name``, ``City``… Every value of such a column is a
person (or a place), whatever the model makes of a row it reads out of its sentence (as
SQL ``INSERT`` values are, names.sql_insert_names).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spark_control_redaction.entities import LOCATION, PERSON, PHONE, SECRET, Span

# Column names that hold a person's name ("first_name", "Last Name", "Kunde", "Имя").
_NAME_COLUMN = re.compile(
    r"(?i)^(?:(?:full|first|last|given|family|middle|display|contact|customer|client|"
    r"employee|person|owner|author|assignee|reporter|requester|account|card|patient|"
    r"guest|member|user)[ _\-]?name|name|surname|forename|contact|assignee|owner|reporter|"
    r"requester|employee|patient|vorname|nachname|prénom|nom|nombre|apellidos?|nome|"
    r"cognome|imię|nazwisko|имя|фамилия|фио)$"
)
# Columns that hold where someone lives or was born: the values are places.
_PLACE_COLUMN = re.compile(
    r"(?i)^(?:city|town|home ?town|birth ?place|place of birth|address|street|"
    r"street address|ort|stadt|wohnort|ville|ciudad|localidad|città|cidade|miasto|"
    r"město|город|адрес)$"
)
_BARE_NAME = re.compile(r"(?i)^(?:name|nom|nombre|nome|имя)$")
_PERSON_COLUMN = re.compile(
    r"(?i)e-?mail|phone|tel\b|mobile|address|role|title|department|team|company|dob|"
    r"birth|city|country|first|last|given|family|surname|salary|manager"
)
_DELIMITERS = (",", ";", "\t", "|")
# Round 11: a column of phone extensions ("ext", "Durchwahl"): its digits are phone
# numbers of their own, as an extension after a number is.
_EXTENSION_COLUMN = re.compile(
    r"(?i)^(?:ext\.?|extn|extension|phone[ _\-]?ext(?:ension)?|durchwahl|dw|nebenstelle|"
    r"poste|interno|ramal|anexo|wewn\.?|toestel|anknytning|dahili|доб\.?|内線|分机)$"
)
_EXTENSION_CELL = re.compile(r"(?:x\.?|#)?\d{1,6}")
# Round 13: a column of passwords in an export (Chrome, Firefox, Bitwarden, KeePass, a
# user table): every cell is one.
_PASSWORD_COLUMN = re.compile(
    r"(?i)^(?:(?:login|user|account|initial|temp(?:orary)?)[ _\-]?)?(?:password|passwort|"
    r"kennwort|pass|pwd|passwd|mot de passe|contraseña|senha|wachtwoord|hasło|lösenord|"
    r"salasana|пароль|パスワード|密码|비밀번호)$"
)
# A cell that holds no password: a mask, a placeholder, a yes/no flag.
_NOT_A_PASSWORD = re.compile(
    r"(?i)^(?:[*•x.\-_#]+|<[^>]*>|\$\{[^}]*\}|true|false|yes|no|n/?a|none|null)$"
)


def _cells(line: str, delimiter: str) -> list[tuple[int, int]]:
    """The cells of a row as (start, end) within ``line``, quotes and padding trimmed
    (a quoted CSV cell may hold the delimiter)."""
    cells, start, quoted = [], 0, False
    for i, c in enumerate(line):
        if c == '"':
            quoted = not quoted
        elif c == delimiter and not quoted:
            cells.append((start, i))
            start = i + 1
    cells.append((start, len(line)))
    if delimiter == "|":  # "| a | b |": the outer bars open and close the row
        cells = [c for c in cells if line[c[0] : c[1]].strip() or 0 < c[0] < len(line) - 1]
    return [_trim(line, a, b) for a, b in cells]


def _trim(line: str, start: int, end: int) -> tuple[int, int]:
    while start < end and line[start] in " \"'*`":
        start += 1
    while end > start and line[end - 1] in " \"'*`\r":
        end -= 1
    return start, end


def _label(name: str) -> bool:
    """A header cell: one to three words, no digits."""
    return 0 < len(name.split()) <= 3 and len(name) <= 40 and not any(c.isdigit() for c in name)


def _header(line: str) -> tuple[str, list[int], list[int], int] | None:
    """The delimiter, the name and place columns and the width of a header row, if
    ``line`` is one
    (a row of short labels, not a sentence)."""
    if line.rstrip().endswith((".", "!", "?", ":")):
        return None
    for delimiter in _DELIMITERS:
        if delimiter not in line:
            continue
        cells = _cells(line, delimiter)
        names = [line[a:b] for a, b in cells]
        wanted = [i for i, n in enumerate(names) if _NAME_COLUMN.match(n)]
        # A bare "name" column names things too ("name,version"): a person's only beside
        # a column about people.
        if not any(_PERSON_COLUMN.search(n) for n in names):
            wanted = [i for i in wanted if not _BARE_NAME.match(names[i])]
        places = [i for i, n in enumerate(names) if _PLACE_COLUMN.match(n)]
        if (wanted or places) and len(cells) >= 2 and all(_label(n) for n in names):
            return delimiter, wanted, places, len(cells)
    return None


def table_names(text: str) -> Iterator[Span]:
    """Values of the name columns in the rows under a header."""
    if not any(d in text for d in _DELIMITERS):
        return
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    i = 0
    while i < len(lines):
        header = _header(lines[i])
        i += 1
        if header is not None:
            for row in range(i, len(lines)):
                found = _row_names(lines[row], header)
                if found is None:
                    break
                yield from (Span(t, offsets[row] + a, offsets[row] + b) for t, a, b in found)


def _row_names(
    line: str, header: tuple[str, list[int], list[int], int]
) -> list[tuple[str, int, int]] | None:
    """The name and place cells of a data row, or None where the table ends."""
    delimiter, wanted, places, width = header
    if delimiter not in line:
        return None
    if re.fullmatch(r"[\s|:\-+]*", line):  # a Markdown rule "|---|---|"
        return []
    cells = _cells(line, delimiter)
    if len(cells) != width:
        return None
    out = []
    for type_, columns in ((PERSON, wanted), (LOCATION, places)):
        for index in columns:
            a, b = cells[index]
            value = line[a:b]
            if value[:1].isalnum() and "@" not in value and len(value.split()) <= 6:
                out.append((type_, a, b))
    return out


def table_extensions(text: str) -> Iterator[Span]:
    """The cells of an extension column in the rows under its header (round 11)."""
    for start, end, cell in _column_cells(text, _EXTENSION_COLUMN):
        if _EXTENSION_CELL.fullmatch(cell):
            yield Span(PHONE, start, end)


def table_passwords(text: str) -> Iterator[Span]:
    """The cells of a password column in the rows under its header (round 13): a
    password manager's or a user table's CSV export (``login_password``, ``Passwort``)."""
    for start, end, cell in _column_cells(text, _PASSWORD_COLUMN):
        if cell.strip() and not _NOT_A_PASSWORD.match(cell):
            yield Span(SECRET, start, end)


def _column_cells(text: str, column_name: re.Pattern[str]) -> Iterator[tuple[int, int, str]]:
    """Each cell of a column named like ``column_name`` in the rows under its header."""
    if not any(d in text for d in _DELIMITERS):
        return
    lines = text.split("\n")
    offset = 0
    column: tuple[str, int, int] | None = None  # delimiter, index, width
    for line in lines:
        cells = _cells(line, column[0]) if column else []
        if column and column[0] in line and len(cells) == column[2]:
            a, b = cells[column[1]]
            yield offset + a, offset + b, line[a:b]
        elif column is None or not re.fullmatch(r"[\s|:\-+]*", line):
            column = _column_header(line, column_name)
        offset += len(line) + 1


def _column_header(line: str, column_name: re.Pattern[str]) -> tuple[str, int, int] | None:
    for delimiter in _DELIMITERS:
        if delimiter not in line:
            continue
        cells = _cells(line, delimiter)
        names = [line[a:b] for a, b in cells]
        if len(cells) < 2 or not all(_label(n) for n in names):
            continue
        for i, name in enumerate(names):
            if column_name.match(name):
                return delimiter, i, len(cells)
    return None


# Round 14: columns of phone numbers ("Tel", "Mobile", "phone_number", "Handy", "Fax"):
# every phone-shaped cell is a phone, also a national number without its trunk or a
# region the text gives no hint of ("22 41 88 30" under "Tel").
_PHONE_COLUMN = re.compile(
    r"(?i)^(?:(?:work|home|mobile|cell|office|direct|private|business|alt|alternate|"
    r"contact|main|primary|secondary)[ _\-]?)?(?:phone|tel\.?|telephone|telefon|téléphone|"
    r"teléfono|telefone|telefono|mobile|mobil|mobiel|handy|cell|cellphone|mob\.?|fax|gsm|"
    r"whatsapp|puhelin|puh\.?|tlf\.?|tfn\.?|телефон|тел\.?|電話|电话|手机|携帯)"
    r"(?:[ _\-]?(?:number|no\.?|nr\.?|nummer|num|\d))?$"
)
# Round 16b: beside a phone column, a column named only by the line's place ("MOBILE |
# DESK", "Handy | Büro", "Mobile | Home") holds phones too; alone such a name is a room's,
# a seat's or an address's column.
_LINE_PLACE_COLUMN = re.compile(
    r"(?i)^(?:desk|direct|office|landline|home|work|switchboard|festnetz|b[üu]ro|"
    r"privat|fixe|bureau|domicile|fijo|oficina|fisso|ufficio|casa|kantoor|thuis|"
    r"stacjonarny|biuro|dom)(?:[ _\-]?(?:line|number|no\.?|nr\.?))?$"
)
_PHONE_CELL = re.compile(r"\+?[\d (]\d?[\d \t().\-/\u00a0]{4,24}\d")
# Round 16b: a plain-text directory aligned with blanks ("NAME    MOBILE    DESK"): two
# blanks or more part its cells, one blank stays inside a cell ("22 311 40 18").
_ALIGNED = "  "
_ALIGNED_CELL = re.compile(r"\S+(?: \S+)*")


def table_phones(text: str) -> Iterator[Span]:
    """The phone-shaped cells of every phone column in the rows under its header."""
    if not any(d in text for d in (*_DELIMITERS, _ALIGNED)):
        return
    lines = text.split("\n")
    offset = 0
    header: tuple[str, list[int], int] | None = None  # delimiter, columns, width
    for line in lines:
        cells = _phone_cells(line, header[0]) if header else []
        if header and header[0] in line and len(cells) == header[2]:
            for index in header[1]:
                a, b = cells[index]
                cell = line[a:b]
                if _PHONE_CELL.fullmatch(cell) and 6 <= sum(c.isdigit() for c in cell) <= 15:
                    yield Span(PHONE, offset + a, offset + b)
        elif header is None or not re.fullmatch(r"[\s|:\-+]*", line):
            header = _phone_header(line)
        offset += len(line) + 1


def _phone_cells(line: str, delimiter: str) -> list[tuple[int, int]]:
    if delimiter == _ALIGNED:
        return [m.span() for m in _ALIGNED_CELL.finditer(line)]
    return _cells(line, delimiter)


def _phone_header(line: str) -> tuple[str, list[int], int] | None:
    for delimiter in (*_DELIMITERS, _ALIGNED):
        if delimiter not in line:
            continue
        cells = _phone_cells(line, delimiter)
        names = [line[a:b] for a, b in cells]
        if len(cells) < 2 or not all(_label(n) or _PHONE_COLUMN.match(n) for n in names):
            continue
        columns = [i for i, name in enumerate(names) if _PHONE_COLUMN.match(name)]
        if columns:
            columns += [i for i, name in enumerate(names) if _LINE_PLACE_COLUMN.match(name)]
            return delimiter, sorted(columns), len(cells)
    return None
