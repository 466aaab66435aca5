"""The progress, leaders, live board, targets and reminders pages through the test client."""

import io

import pytest
from openpyxl import load_workbook

from ansinh.campaigns.models import Target
from ansinh.campaigns.xlsx import XLSX_TYPE
from ansinh.testing.province import PASSWORD


@pytest.fixture
def officer(data, client):
    client.login(username="bhxh_tinh", password=PASSWORD)
    return client


def test_progress_page_per_district_with_drill_down_and_chart(officer, small_province):
    response = officer.get("/tien-do/", {"on": "2024-12-31"})
    body = response.content.decode()
    assert response.status_code == 200
    assert small_province.district.name in body and "BHXH TN mới" in body
    assert f"within={small_province.district.pk}" in body  # drill-down link
    assert "vendor/chartjs/chart.umd.min.js" in body and "cdn" not in body.lower()
    assert response.context["report"].total_cells()[0].achieved == 3


def test_progress_page_commune_level_on_the_new_map_and_agents(officer, small_province):
    response = officer.get("/tien-do/", {"on": "2024-12-31", "by": "commune", "map": "new"})
    assert response.status_code == 200 and response.context["report"].map == "new"
    response = officer.get("/tien-do/", {"on": "2024-12-31", "by": "agent", "within": small_province.commune.pk,
                                         "map": "old"})
    assert [g.code for g in response.context["report"].groups] == ["NVT001"]


def test_progress_page_explains_a_level_the_map_lacks(officer):
    response = officer.get("/tien-do/", {"by": "district", "map": "new"})
    assert "không còn cấp huyện" in response.content.decode()


def test_progress_excel_export(officer):
    response = officer.get("/tien-do/", {"on": "2024-12-31", "xlsx": "1"})
    assert response["Content-Type"] == XLSX_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A3"].value == "Mã đơn vị" and sheet.max_row == 3 + 8 * 8 + 8


@pytest.mark.parametrize("url", ["/tien-do/theo-ngay/", "/tien-do/can-bo/", "/chi-tieu/"])
def test_every_table_exports_to_excel(officer, url):
    page = officer.get(url, {"on": "2024-12-31"})
    assert page.status_code == 200 and "Tải Excel" in page.content.decode()
    export = officer.get(url, {"on": "2024-12-31", "xlsx": "1"})
    assert export["Content-Type"] == XLSX_TYPE


def test_live_board_polls_every_ten_seconds(officer):
    page = officer.get("/tien-do/ra-quan/", {"day": "2024-05-20"})
    body = page.content.decode()
    assert 'hx-trigger="every 10s"' in body and "/tien-do/ra-quan/bang/" in body
    assert page.context["total"][1].achieved == 3  # HI sign-ups on launch day
    board = officer.get("/tien-do/ra-quan/bang/", {"day": "2024-05-20"}, HTTP_HX_REQUEST="true")
    assert board.status_code == 200 and 'id="live-board"' in board.content.decode()
    assert "<html" not in board.content.decode()


def test_targets_form_creates_with_htmx_and_shows_errors(officer, small_province, data):
    url = f"/chi-tieu/them/?campaign={data.campaign.code}"
    form = {"indicator": "vsi_new", "unit_kind": "area", "area": small_province.district.pk,
            "period_start": "2024-06-01", "period_end": "2024-06-30", "goal": "-5"}
    bad = officer.post(url, form, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422 and "Chỉ tiêu không được là số âm." in bad.content.decode()
    good = officer.post(url, {**form, "goal": "200"}, HTTP_HX_REQUEST="true")
    assert good.status_code == 204 and good["HX-Redirect"].startswith("/chi-tieu/")
    target = Target.objects.get(period_start="2024-06-01")
    assert (target.goal, target.goal_kind) == (200, "count")
    edit = officer.post(f"/chi-tieu/{target.pk}/sua/", {**form, "goal": "150"})
    assert edit.status_code == 302
    target.refresh_from_db()
    assert target.goal == 150


def test_a_district_officer_cannot_target_another_district(data, small_province, client):
    client.login(username="bhxh_huyen", password=PASSWORD)
    page = client.get("/chi-tieu/them/")
    assert small_province.other_district.name not in page.content.decode()


def test_an_agent_sees_reminders_but_not_progress(data, client):
    client.login(username="thu_1", password=PASSWORD)
    assert client.get("/tien-do/").status_code == 403
    page = client.get("/viec-can-lam/", {"on": "2025-06-10"})
    assert page.status_code == 200 and "HG-0001" in page.content.decode()
    export = client.get("/viec-can-lam/", {"on": "2025-06-10", "xlsx": "1"})
    assert export["Content-Type"] == XLSX_TYPE


def test_bad_progress_controls_are_named_not_silently_ignored(client, small_province):
    client.force_login(small_province.users["bhxh_tinh"])
    from ansinh.campaigns.tests.factories import campaign_make

    campaign_make(small_province.province)
    response = client.get("/tien-do/", {"by": "foo", "on": "2024-99-99", "map": "xyz"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Đã bỏ qua tham số không hợp lệ: " in text
    assert "Xem theo:" in text and "Tính đến ngày:" in text and "Bản đồ:" in text
