"""Bad input on the administrator's pages: out-of-range ids, NUL characters, over-long texts and dates far
outside the administrative range are form errors in Vietnamese, never a 500."""

from ansinh.collection.models import CollectionOrg
from ansinh.core.forms import INVALID_CHOICE, NUL_MESSAGE
from ansinh.areas.models import SiOffice

from .test_orgs import admin, agent, communes, org  # noqa: F401  (fixtures)

HUGE_ID = "9223372036854775808"


def test_id_beyond_64_bits_is_an_invalid_choice(admin, agent, communes):  # noqa: F811
    response = admin.post(f"/quan-tri/nhan-vien-thu/{agent.pk}/dia-ban/", {"communes": [HUGE_ID]})
    assert response.status_code == 400
    assert response.context["form"].errors["communes"] == [INVALID_CHOICE]
    response = admin.post("/quan-tri/bhxh-co-so/them/", {"code": "CS01", "name": "BHXH cơ sở",
                                                         "communes": [communes[0].pk, HUGE_ID]})
    assert response.status_code == 400
    assert response.context["form"].errors["communes"] == [INVALID_CHOICE]
    assert not SiOffice.objects.exists()


def test_nul_character_and_too_long_text_in_vietnamese(admin):  # noqa: F811
    response = admin.post("/quan-tri/to-chuc-thu/them/", {"code": "BD\x00CT", "name": "Bưu điện " + "x" * 200,
                                                          "kind": "post_office", "valid_from": "01/07/2025"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["code"] == [NUL_MESSAGE]
    assert errors["name"] == ["Tên dài tối đa 150 ký tự."]
    assert not CollectionOrg.objects.filter(name__startswith="Bưu điện x").exists()
    response = admin.get("/quan-tri/nguoi-dung/", {"vai_tro": "a\x00b"})
    assert response.status_code == 200


def test_base_form_max_length_message_keeps_the_fields_own():
    from django import forms

    from ansinh.core.forms import VietnameseForm

    class F(VietnameseForm):
        a = forms.CharField(max_length=3)
        b = forms.CharField(max_length=3, error_messages={"max_length": "Riêng."})

    form = F({"a": "abcde", "b": "abcd"})
    assert form.errors == {"a": ["Tối đa 3 ký tự (đang có 5)."], "b": ["Riêng."]}
    assert F({"a": "a\x00", "b": "b"}).errors == {"a": [NUL_MESSAGE]}


# --- dates outside 01/01/1900 – 31/12/2100 -------------------------------------------------------------

import datetime  # noqa: E402

import pytest  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.utils import timezone  # noqa: E402

from ansinh.areas.errors_structure import InvalidDate  # noqa: E402
from ansinh.campaigns import errors as campaign_errors  # noqa: E402
from ansinh.campaigns.models import Campaign  # noqa: E402
from ansinh.campaigns.services import campaign_create, shifted_period  # noqa: E402
from ansinh.collection.services_structure import (  # noqa: E402
    VALID_FROM_TOO_LATE, agent_close, collection_org_create)
from ansinh.core.dates import ADMIN_DATE_OUT_OF_RANGE  # noqa: E402
from ansinh.registry import errors as registry_errors  # noqa: E402
from ansinh.registry.models import AssociationUnit  # noqa: E402
from ansinh.registry.services import association_unit_close, association_unit_merge, leader_change  # noqa: E402

D = datetime.date
YEAR_1, YEAR_9999 = D(1, 1, 1), D(9999, 12, 31)


def _quan_tri():
    return User.objects.get(username="quan_tri")


@pytest.mark.parametrize("path, data, field", [
    ("dong/", {"closed_on": "01/01/0001"}, "closed_on"),
    ("sap-nhap/", {"merged_on": "01/01/0001"}, "merged_on"),
    ("nguoi-dung-dau/", {"starts_on": "31/12/9999"}, "starts_on"),
])
def test_unit_dates_of_year_1_or_9999_are_form_errors(small_province, admin, path, data, field):  # noqa: F811
    branch = small_province.branch
    response = admin.post(f"/quan-tri/chi-hoi/{branch.pk}/{path}", data)
    assert response.status_code in (200, 400)
    assert response.context["form"].errors[field] == [ADMIN_DATE_OUT_OF_RANGE]
    branch.refresh_from_db()
    assert branch.closed_on is None


def test_unit_services_refuse_dates_out_of_range(small_province, admin):  # noqa: F811
    user, branch = _quan_tri(), small_province.branch
    other = AssociationUnit.objects.create(kind=branch.kind, code="CH-0009", name="Chi hội khác",
                                           commune=branch.commune)
    with pytest.raises(registry_errors.UnitDateInvalid) as exc:
        association_unit_close(user=user, unit=branch, closed_on=YEAR_1)
    assert (exc.value.message, exc.value.details["field"]) == (ADMIN_DATE_OUT_OF_RANGE, "closed_on")
    with pytest.raises(registry_errors.UnitDateInvalid) as exc:
        association_unit_merge(user=user, source=branch, target=other, merged_on=YEAR_1)
    assert (exc.value.message, exc.value.details["field"]) == (ADMIN_DATE_OUT_OF_RANGE, "merged_on")
    with pytest.raises(registry_errors.UnitDateInvalid) as exc:
        leader_change(user=user, unit=branch, person=small_province.household.members.first().person,
                      starts_on=YEAR_1)
    assert (exc.value.message, exc.value.details["field"]) == (ADMIN_DATE_OUT_OF_RANGE, "starts_on")


def test_campaign_of_year_9999_is_refused_on_page_and_service(small_province, admin):  # noqa: F811
    response = admin.post("/quan-tri/chien-dich/them/", {
        "code": "CD-9999", "name": "Xa", "launch_day": "01/12/9999", "starts_on": "01/12/9999",
        "ends_on": "31/12/9999"})
    assert response.status_code == 400
    assert response.context["form"].errors["starts_on"] == [ADMIN_DATE_OUT_OF_RANGE]
    with pytest.raises(campaign_errors.CampaignInvalid) as exc:
        campaign_create(user=_quan_tri(), code="CD-9999", name="Xa", launch_day=D(9999, 12, 1),
                        starts_on=D(9999, 12, 1), ends_on=YEAR_9999)
    assert (exc.value.message, exc.value.details["field"]) == (ADMIN_DATE_OUT_OF_RANGE, "starts_on")
    assert not Campaign.objects.filter(code="CD-9999").exists()


def test_shifted_period_past_year_9999_is_left_out():
    source = Campaign(starts_on=D(2026, 1, 1), ends_on=D(2026, 12, 31), launch_day=D(2026, 1, 1))
    far = Campaign(starts_on=D(9999, 12, 1), ends_on=YEAR_9999, launch_day=D(9999, 12, 1))
    assert shifted_period(source=source, target_campaign=far, start=D(2026, 3, 1), end=D(2026, 3, 31)) is None


def test_org_valid_from_more_than_a_year_ahead_and_agent_close_of_year_1(admin, agent):  # noqa: F811
    user = _quan_tri()
    response = admin.post("/quan-tri/to-chuc-thu/them/", {"code": "BD99", "name": "Bưu điện 2099",
                                                          "kind": "post_office", "valid_from": "01/01/2099"})
    assert response.status_code == 400
    assert response.context["form"].errors["valid_from"] == [VALID_FROM_TOO_LATE]
    response = admin.post("/quan-tri/to-chuc-thu/them/", {"code": "BD00", "name": "Bưu điện năm 1",
                                                          "kind": "post_office", "valid_from": "01/01/0001"})
    assert response.context["form"].errors["valid_from"] == [ADMIN_DATE_OUT_OF_RANGE]
    with pytest.raises(InvalidDate) as exc:
        collection_org_create(user=user, code="BD99", name="Bưu điện 2099",
                              valid_from=timezone.localdate() + datetime.timedelta(days=400))
    assert (exc.value.message, exc.value.details["field"]) == (VALID_FROM_TOO_LATE, "valid_from")
    with pytest.raises(InvalidDate) as exc:
        agent_close(user=user, agent=agent, closed_on=YEAR_1)
    assert (exc.value.message, exc.value.details["field"]) == (ADMIN_DATE_OUT_OF_RANGE, "closed_on")
    assert not CollectionOrg.objects.filter(code__in=["BD99", "BD00"]).exists()
