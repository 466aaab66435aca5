"""Templates and phone numbers, without the database."""

import pytest

from ansinh.messaging.errors import PhoneInvalid, TemplateBraces, TemplateEmpty, TemplateFieldMissing, TemplateFieldUnknown
from ansinh.messaging.phones import phone_international, phone_national
from ansinh.messaging.rendering import DEFAULT_BODIES, money_text, template_check, template_render


def test_vietnamese_mobiles_are_kept_and_converted_per_gateway():
    assert phone_national("0912 345.678") == "0912345678"
    assert phone_international("0912345678") == "84912345678"
    assert phone_national("0387654321") == "0387654321"


@pytest.mark.parametrize("value", ["", None, "912345678", "09123456789", "0212345678", "+6591234567",
                                   "84912345678", "09l2345678", "0012345678"])
def test_anything_else_is_refused(value):
    with pytest.raises(PhoneInvalid) as error:
        phone_national(value)
    assert error.value.message == ("Số điện thoại không phải số di động Việt Nam (10 chữ số, bắt đầu bằng "
                                   "03, 05, 07, 08, 09).")
    assert error.value.details == {"field": "phone"}


def test_a_template_with_an_unknown_or_missing_field_is_refused():
    with pytest.raises(TemplateFieldUnknown) as error:
        template_check("Thẻ của {ho_ten} hết hạn {ngay_het_han}, gọi {so_dien_thoai}")
    assert error.value.message == "Mẫu tin nhắn có trường không được hỗ trợ: so_dien_thoai."
    with pytest.raises(TemplateFieldMissing) as error:
        template_check("Thẻ BHYT của {ho_ten} sắp hết hạn")
    assert error.value.message == "Mẫu tin nhắn thiếu trường bắt buộc {ngay_het_han}."
    with pytest.raises(TemplateBraces):
        template_check("Thẻ hết hạn {ngay_het_han")
    with pytest.raises(TemplateEmpty):
        template_check("   ")
    for body in DEFAULT_BODIES.values():
        template_check(body)


def test_rendering_fills_the_fields_and_refuses_an_empty_value():
    body = "Thẻ BHYT của {ho_ten} hết hạn ngày {ngay_het_han}, lần trước {so_tien}."
    params = {"ho_ten": "Trần Thị Bình", "ngay_het_han": "05/01/2026", "so_tien": money_text(1263600)}
    assert template_render(body, params) == "Thẻ BHYT của Trần Thị Bình hết hạn ngày 05/01/2026, lần trước 1.263.600 đ."
    with pytest.raises(TemplateFieldMissing) as error:
        template_render(body, {**params, "so_tien": money_text(None)})
    assert error.value.message == "Mẫu tin nhắn thiếu trường bắt buộc {so_tien}."
