"""The parameter pages: list and history visible to all, adding a value for si_officers only."""

import datetime
import html
import re

import pytest

from ansinh.parameters.models import ParameterValue
from ansinh.rules import default_parameters
from ansinh.testing.admin import province_admin_make
from ansinh.testing.province import PASSWORD

BASE = "common.base_salary"
ADD_URL = f"/tham-so/{BASE}/them/"


def text(response) -> str:
    """The page as text: tags removed, entities decoded, spaces collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def vnd(amount: int) -> str:
    return f"{amount:,} đ".replace(",", ".")


def base_values():
    return default_parameters().parameter(BASE).values


def next_start() -> datetime.date:
    last = base_values()[-1].start
    return last.replace(year=last.year + 1)


def post_data(**overrides) -> dict:
    data = {"start": f"{next_start():%d/%m/%Y}", "value": "2.800.000", "reference_document": "Decree 1/2027/NĐ-CP",
            "reference_article": "Art 3", "reference_link": "", "reference_note": "", "confidence": "reported",
            "note": ""}
    data.update(overrides)
    return data


CONFIDENCE_VI = {"published": "Theo văn bản chính thức", "second-hand": "Theo nguồn nhắc lại văn bản",
                 "reported": "Chờ văn bản chính thức"}


def test_the_list_groups_parameters_by_namespace_with_the_base_salary_history_and_confidence(client, db):
    response = client.get("/tham-so/")
    assert response.status_code == 200
    page = response.content.decode()
    for heading in ("Tham số chung", "BHXH tự nguyện", "BHYT hộ gia đình"):
        assert f"<h2>{heading}</h2>" in page
    row = re.search(r'<tr id="p-common\.base_salary">(.*?)</tr>', page, re.S).group(1)
    row_text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", row))).replace(" :", ":")
    for dated in base_values():
        assert f"{dated.start:%d/%m/%Y}: {vnd(dated.value)} {CONFIDENCE_VI[dated.confidence]}" in row_text
    assert "Lương cơ sở" in row_text


def test_the_detail_page_shows_every_dated_value_with_reference_confidence_and_origin(client, db):
    response = client.get(f"/tham-so/{BASE}/")
    assert response.status_code == 200
    page = text(response)
    for dated in base_values():
        assert f"{dated.start:%d/%m/%Y} " in page
        assert vnd(dated.value) in page
        assert dated.reference.document in page
    assert page.count("Tệp dữ liệu") == len(base_values())
    assert all(CONFIDENCE_VI[kind] in page for kind in ("published", "second-hand", "reported"))
    assert "Thêm giá trị mới" not in page  # no permission: no button
    assert "common.base_salary" not in page  # a citizen sees no code
    assert "Lương cơ sở (đồng/tháng): căn cứ tính mức đóng BHYT hộ gia đình" in page


def test_an_unknown_parameter_page_is_a_404(client, db):
    assert client.get("/tham-so/common.no_such/").status_code == 404


def test_signing_in_is_needed_to_add_a_value(client, db):
    response = client.get(ADD_URL)
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


@pytest.mark.parametrize("username", ["thu_1", "hoi_tinh"])
def test_a_collection_agent_or_association_officer_cannot_add_a_value(client, users, username):
    client.force_login(users[username])
    assert client.get(ADD_URL).status_code == 403
    assert client.post(ADD_URL, post_data()).status_code == 403
    assert ParameterValue.objects.count() == 0


def test_the_collection_agent_of_the_small_province_gets_403(client, small_province):
    client.login(username="thu_1", password=PASSWORD)
    response = client.post(ADD_URL, post_data())
    assert response.status_code == 403
    assert "Bạn không có quyền thực hiện thao tác này." in text(response)
    assert ParameterValue.objects.count() == 0


def test_the_province_admin_adds_the_next_base_salary_through_the_page(client, small_province):
    officer = province_admin_make("quan_tri")
    client.login(username="quan_tri", password=PASSWORD)
    assert "Thêm giá trị mới" in text(client.get(f"/tham-so/{BASE}/"))
    form = client.get(ADD_URL)
    assert form.status_code == 200
    assert f"Ngày áp dụng phải sau ngày {base_values()[-1].start:%d/%m/%Y}" in text(form)
    response = client.post(ADD_URL, post_data(reference_link="https://example.vn/nd-1-2027"))
    assert response.status_code == 302 and response["Location"] == f"/tham-so/{BASE}/"
    record = ParameterValue.objects.get()
    assert (record.name, record.start, record.value_json) == (BASE, next_start(), "2800000")
    assert record.created_by == officer
    page = text(client.get(response["Location"]))
    assert f"Đã thêm giá trị mới của «Lương cơ sở», áp dụng từ ngày {next_start():%d/%m/%Y}." in page
    assert "Bổ sung qua giao diện" in page
    local = record.created_at.astimezone(datetime.timezone(datetime.timedelta(hours=7)))
    assert f"bởi quan_tri, lúc {local:%H:%M} ngày {local:%d/%m/%Y}" in page
    assert vnd(2_800_000) in page
    # anonymous visitors see when, not who
    client.logout()
    anonymous = text(client.get(f"/tham-so/{BASE}/"))
    assert f"lúc {local:%H:%M} ngày {local:%d/%m/%Y}" in anonymous and "quan_tri" not in anonymous


def field_errors(response, name: str) -> str:
    """The error text shown next to field `name` of the add form."""
    match = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', response.content.decode(), re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"start": "{last}"}, "start", "Ngày áp dụng phải sau ngày bắt đầu của giá trị gần nhất ({last})."),
    ({"start": "01/01/2020"}, "start", "Ngày áp dụng phải sau ngày bắt đầu của giá trị gần nhất ({last})."),
    ({"value": "-2.800.000"}, "value", "Giá trị không được âm."),
    ({"value": "abc"}, "value", "Giá trị không hợp lệ: cần một số tiền nguyên không âm (đồng), ví dụ 2.530.000."),
    ({"reference_document": ""}, "reference_document", "Vui lòng nhập văn bản căn cứ (số hiệu văn bản pháp lý)."),
    ({"start": "31/02/2027"}, "start", "Ngày không hợp lệ (dd/mm/yyyy)."),
])
def test_an_invalid_addition_is_refused_with_its_message_next_to_the_field(client, users, overrides, field, message):
    last = f"{base_values()[-1].start:%d/%m/%Y}"
    client.force_login(users["quan_tri"])
    data = post_data(**{k: v.format(last=last) for k, v in overrides.items()})
    response = client.post(ADD_URL, data)
    assert response.status_code == 400
    assert field_errors(response, field) == message.format(last=last)
    assert ParameterValue.objects.count() == 0


def test_adding_to_an_unknown_parameter_is_a_404_with_the_message(client, users):
    client.force_login(users["quan_tri"])
    response = client.post("/tham-so/common.base_salery/them/", post_data())
    assert response.status_code == 404
    assert ParameterValue.objects.count() == 0


def test_a_family_member_is_reached_from_its_family_and_added(client, users):
    client.force_login(users["quan_tri"])
    family = next(f for f in default_parameters().families() if f["name"] == "vsi.local_support")
    assert family["label"] in text(client.get("/tham-so/"))
    response = client.get("/tham-so/vsi.local_support/them/?key=92")
    assert response.status_code == 302 and response["Location"] == "/tham-so/vsi.local_support.92/them/"
    assert client.get("/tham-so/vsi.local_support/them/?key=../x").status_code == 404
    response = client.post("/tham-so/vsi.local_support.92/them/",
                           post_data(start="01/01/2027", value='{"poor": 10, "near_poor": 5}'))
    assert response.status_code == 302
    page = text(client.get("/tham-so/"))
    assert "Hộ nghèo: 10%" in page


def test_there_is_no_way_to_edit_or_delete_a_value(client, users):
    client.force_login(users["quan_tri"])
    client.post(ADD_URL, post_data())
    record = ParameterValue.objects.get()
    for url in (f"/tham-so/{BASE}/{record.pk}/", f"/tham-so/{BASE}/sua/", f"/tham-so/{BASE}/xoa/"):
        assert client.post(url, {"value": "1"}).status_code in (404, 405)
    assert ParameterValue.objects.get().value_json == "2800000"


def test_a_large_change_is_confirmed_on_the_page_with_its_reason(client, users):
    client.force_login(users["quan_tri"])
    last = base_values()[-1].value
    response = client.post(ADD_URL, post_data(value=str(last // 10)))
    assert response.status_code == 400
    page = text(response)
    assert "Giá trị mới thay đổi 90% so với giá trị gần nhất" in page
    assert "Lý do thay đổi lớn" in page and "Xác nhận thay đổi và thêm giá trị" in page
    assert not ParameterValue.objects.exists()
    response = client.post(ADD_URL, post_data(value=str(last // 10), change_reason="Nghị định mới (thử)"))
    assert response.status_code == 302
    assert ParameterValue.objects.get().change_reason == "Nghị định mới (thử)"
    assert "Lý do thay đổi lớn: Nghị định mới (thử)" in text(client.get(f"/tham-so/{BASE}/"))


def test_the_reason_field_is_not_shown_for_an_ordinary_value(client, users):
    client.force_login(users["quan_tri"])
    assert "Lý do thay đổi lớn" not in text(client.get(ADD_URL))


def test_codes_are_named_in_vietnamese_on_the_pages(client, db):
    page = text(client.get("/tham-so/common.health_insurance_law/"))
    assert "Luật BHYT sửa đổi 2024 (Luật 51/2024/QH15)" in page
    assert "law_51_2024" not in page
    listing = text(client.get("/tham-so/"))
    assert "law_51_2024" not in listing and "law_58_2014" not in listing
    assert "common.base_salary" not in listing and "vsi.income_floor" not in listing
    assert "theo Chuẩn hộ nghèo khu vực nông thôn" in listing  # vsi.income_floor is an alias


def test_signed_in_staff_find_the_code_and_english_notes_folded_away(client, small_province):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.filter(ansinh_role__role="si_officer").first())
    page = client.get(f"/tham-so/{BASE}/").content.decode()
    assert "<summary>Mã và ghi chú cho người bảo trì (tiếng Anh)</summary>" in page
    assert f"<code>{BASE}</code>" in page


def test_a_district_si_officer_cannot_open_nor_post_the_contribution_rate_form(client, small_province):
    client.login(username="bhxh_huyen", password=PASSWORD)
    url = "/tham-so/vsi.contribution_rate/them/"
    for response in (client.get(url), client.post(url, post_data(value="23"))):
        assert response.status_code == 403
        assert ("Tham số pháp lý áp dụng cho cả nước: chỉ quản trị tỉnh mới được thêm giá trị mới (cán bộ cấp "
                "huyện, xã không được thêm).") in text(response)
    assert "Thêm giá trị mới" not in text(client.get("/tham-so/vsi.contribution_rate/"))
    assert ParameterValue.objects.count() == 0
