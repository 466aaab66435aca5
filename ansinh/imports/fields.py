"""Checking and repairing one cell: text, names, dates, sex, citizen ID, SI number, phone, roles.

Each ``parse_*`` returns the clean value, or raises ``FieldProblem(code, value, **details)``; the
codes and their Vietnamese messages are in ``errors.ROW_MESSAGES``.
"""

import datetime
import re
from functools import cache

from ansinh.core.text import collapse_spaces, control_chars_strip, fold, name_key, name_normalise, nfc
from ansinh.registry.models import Relationship, Sex

from .legacy_text import detect_and_convert

EXCEL_EPOCH = datetime.date(1899, 12, 30)
EARLIEST_BIRTH = datetime.date(1900, 1, 1)


class FieldProblem(Exception):
    def __init__(self, code: str, value="", **details):
        super().__init__(code)
        self.code = code
        self.value = value
        self.details = details


def clean_text(value) -> str:
    """A cell as text: control characters (NUL…) removed, legacy TCVN3/VNI converted, NFC, spaces
    collapsed; "" for an empty cell.
    Numbers that are whole print without ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M") if value.time() != datetime.time() else value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    text = control_chars_strip(str(value))  # a NUL or other control character in a cell is dropped
    if not text.isascii():
        text, _ = detect_and_convert(text)
        text = nfc(text)
    return collapse_spaces(text)


def display(value) -> str:
    """How a raw cell is quoted in a message."""
    text = clean_text(value)
    return text if len(text) <= 60 else text[:57] + "…"


# --- names ----------------------------------------------------------------------------------------

_NAME_OK = re.compile(r"^[^\W\d_]+(?:[ '\-.][^\W\d_]+)*$")


def parse_name(value) -> str:
    text = clean_text(value)
    if not text:
        raise FieldProblem("required")
    name = name_normalise(text)
    if len(name) > 100 or len(name) < 2 or not _NAME_OK.match(name):
        raise FieldProblem("name_invalid", display(value))
    return name


# --- dates ----------------------------------------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_YEAR = re.compile(r"^(\d{4})$")
_MY = re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{4})$")


def _check_range(day: datetime.date, value, today: datetime.date) -> datetime.date:
    if day < EARLIEST_BIRTH or day > today:
        raise FieldProblem("date_out_of_range", display(value))
    return day


def parse_date(value, *, today: datetime.date) -> tuple[datetime.date, bool]:
    """A date of birth from a date cell, an Excel serial number, "dd/mm/yyyy" (also - or .),
    "yyyy-mm-dd", "dd/mm/yy" or a year alone. Returns (date, year_only); a year alone gives 1 January
    of that year. A whole number from 1900 to this year is a year, any other an Excel serial."""
    if value is None or value == "":
        raise FieldProblem("required")
    if isinstance(value, datetime.datetime):
        return _check_range(value.date(), value, today), False
    if isinstance(value, datetime.date):
        return _check_range(value, value, today), False
    if isinstance(value, bool):
        raise FieldProblem("date_invalid", display(value))
    if isinstance(value, (int, float)):
        return _from_number(value, value, today)
    text = clean_text(value)
    text = re.sub(r"^(ngày|ngay|sinh ngày|năm|nam)\s+", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\s+(tháng|thang)\s+", "/", re.sub(r"\s+(năm|nam)\s+", "/", text, flags=re.I), flags=re.I)
    if m := _DMY.match(text):
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
        if len(year) == 2:
            yy = int(year)
            year = 2000 + yy if 2000 + yy <= today.year else 1900 + yy
        return _make(int(year), month, day, value, today), False
    if m := _YMD.match(text):
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), value, today), False
    if _YEAR.match(text):
        return _from_number(int(text), value, today)
    if m := _MY.match(text):
        return _make(int(m.group(2)), int(m.group(1)), 1, value, today), True
    if re.fullmatch(r"\d+(\.0+)?", text):
        return _from_number(float(text), value, today)
    raise FieldProblem("date_invalid", display(value))


def _from_number(number, value, today) -> tuple[datetime.date, bool]:
    if isinstance(number, float) and not number.is_integer():
        number = int(number)  # a serial with a time of day
    number = int(number)
    if 1900 <= number <= today.year:
        return datetime.date(number, 1, 1), True
    if 1 <= number < 2958466:
        days = number + 1 if number < 61 else number  # Excel counts a 29/02/1900 that never was
        return _check_range(EXCEL_EPOCH + datetime.timedelta(days=days), value, today), False
    raise FieldProblem("date_out_of_range" if number > 0 else "date_invalid", display(value))


def _make(year: int, month: int, day: int, value, today) -> datetime.date:
    try:
        moment = datetime.date(year, month, day)
    except ValueError:
        raise FieldProblem("date_invalid", display(value)) from None
    return _check_range(moment, value, today)


# --- sex ------------------------------------------------------------------------------------------

_SEX = {"nam": Sex.MALE, "male": Sex.MALE, "m": Sex.MALE, "trai": Sex.MALE,
        "nu": Sex.FEMALE, "female": Sex.FEMALE, "f": Sex.FEMALE, "gai": Sex.FEMALE}


def parse_sex(value) -> str:
    text = clean_text(value)
    if not text:
        raise FieldProblem("required")
    sex = _SEX.get(fold(text))
    if sex is None:
        raise FieldProblem("sex_invalid", display(value))
    return sex


# --- identifiers ----------------------------------------------------------------------------------

@cache
def province_codes() -> frozenset[str]:
    """3-digit codes of the province of birth registration that open a citizen ID: the 63 province
    codes of the map before 2025 (the 34 new provinces kept codes from this list)."""
    from vietnam_provinces import legacy

    return frozenset(f"{int(p.code):03d}" for p in legacy.Province.iter_all())


_SEPARATORS = re.compile(r"[\s.\-_'’‘`]")


def _digits(value) -> tuple[str, bool]:
    """The digits of an identifier cell and whether it came as a number (so leading zeros were lost)."""
    if isinstance(value, bool):
        return str(value), False
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, float):
        return (str(int(value)), True) if value.is_integer() else (str(value), False)
    text = clean_text(value).replace(",", ".")
    if re.fullmatch(r"\d+(\.\d+)?[eE]\+?\d+", text):  # 9.3080000001E+10 from a CSV
        number = float(text)
        if number.is_integer():
            return str(int(number)), True
    text = _SEPARATORS.sub("", text) if not re.fullmatch(r"\d+\.0+", text) else text
    if re.fullmatch(r"\d+\.0+", text):
        return text.split(".")[0], True
    return text, False


def parse_citizen_id(value) -> str:
    """12 digits, with leading zeros restored when the spreadsheet stored the ID as a number (or as
    text of 10-11 digits: every province code starts with 0). Format and province code only; the
    century/sex and year digits are checked against the person by ``check_citizen_id``."""
    if type(value) is str and len(value) == 12 and value.isascii() and value.isdigit():  # the usual cell
        if value[:3] not in province_codes():
            raise FieldProblem("citizen_id_province", value, other=value[:3])
        return value
    digits, _ = _digits(value)
    if not digits:
        raise FieldProblem("required")
    if not digits.isdigit():
        raise FieldProblem("citizen_id_format", display(value))
    if 10 <= len(digits) < 12:
        digits = digits.zfill(12)
    if len(digits) != 12:
        raise FieldProblem("citizen_id_format", display(value))
    if digits[:3] not in province_codes():
        raise FieldProblem("citizen_id_province", display(value), other=digits[:3])
    return digits


def check_citizen_id(citizen_id: str, *, sex: str, born: datetime.date, year_only: bool, raw) -> list[FieldProblem]:
    """The century/sex digit (0/1: 1900s male/female, 2/3: 2000s, 4/5: 2100s...) and the two year
    digits must agree with the person's sex and year of birth."""
    problems = []
    digit = int(citizen_id[3])
    id_sex = Sex.MALE if digit % 2 == 0 else Sex.FEMALE
    if id_sex != sex:
        problems.append(FieldProblem("citizen_id_sex", display(raw), other=citizen_id[3],
                                     sex="Nam" if sex == Sex.MALE else "Nữ"))
    id_year = 1900 + 100 * (digit // 2) + int(citizen_id[4:6])
    if id_year != born.year:
        problems.append(FieldProblem("citizen_id_year", display(raw), other=str(id_year), year=str(born.year)))
    return problems


_HI_CARD = re.compile(r"^[A-Z]{2}\d{3}(\d{10})$")


def parse_si_number(value) -> str:
    """10 digits (leading zeros restored for a number cell of 8-9 digits); a 15-character HI card
    code (e.g. GD4939312345678) gives its last 10 digits."""
    digits, numeric = _digits(value)
    if not digits:
        raise FieldProblem("required")
    if m := _HI_CARD.match(digits.upper()):
        return m.group(1)
    if not digits.isdigit():
        raise FieldProblem("si_number_format", display(value))
    if numeric and 8 <= len(digits) < 10:
        digits = digits.zfill(10)
    if len(digits) != 10:
        raise FieldProblem("si_number_format", display(value))
    return digits


# Old 11-digit mobile prefixes and their 10-digit replacements (changed from 15/09/2018 to 2019).
OLD_MOBILE_PREFIXES = {
    "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
    "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
    "0162": "032", "0163": "033", "0164": "034", "0165": "035", "0166": "036", "0167": "037", "0168": "038",
    "0169": "039", "0186": "056", "0188": "058", "0199": "059",
}
MOBILE_PREFIXES = frozenset({
    "032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098",  # Viettel
    "070", "076", "077", "078", "079", "089", "090", "093",  # MobiFone
    "081", "082", "083", "084", "085", "088", "091", "094",  # VinaPhone
    "052", "056", "058", "092",  # Vietnamobile
    "059", "099",  # Gmobile
    "087",  # Itelecom
    "055",  # Reddi
})


def parse_phone(value) -> str:
    """A mobile number in today's 10-digit form: spaces, dots, "+84"/"84" removed, a lost leading 0
    restored, an old 11-digit prefix (0168...) converted."""
    if type(value) is str and len(value) == 10 and value[0] == "0" and value.isascii() and value.isdigit():
        if value[:3] not in MOBILE_PREFIXES:  # the usual cell: today's 10 digits
            raise FieldProblem("phone_invalid", value)
        return value
    digits, numeric = _digits(value)
    digits = re.sub(r"[()+/]", "", digits)
    if not digits:
        raise FieldProblem("required")
    if not digits.isdigit():
        raise FieldProblem("phone_invalid", display(value))
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    elif len(digits) in (9, 10) and not digits.startswith("0"):
        digits = "0" + digits
    if len(digits) == 11 and digits[:4] in OLD_MOBILE_PREFIXES:
        digits = OLD_MOBILE_PREFIXES[digits[:4]] + digits[4:]
    if len(digits) != 10 or digits[:3] not in MOBILE_PREFIXES:
        raise FieldProblem("phone_invalid", display(value))
    return digits


# --- membership and household ----------------------------------------------------------------------

_LEADER_WORDS = ("truong", "cht", "tt", "leader")


def parse_role(value) -> str | None:
    """"branch", "group" or "any" when the cell names a head (Chi hội trưởng, Tổ trưởng, Trưởng, CHT,
    TT), None for a member or an empty cell. A deputy (phó) is a member."""
    text = fold(clean_text(value))
    if not text or "pho" in text.split():
        return None
    words = text.replace(".", " ").split()
    if not any(w in _LEADER_WORDS for w in words):
        return None
    if "chi hoi" in text or "cht" in words or "ch" in words:
        return "branch"
    if text.startswith("to") or "tt" in words or "to" in words:
        return "group"
    return "any"


_RELATIONSHIPS = {
    "chu ho": Relationship.HEAD, "ch": Relationship.HEAD, "ban than": Relationship.HEAD, "chu": Relationship.HEAD,
    "vo": Relationship.SPOUSE, "chong": Relationship.SPOUSE, "vo chong": Relationship.SPOUSE,
    "con": Relationship.CHILD, "con trai": Relationship.CHILD, "con gai": Relationship.CHILD,
    "con de": Relationship.CHILD, "con nuoi": Relationship.CHILD, "con dau": Relationship.OTHER,
    "con re": Relationship.OTHER,
    "cha": Relationship.PARENT, "me": Relationship.PARENT, "bo": Relationship.PARENT, "ba": Relationship.PARENT,
    "cha me": Relationship.PARENT, "bo me": Relationship.PARENT,
    "chau": Relationship.GRANDCHILD, "chau noi": Relationship.GRANDCHILD, "chau ngoai": Relationship.GRANDCHILD,
    "anh": Relationship.SIBLING, "chi": Relationship.SIBLING, "em": Relationship.SIBLING,
    "anh trai": Relationship.SIBLING, "chi gai": Relationship.SIBLING, "em trai": Relationship.SIBLING,
    "em gai": Relationship.SIBLING, "anh chi em": Relationship.SIBLING,
    "khac": Relationship.OTHER, "ong": Relationship.OTHER, "ba noi": Relationship.OTHER,
    "ba ngoai": Relationship.OTHER, "ong noi": Relationship.OTHER, "ong ngoai": Relationship.OTHER,
    "co": Relationship.OTHER, "di": Relationship.OTHER, "chu ruot": Relationship.OTHER, "bac": Relationship.OTHER,
    "cau": Relationship.OTHER, "thim": Relationship.OTHER, "mo": Relationship.OTHER,
}


# Where folding would confuse two words: "bà" (grandmother) and "ba" (father, in the South).
_RELATIONSHIPS_ACCENTED = {"bà": Relationship.OTHER, "bà nội": Relationship.OTHER, "bà ngoại": Relationship.OTHER,
                           "ba": Relationship.PARENT, "má": Relationship.PARENT, "mợ": Relationship.OTHER}


def parse_relationship(value) -> str | None:
    raw = clean_text(value)
    text = fold(raw)
    if not text:
        return None
    if (accented := name_key(raw)) in _RELATIONSHIPS_ACCENTED:
        return _RELATIONSHIPS_ACCENTED[accented]
    if text in _RELATIONSHIPS:
        return _RELATIONSHIPS[text]
    raise FieldProblem("relationship_invalid", display(value))


_YES = {"x", "co", "1", "yes", "v", "true", "chu ho", "ch", "la chu ho", "✓", "✔"}


def is_head_marker(value, *, full_name: str) -> bool:
    """The "Chủ hộ" cell marks this person as head: x / có / 1 / ✓, or the person's own name."""
    text = clean_text(value)
    if not text:
        return False
    folded = fold(text)
    return folded in _YES or folded == fold(full_name)


def is_ethnic_minority(value) -> bool | None:
    text = fold(clean_text(value))
    if not text:
        return None
    return text not in ("kinh", "viet", "nguoi kinh", "dan toc kinh")


def name_reconcile(registry: str, row: str) -> tuple[str, bool]:
    """Compare a registry name with the name on a row of the same person: ``(name to keep, conflict)``.

    Word by word, when the names are the same without diacritics and case: a word the row writes without
    diacritics never replaces the registry's ("Pham Van Hung" leaves "Phạm Văn Hùng" as it is); a word the
    registry has without diacritics takes the row's ("Pham Van Hung" in the registry becomes "Phạm Văn Hùng":
    an improvement); two different sets of diacritics ("Hùng" and "Hưng") are a conflict, as is any name
    that differs beyond diacritics and case. Tone placement and case alone are not a change."""
    from ansinh.core.text import strip_diacritics

    if name_key(registry) == name_key(row):
        return registry, False
    if fold(registry) != fold(row):
        return registry, True
    words_registry, words_row = registry.split(" "), row.split(" ")
    if len(words_registry) != len(words_row):
        return registry, True
    kept = []
    for old, new in zip(words_registry, words_row, strict=True):
        if name_key(old) == name_key(new) or strip_diacritics(new) == new:
            kept.append(old)
        elif strip_diacritics(old) == old:
            kept.append(new)
        else:
            return registry, True
    return " ".join(kept), False
