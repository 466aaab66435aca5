"""Merged-away records disappear from every list while their page points at the kept record; the edit page
never strips diacritics from a name, asks a reason for identity changes and refuses another person's ID;
two officers editing the same person at once: one wins, the other is told."""

import datetime

import pytest

from ansinh.accounts.services import persons_in_scope
from ansinh.imports.models import DuplicateCandidate
from ansinh.imports.selectors import duplicates_open
from ansinh.imports.services import person_merge
from ansinh.registry import errors_people as e
from ansinh.registry.duplicates import probable_duplicates
from ansinh.registry.models import Person
from ansinh.registry.selectors import households_search, referrer_choices
from ansinh.registry.services_people import person_update, person_version
from ansinh.testing.province import PASSWORD, make_person


@pytest.fixture
def p(small_province):
    return small_province


def officer(p):
    return p.users["bhxh_tinh"]


def merged_pair(p):
    """An ("Nguyễn Văn An", the household's head) kept; a twin record without household merged into him."""
    an = Person.objects.get(citizen_id="093070000001")
    twin = make_person(name="Nguyen Van An", born=an.date_of_birth, sex="male", commune=p.commune, cid="093070000099")
    third = make_person(name="Nguyễn Văn Ân", born=an.date_of_birth, sex="male", commune=p.commune,
                        cid="093070000098")
    candidate = DuplicateCandidate.objects.create(person_a=an, person_b=twin, reason="test", score=100)
    DuplicateCandidate.objects.create(person_a=twin, person_b=third, reason="test", score=95)
    person_merge(user=p.users["hoi_tinh"], candidate=candidate, keep=an)
    twin.refresh_from_db()
    return an, twin, third


# --- a. merged-away records -----------------------------------------------------------------------------


def test_a_merged_away_record_is_in_no_list_search_or_selector(p):
    an, twin, third = merged_pair(p)
    assert twin.merged_into_id == an.pk
    for username in ("bhxh_tinh", "hoi_tinh", "thu_1", "chi_hoi"):
        ids = set(persons_in_scope(p.users[username]).values_list("pk", flat=True))
        assert twin.pk not in ids and an.pk in ids, username
    assert twin.pk not in {x.pk for x, _, _ in probable_duplicates(
        full_name="Nguyen Van An", date_of_birth=an.date_of_birth, commune=p.commune)}
    assert [h.code for h in households_search(user=officer(p), query="nguyen van an")] == ["HG-0001"]
    assert twin not in referrer_choices(household=p.household)
    # the twin's open review item now concerns the kept record: no review item names the merged one
    pairs = [(c.person_a_id, c.person_b_id) for c in duplicates_open(user=p.users["hoi_tinh"])]
    assert pairs == [(an.pk, third.pk)]
    assert list(Person.objects.live().filter(pk__in=[an.pk, twin.pk])) == [an]


def test_a_merged_away_page_points_at_the_kept_record_and_keeps_its_history(p, client):
    an, twin, _ = merged_pair(p)
    client.login(username="bhxh_tinh", password=PASSWORD)
    page = client.get(f"/nguoi/{twin.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="/nguoi/{an.pk}/"' in html and "đã được gộp vào hồ sơ của" in html
    assert f"/nguoi/{twin.pk}/sua/" not in html  # no edit actions on a merged-away record
    history = client.get(f"/nguoi/{twin.pk}/?tab=lich-su")
    assert f"Gộp vào hồ sơ #{an.pk}" in history.content.decode()
    assert client.get(f"/nguoi/{twin.pk}/sua/").status_code == 302
    # an agent who sees the kept record sees the merged one's page too
    client.login(username="thu_1", password=PASSWORD)
    assert client.get(f"/nguoi/{twin.pk}/").status_code == 200


def test_a_merged_away_record_cannot_be_edited(p):
    an, twin, _ = merged_pair(p)
    with pytest.raises(e.PersonMergedAway) as err:
        person_update(user=officer(p), person=twin, phone="0912345678")
    assert err.value.message == "Hồ sơ này đã được gộp vào một hồ sơ khác; hãy sửa trên hồ sơ được giữ lại."


# --- c. the accent rule and identity changes on the edit page ------------------------------------------


def test_a_name_typed_without_diacritics_never_replaces_the_registrys(p):
    head = make_person(name="Phạm Văn Hùng", born=datetime.date(1980, 1, 1), sex="male", commune=p.commune,
                       cid="093080000010")
    change = person_update(user=officer(p), person=head, full_name="PHAM VAN HUNG")
    head.refresh_from_db()
    assert head.full_name == "Phạm Văn Hùng" and change.cancelled == []
    assert head.history.count() == 1  # nothing written


def test_a_name_missing_diacritics_in_the_registry_takes_them_without_a_reason(p):
    head = make_person(name="Pham Van Hung", born=datetime.date(1980, 1, 1), sex="male", commune=p.commune,
                       cid="093080000010")
    person_update(user=officer(p), person=head, full_name="phạm văn hùng")
    head.refresh_from_db()
    assert head.full_name == "Phạm Văn Hùng"
    assert head.history.first().history_change_reason == "Bổ sung dấu cho họ tên"


@pytest.mark.parametrize("changes", [
    {"full_name": "Phạm Văn Hưng"},  # other diacritics on a word that had them
    {"full_name": "Phạm Văn Hải"},
    {"date_of_birth": datetime.date(1981, 1, 1)},
    {"sex": "female"},
    {"citizen_id": "093080000011"},
])
def test_identity_fields_change_only_with_a_reason_shown_in_the_history(p, changes):
    head = make_person(name="Phạm Văn Hùng", born=datetime.date(1980, 1, 1), sex="male", commune=p.commune,
                       cid="093080000010")
    with pytest.raises(e.ReasonRequired) as err:
        person_update(user=officer(p), person=head, **changes)
    assert (err.value.details["field"], err.value.message) == ("reason", e.ReasonRequired.message)
    assert Person.objects.get(pk=head.pk).history.count() == 1
    person_update(user=officer(p), person=head, reason="Theo CCCD", **changes)
    record = Person.objects.get(pk=head.pk).history.first()
    name, value = next(iter(changes.items()))
    assert (getattr(record, name), record.history_change_reason, record.history_user) == (value, "Theo CCCD",
                                                                                          officer(p))


def test_a_citizen_id_of_another_person_is_refused_on_its_field(p):
    head = make_person(name="Phạm Văn Hùng", born=datetime.date(1980, 1, 1), sex="male", commune=p.commune,
                       cid="093080000010")
    with pytest.raises(e.CitizenIdTaken) as err:
        person_update(user=officer(p), person=head, citizen_id="093172000002", reason="Theo CCCD")
    assert err.value.details["field"] == "citizen_id"
    assert err.value.message == "Số CCCD: đã thuộc về một người khác trong sổ: T*** T** B*** (hộ HG-0001)."
    assert Person.objects.get(pk=head.pk).citizen_id == "093080000010"


def test_the_edit_page_keeps_the_diacritics_and_refuses_another_persons_id_on_its_field(p, client):
    head = make_person(name="Phạm Văn Hùng", born=datetime.date(1980, 1, 1), sex="male", commune=p.commune,
                       cid="093080000010")
    client.login(username="bhxh_tinh", password=PASSWORD)
    form = {"full_name": "Pham Van Hung", "date_of_birth": "01/01/1980", "sex": "male",
            "citizen_id": "093080000010", "phone": "0912345678", "version": person_version(head)}
    assert client.post(f"/nguoi/{head.pk}/sua/", form).status_code == 302
    head.refresh_from_db()
    assert (head.full_name, head.phone) == ("Phạm Văn Hùng", "0912345678")
    taken = client.post(f"/nguoi/{head.pk}/sua/", {**form, "citizen_id": "093172000002", "reason": "CCCD",
                                                         "version": person_version(head)})
    assert taken.status_code == 422
    assert taken.context["form"].errors["citizen_id"] == [
        "Số CCCD: đã thuộc về một người khác trong sổ: T*** T** B*** (hộ HG-0001)."]


# --- d. two officers editing the same person (sequential form of the race; the PostgreSQL race below) --


def test_an_edit_made_from_a_stale_page_is_refused_and_nothing_is_written(p, client):
    head = make_person(name="Phạm Văn Hùng", born=datetime.date(1980, 1, 1), sex="male", commune=p.commune,
                       cid="093080000010")
    seen = person_version(head)
    person_update(user=officer(p), person=head, phone="0911111111", version=seen)
    client.login(username="hoi_tinh", password=PASSWORD)
    stale = client.post(f"/nguoi/{head.pk}/sua/", {
        "full_name": "Phạm Văn Hùng", "date_of_birth": "01/01/1980", "sex": "male", "citizen_id": "093080000010",
        "phone": "0922222222", "version": seen})
    assert stale.status_code == 422
    assert stale.context["form"].non_field_errors() == [e.ChangedMeanwhile.message]
    head.refresh_from_db()
    assert head.phone == "0911111111"


def test_a_head_change_from_a_stale_page_is_refused(p, client):
    from ansinh.registry.models import Relationship

    wife = Person.objects.get(citizen_id="093172000002")
    son = Person.objects.get(citizen_id="093200000003")
    an = Person.objects.get(citizen_id="093070000001")
    client.login(username="bhxh_tinh", password=PASSWORD)
    page = client.get(f"/ho/{p.household.pk}/chu-ho/")
    assert f'name="expected_head" value="{an.pk}"' in page.content.decode()
    from ansinh.registry.services_people import household_head_change

    household_head_change(user=officer(p), household=p.household, new_head=wife, old_head_relationship="spouse")
    stale = client.post(f"/ho/{p.household.pk}/chu-ho/", {"new_head": son.pk, "old_head_relationship": "child",
                                                          "expected_head": an.pk})
    assert stale.status_code == 422
    assert stale.context["form"].non_field_errors() == [e.ChangedMeanwhile.message]
    assert p.household.members.get(relationship=Relationship.HEAD).person == wife
