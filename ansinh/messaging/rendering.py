"""Placeholders of reminder templates: which exist, which are required, and rendering that refuses to send
broken text.

Placeholders: {ho_ten} the card holder's name, {ngay_het_han} the end date (dd/mm/yyyy), {so_tien} the amount
paid last time ("1.263.600 đ"), {so_ngay} days left, {ma_ho} the household code, {loai} the kind of insurance,
{duong_dan_tu_choi} the one-click opt-out link. Every template needs {ngay_het_han}.
"""

import re

from ansinh.core.formatting import format_date, format_number

from .errors import TemplateBraces, TemplateEmpty, TemplateFieldMissing, TemplateFieldUnknown

FIELDS = {
    "ho_ten": "Họ và tên người có thẻ / người tham gia",
    "ngay_het_han": "Ngày hết hạn (dd/mm/yyyy)",
    "so_tien": "Số tiền đã đóng lần trước (ví dụ 1.263.600 đ)",
    "so_ngay": "Số ngày còn lại",
    "ma_ho": "Mã hộ gia đình",
    "loai": "Loại bảo hiểm",
    "duong_dan_tu_choi": "Đường dẫn từ chối nhận tin",
}
REQUIRED = ("ngay_het_han",)
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def template_fields(body: str) -> list[str]:
    """Placeholder names in ``body`` in order. Raises TemplateEmpty, TemplateBraces."""
    if not body or not body.strip():
        raise TemplateEmpty()
    if _PLACEHOLDER.sub("", body).count("{") or _PLACEHOLDER.sub("", body).count("}"):
        raise TemplateBraces()
    return _PLACEHOLDER.findall(body)


def template_check(body: str) -> None:
    """Refuse a template with an unknown or a missing required placeholder. Raises TemplateFieldUnknown,
    TemplateFieldMissing, TemplateBraces, TemplateEmpty."""
    names = template_fields(body)
    for name in names:
        if name not in FIELDS:
            raise TemplateFieldUnknown(name)
    for name in REQUIRED:
        if name not in names:
            raise TemplateFieldMissing(name)


def template_render(body: str, params: dict) -> str:
    """The text with every placeholder filled. Raises the errors of ``template_check``, and
    TemplateFieldMissing when a placeholder has no (or an empty) value."""
    template_check(body)

    def fill(match):
        value = params.get(match.group(1))
        if value in (None, ""):
            raise TemplateFieldMissing(match.group(1))
        return str(value)

    return _PLACEHOLDER.sub(fill, body)


def money_text(amount: int | None) -> str:
    """1.263.600 đ; empty for None (a template using it then fails at send time)."""
    return "" if amount is None else f"{format_number(amount)} đ"


def date_text(day) -> str:
    return format_date(day)


DEFAULT_BODIES = {
    "hi_expiring": ("BHXH thong bao: the BHYT cua {ho_ten} het han ngay {ngay_het_han}. "
                    "Vui long gia han de khong gian doan quyen loi (lan truoc {so_tien}). "
                    "Tu choi nhan tin: tra loi TU CHOI hoac {duong_dan_tu_choi}"),
    "vsi_ending": ("BHXH thong bao: ky dong BHXH tu nguyen cua {ho_ten} het ngay {ngay_het_han}. "
                   "Vui long dong tiep ({so_tien} lan truoc). Tu choi: tra loi TU CHOI hoac {duong_dan_tu_choi}"),
    "hi_lapsed": ("BHXH thong bao: the BHYT cua {ho_ten} da het han ngay {ngay_het_han}. "
                  "Lien he nhan vien thu de gia han. Tu choi: tra loi TU CHOI hoac {duong_dan_tu_choi}"),
    "vsi_lapsed": ("BHXH thong bao: BHXH tu nguyen cua {ho_ten} da het ky dong ngay {ngay_het_han}. "
                   "Lien he nhan vien thu de dong tiep. Tu choi: tra loi TU CHOI hoac {duong_dan_tu_choi}"),
}
"""Used when a province has no template of its own. Without diacritics: an SMS with Vietnamese letters is sent
as Unicode (70 characters a part), so brandname SMS in Vietnam is usually written without them; an officer may
write a template with diacritics on a page."""
