"""Reference endpoints: units of both maps with validity dates, the old -> new mapping, parameters in force."""

import pytest

from ansinh.areas.models import AdministrativeUnit, UnitMapping

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, small_province):
    client.force_login(small_province.users["bhxh_tinh"])
    return client


def test_old_districts_with_their_end_date(officer):
    body = officer.get("/api/v1/reference/units", {"map": "old", "level": "district"}).json()
    assert body["count"] == 8
    first = body["items"][0]
    assert (first["code"], first["name"], first["valid_to"]) == ("930", "Thành phố Vị Thanh", "2025-06-30")


def test_units_valid_on_a_date_follow_the_map(officer):
    before = officer.get("/api/v1/reference/units", {"level": "commune", "on": "2025-06-30", "page_size": 500}).json()
    after = officer.get("/api/v1/reference/units", {"level": "commune", "on": "2025-07-01", "page_size": 500}).json()
    assert {u["map"] for u in before["items"]} == {"old"}
    assert {u["map"] for u in after["items"]} == {"new"}
    assert before["count"] == AdministrativeUnit.objects.filter(map="old", level="commune").count()


def test_mapping_of_an_old_commune(officer, small_province):
    mapping = UnitMapping.objects.filter(old_unit=small_province.commune).select_related("new_unit").get()
    body = officer.get("/api/v1/reference/unit-mappings", {"old_unit_id": small_province.commune.pk}).json()
    assert body == {"count": 1, "items": [{
        "old_unit_id": small_province.commune.pk, "old_code": small_province.commune.code,
        "old_name": small_province.commune.name, "new_unit_id": mapping.new_unit_id,
        "new_code": mapping.new_unit.code, "new_name": mapping.new_unit.name, "is_partial": mapping.is_partial,
        "is_primary": True, "effective_on": "2025-07-01"}]}


def test_parameters_in_force_on_a_date(officer):
    body = officer.get("/api/v1/reference/parameters", {"on": "2024-07-01", "prefix": "common."}).json()
    rows = {r["name"]: r for r in body}
    assert (rows["common.base_salary"]["value"], rows["common.base_salary"]["unit"],
            rows["common.base_salary"]["since"]) == (2340000, "VND", "2024-07-01")
    later = {r["name"]: r for r in officer.get("/api/v1/reference/parameters",
                                                {"on": "2025-08-01", "prefix": "vsi.income_ceiling_base"}).json()}
    assert (later["vsi.income_ceiling_base"]["value"], later["vsi.income_ceiling_base"]["alias_of"]) == (
        2340000, "common.reference_level")
    earlier = officer.get("/api/v1/reference/parameters", {"on": "2024-06-30", "prefix": "common.base"}).json()
    assert [(r["name"], r["value"]) for r in earlier] == [("common.base_salary", 1800000)]


def test_bad_date_answers_422(officer):
    response = officer.get("/api/v1/reference/parameters", {"on": "31/12/2024"})
    assert response.status_code == 422
    assert response.json()["field"] == "on"


def test_reference_needs_sign_in(client):
    assert client.get("/api/v1/reference/units").status_code == 401
