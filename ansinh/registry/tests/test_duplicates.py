"""Probable duplicates at entry: the same ID; alike folded names with the same date of birth nearby or the
same year of birth in the same place; scored and explained, best first."""

import datetime

import pytest

from ansinh.areas.models import AdministrativeUnit, Level, UnitMapping
from ansinh.registry.duplicates import NAME_THRESHOLD, name_similarity, places_of, probable_duplicates
from ansinh.registry.models import Person

BORN = datetime.date(1970, 3, 5)  # Nguyễn Văn An of the small province, commune "commune"


def _neighbour(p):
    """A commune of the same old district that is not the same place (not merged into the same new one)."""
    same = places_of(p.commune.pk).same
    return AdministrativeUnit.objects.filter(parent=p.district, level=Level.COMMUNE).exclude(
        pk__in=same).order_by("code").first()


def _names(found):
    return [(p.full_name, score, reasons) for p, score, reasons in found]


def test_a_typo_with_the_same_date_of_birth_and_commune(small_province):
    found = probable_duplicates(full_name="Nguyễn Văn Anh", date_of_birth=BORN, commune=small_province.commune)
    assert _names(found) == [("Nguyễn Văn An", 98, ["Họ tên gần giống (96%)", "Cùng ngày sinh 05/03/1970",
                                                     "Cùng xã"])]


def test_missing_accents_and_swapped_middle_names_score_as_the_same_name(small_province):
    Person.objects.create(full_name="Lê Thị Mai Lan", date_of_birth=datetime.date(1980, 1, 2), sex="female",
                          commune=small_province.commune)
    for typed in ("Le Thi Mai Lan", "LÊ THỊ LAN MAI", "le thi lan mai"):
        found = probable_duplicates(full_name=typed, date_of_birth=datetime.date(1980, 1, 2),
                                    commune=small_province.commune.pk)
        assert _names(found) == [("Lê Thị Mai Lan", 100, ["Họ tên giống nhau (không kể dấu)",
                                                          "Cùng ngày sinh 02/01/1980", "Cùng xã"])]


def test_same_year_counts_in_the_same_commune_only_and_scores_lower(small_province):
    found = probable_duplicates(full_name="Nguyen Van An", date_of_birth=datetime.date(1970, 12, 1),
                                commune=small_province.commune)
    assert _names(found) == [("Nguyễn Văn An", 85, ["Họ tên giống nhau (không kể dấu)", "Cùng năm sinh 1970",
                                                    "Cùng xã"])]
    neighbour = _neighbour(small_province)
    assert probable_duplicates(full_name="Nguyen Van An", date_of_birth=datetime.date(1970, 12, 1),
                               commune=neighbour) == []


def test_same_date_of_birth_in_a_neighbouring_commune_of_the_same_old_district(small_province):
    neighbour = _neighbour(small_province)
    found = probable_duplicates(full_name="Nguyễn Văn An", date_of_birth=BORN, commune=neighbour)
    assert _names(found) == [("Nguyễn Văn An", 95, ["Họ tên giống nhau (không kể dấu)", "Cùng ngày sinh 05/03/1970",
                                                    "Xã lân cận (cùng huyện cũ)"])]
    # another district is not a neighbour
    assert probable_duplicates(full_name="Nguyễn Văn An", date_of_birth=BORN, commune=small_province.other_commune) == []


def test_the_new_map_commune_is_the_same_place_as_the_old_ones_it_took_in(small_province):
    new_unit = UnitMapping.objects.filter(old_unit=small_province.commune, is_primary=True).get().new_unit
    places = places_of(new_unit.pk)
    assert small_province.commune.pk in places.same and new_unit.pk in places.same
    found = probable_duplicates(full_name="Nguyen Van An", date_of_birth=datetime.date(1970, 6, 6), commune=new_unit)
    assert _names(found) == [("Nguyễn Văn An", 85, ["Họ tên giống nhau (không kể dấu)", "Cùng năm sinh 1970",
                                                    "Cùng xã"])]


def test_unlike_names_are_not_duplicates_even_with_the_same_birth_and_commune(small_province):
    assert name_similarity("nguyen van an", "nguyen van binh") < NAME_THRESHOLD
    assert probable_duplicates(full_name="Nguyễn Văn Bình", date_of_birth=BORN, commune=small_province.commune) == []


def test_the_same_citizen_id_is_a_duplicate_wherever_the_person_lives(small_province):
    found = probable_duplicates(full_name="Trần Văn Khác", date_of_birth=datetime.date(1990, 1, 1),
                                commune=small_province.other_commune, citizen_id="093070000001")
    assert _names(found) == [("Nguyễn Văn An", 100, ["Cùng số CCCD"])]


def test_excluded_and_merged_away_records_are_left_out_and_the_best_come_first(small_province):
    an = Person.objects.get(citizen_id="093070000001")
    twin = Person.objects.create(full_name="Nguyễn Văn Ân", date_of_birth=BORN, sex="male",
                                 commune=small_province.commune)
    cousin = Person.objects.create(full_name="Nguyễn Văn Anh", date_of_birth=datetime.date(1970, 9, 9), sex="male",
                                   commune=small_province.commune)
    found = probable_duplicates(full_name="Nguyễn Văn An", date_of_birth=BORN, commune=small_province.commune,
                                exclude_id=an.pk)
    assert [(p.pk, score) for p, score, _ in found] == [(twin.pk, 100), (cousin.pk, 83)]
    twin.merged_into = an
    twin.save()
    found = probable_duplicates(full_name="Nguyễn Văn An", date_of_birth=BORN, commune=small_province.commune,
                                limit=1)
    assert [(p.pk, score) for p, score, _ in found] == [(an.pk, 100)]


@pytest.mark.parametrize("a,b", [("nguyen van an", "nguyen van anh"), ("pham van hung", "pham van hunh"),
                                 ("le thi mai lan", "le thi lan mai")])
def test_typos_and_swaps_pass_the_threshold(a, b):
    assert name_similarity(a, b) >= NAME_THRESHOLD


@pytest.mark.parametrize("a,b", [("nguyen van an", "nguyen van binh"), ("nguyen van an", "nguyen van nam"),
                                 ("tran thi hoa", "tran thi lan")])
def test_a_shared_family_and_middle_name_is_not_enough(a, b):
    assert name_similarity(a, b) == 0
