"""Column mapping by header name, with the common Vietnamese variants, and finding the header row.

A header is compared after NFC, tone placement, case, spaces and punctuation are normalised
("HỌ VÀ TÊN", "Họ và tên:", "Họ & tên" all match); then, if nothing matched, without diacritics
("Ho va ten") unless that would be ambiguous ("Nam"/"Năm").
"""

import re
from dataclasses import dataclass, field

from ansinh.core.text import fold, name_key, nfc

from .legacy_text import detect_and_convert

# field -> Vietnamese label (used in messages and in the web mapping step)
FIELDS: dict[str, str] = {
    "full_name": "Họ và tên",
    "family_name": "Họ và chữ đệm",
    "given_name": "Tên",
    "date_of_birth": "Ngày sinh",
    "birth_year": "Năm sinh",
    "dob_male": "Năm sinh (cột Nam)",
    "dob_female": "Năm sinh (cột Nữ)",
    "sex": "Giới tính",
    "citizen_id": "Số CCCD",
    "si_number": "Mã số BHXH",
    "phone": "Số điện thoại",
    "ethnicity": "Dân tộc",
    "address": "Địa chỉ",
    "hamlet": "Ấp",
    "commune": "Xã",
    "district": "Huyện",
    "branch": "Chi hội",
    "savings_group": "Tổ TK&VV",
    "role": "Chức vụ",
    "household_code": "Mã hộ",
    "head_name": "Chủ hộ",
    "relationship": "Quan hệ với chủ hộ",
    "ignore": "(bỏ qua cột này)",
}

ALIASES: dict[str, tuple[str, ...]] = {
    "full_name": ("Họ và tên", "Họ tên", "Họ và tên hội viên", "Họ tên hội viên", "Tên hội viên",
                  "Họ và tên thành viên", "Họ tên thành viên", "Họ và tên người tham gia", "Họ tên người tham gia",
                  "Họ và tên tổ viên", "Họ tên tổ viên", "Họ và tên khai sinh", "Họ và tên người", "Họ và tên đầy đủ"),
    "family_name": ("Họ", "Họ và chữ đệm", "Họ đệm", "Họ và tên đệm", "Họ, chữ đệm", "Họ và đệm"),
    "given_name": ("Tên",),
    "date_of_birth": ("Ngày sinh", "Ngày tháng năm sinh", "Ngày, tháng, năm sinh", "Ngày/tháng/năm sinh",
                      "Sinh ngày", "NS", "Ngày sinh (dd/mm/yyyy)", "Ngày tháng năm sinh (dd/mm/yyyy)"),
    "birth_year": ("Năm sinh",),
    "dob_male": ("Nam",),
    "dob_female": ("Nữ",),
    "sex": ("Giới tính", "Giới", "GT", "Phái", "Nam/Nữ", "Nam Nữ", "Giới tính (Nam/Nữ)"),
    "citizen_id": ("Số CCCD", "CCCD", "Căn cước công dân", "Số căn cước công dân", "Số căn cước", "Căn cước",
                   "Số định danh", "Số định danh cá nhân", "Mã định danh", "Mã định danh cá nhân", "Số ĐDCN",
                   "Số CMND/CCCD", "CMND/CCCD", "Số CCCD/CMND", "CCCD/CMND", "CMND", "Số CMND",
                   "CCCD/ĐDCN", "Số CCCD/ĐDCN", "Số CC", "Số CCCD/Số định danh"),
    "si_number": ("Mã số BHXH", "Mã BHXH", "Số BHXH", "Mã số bảo hiểm xã hội", "Mã số BHXH/BHYT", "Số sổ BHXH",
                  "Mã số sổ BHXH", "Mã số BH"),
    "phone": ("Số điện thoại", "Điện thoại", "SĐT", "Số ĐT", "ĐT", "Di động", "Số di động", "Điện thoại di động",
              "Số điện thoại liên hệ", "ĐT liên hệ"),
    "ethnicity": ("Dân tộc",),
    "address": ("Địa chỉ", "Nơi ở", "Nơi ở hiện nay", "Chỗ ở hiện nay", "Địa chỉ thường trú", "Thường trú",
                "Nơi thường trú", "Nơi cư trú", "Địa chỉ cư trú", "Địa chỉ liên hệ", "Quê quán"),
    "hamlet": ("Ấp", "Ấp/Khu vực", "Ấp, khu vực", "Ấp/KV", "Khu vực", "Thôn", "Thôn/Ấp", "Ấp/Thôn", "Khóm",
               "Ấp/Khóm", "Tên ấp"),
    "commune": ("Xã", "Xã/Phường", "Xã/Phường/Thị trấn", "Xã, phường, thị trấn", "Phường/Xã", "Xã/Thị trấn",
                "Xã/Phường/TT", "Xã, phường", "Phường", "Tên xã", "Đơn vị hành chính cấp xã", "Xã (phường)"),
    "district": ("Huyện", "Quận/Huyện", "Huyện/Thị xã/Thành phố", "Huyện, thị xã, thành phố", "Huyện/TX/TP",
                 "Huyện/Thị xã", "Huyện/TP", "Tên huyện"),
    "branch": ("Chi hội", "Tên chi hội", "Chi hội nông dân", "Chi hội ND", "Thuộc chi hội", "Sinh hoạt chi hội"),
    "savings_group": ("Tổ", "Tổ TK&VV", "Tổ TK và VV", "Tổ TKVV", "Tổ tiết kiệm và vay vốn", "Tổ tiết kiệm vay vốn",
                      "Tên tổ", "Tên tổ TK&VV", "Thuộc tổ", "Tổ vay vốn", "Tổ TK-VV"),
    "role": ("Chức vụ", "Chức danh", "Vai trò", "Chức vụ trong chi hội", "Chức vụ trong tổ"),
    "household_code": ("Mã hộ", "Mã hộ gia đình", "Mã số hộ", "Mã HGĐ", "Mã hộ GĐ", "Số hộ"),
    "head_name": ("Chủ hộ", "Tên chủ hộ", "Họ tên chủ hộ", "Họ và tên chủ hộ", "Là chủ hộ"),
    "relationship": ("Quan hệ với chủ hộ", "Quan hệ", "QH với chủ hộ", "Mối quan hệ", "Quan hệ với CH",
                     "Quan hệ chủ hộ"),
    "ignore": ("STT", "TT", "Số TT", "Số thứ tự", "Ghi chú", "Ký tên", "Ký nhận", "Chữ ký", "Ghi chú khác",
               "Dòng gốc", "Lỗi"),
}

NAME_FIELDS = ("full_name", "given_name")
DOB_FIELDS = ("date_of_birth", "birth_year", "dob_male", "dob_female")
COMMUNE_FIELDS = ("commune", "address")

_PUNCT = re.compile(r"[\s:.*()\[\]&,/\\\-–—_;]+")
_NUMBERING = re.compile(r"^\(?\d{1,2}\)?$")


def _key(text: str) -> str:
    text = text.replace("&", " và ").replace("+", " và ")
    return _PUNCT.sub(" ", name_key(text)).strip()


def _folded(text: str) -> str:
    return fold(_key(text))


_EXACT: dict[str, str] = {}
_FOLDED: dict[str, str | None] = {}
for _field, _names in ALIASES.items():
    for _name in _names:
        _EXACT[_key(_name)] = _field
        _f = _folded(_name)
        _FOLDED[_f] = _field if _FOLDED.get(_f, _field) == _field else None


def header_text(value) -> str:
    """The header cell as text: legacy encodings converted, NFC, spaces collapsed."""
    if value is None:
        return ""
    text = str(value)
    text, _ = detect_and_convert(text)
    return " ".join(nfc(text).split())


def field_for(header: str) -> str | None:
    """The field a header names, "ignore" for known columns we do not use, or None if unknown."""
    if not header:
        return None
    key = _key(header)
    if key in _EXACT:
        return _EXACT[key]
    if (key_no_num := re.sub(r"\s*\d+$", "", key)) in _EXACT and key_no_num:
        return _EXACT[key_no_num]
    return _FOLDED.get(fold(key))


def is_numbering_row(values: list) -> bool:
    """A row under the header that numbers the columns: 1 2 3 ... or (1) (2) (3) or A B C."""
    cells = [v for v in values if v not in (None, "")]
    if len(cells) < 2:
        return False
    return all((isinstance(v, int) and 0 < v < 100) or (isinstance(v, str) and (
        _NUMBERING.match(v.strip()) or (len(v.strip()) == 1 and v.strip().isalpha()))) for v in cells)


@dataclass
class Mapping:
    """Columns of the sheet: index -> field, index -> header text as written, unknown headers."""

    header_row: int
    fields: dict[int, str] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)
    unknown: dict[int, str] = field(default_factory=dict)
    sub_header_row: int | None = None

    def columns_of(self, name: str) -> list[int]:
        return [i for i, f in self.fields.items() if f == name]

    def index_of(self) -> dict[str, int]:
        """field -> its (first) column."""
        out: dict[str, int] = {}
        for i, f in sorted(self.fields.items()):
            out.setdefault(f, i)
        return out

    def has(self, name: str) -> bool:
        return name in self.fields.values()

    def missing_required(self, *, default_commune: bool = False) -> list[str]:
        """Labels of the required fields with no column (name, date of birth, sex, commune)."""
        missing = []
        if not (self.has("full_name") or (self.has("family_name") and self.has("given_name"))):
            missing.append(FIELDS["full_name"])
        if not any(self.has(f) for f in DOB_FIELDS):
            missing.append(FIELDS["date_of_birth"])
        if not (self.has("sex") or (self.has("dob_male") and self.has("dob_female"))):
            missing.append(FIELDS["sex"])
        if not default_commune and not any(self.has(f) for f in COMMUNE_FIELDS):
            missing.append(FIELDS["commune"])
        return missing


def _fields_of(values: list) -> dict[int, tuple[str, str | None]]:
    out = {}
    for index, value in enumerate(values):
        text = header_text(value) if isinstance(value, str) else ""
        if text:
            out[index] = (text, field_for(text))
    return out


def detect_header(rows: list[tuple[int, list]], overrides: dict[str, str] | None = None) -> tuple[Mapping, int]:
    """Find the header among the first rows: the first row naming a person's name column and at least
    one other known column. A row right under it that holds only headers (e.g. "Nam" | "Nữ" under a
    merged "Năm sinh") is merged into it. ``overrides`` maps header text -> field (the mapping step).
    Returns the mapping and how many of ``rows`` it used. Returns (None, 0) when there is no header."""
    overrides = {_key(k): v for k, v in (overrides or {}).items()}

    def resolve(text: str, guess: str | None) -> str | None:
        return overrides.get(_key(text), guess)

    for position, (row_number, values) in enumerate(rows):
        found = {i: (text, resolve(text, guess)) for i, (text, guess) in _fields_of(values).items()}
        known = [f for _, f in found.values() if f and f != "ignore"]
        has_name = any(f in NAME_FIELDS for f in known)
        if not has_name or len(set(known)) < 2:
            continue
        mapping = Mapping(header_row=row_number)
        used = position + 1
        if position + 1 < len(rows):
            sub_number, sub_values = rows[position + 1]
            sub = {i: (text, resolve(text, guess)) for i, (text, guess) in _fields_of(sub_values).items()}
            non_empty = [v for v in sub_values if v not in (None, "")]
            if sub and all(f for _, f in sub.values()) and len(sub) == len(non_empty):
                for i, (text, f) in sub.items():
                    found[i] = (text, f)
                mapping.sub_header_row = sub_number
                used += 1
        for i, (text, f) in sorted(found.items()):
            if f is None:
                mapping.unknown[i] = text
                mapping.labels[i] = text
            elif f != "ignore" and f not in mapping.fields.values():
                mapping.fields[i] = f
                mapping.labels[i] = text
            else:
                mapping.labels[i] = text
        # "Nam"/"Nữ" columns are birth years by sex only as a pair; alone, "Nam" is not a field.
        if mapping.has("dob_male") != mapping.has("dob_female"):
            for i in [i for i, f in mapping.fields.items() if f in ("dob_male", "dob_female")]:
                mapping.unknown[i] = mapping.labels[i]
                del mapping.fields[i]
        return mapping, used
    return None, 0
