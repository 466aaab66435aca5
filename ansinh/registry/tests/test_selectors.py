"""Household search finds a name typed decomposed, in capitals, in lower case or without diacritics."""

import unicodedata

import pytest

from ansinh.registry.selectors import households_search


@pytest.mark.parametrize("typed", ["Nguyễn Văn An", "NGUYỄN VĂN AN", "nguyễn văn an",
                                   unicodedata.normalize("NFD", "Nguyễn Văn An"), "nguyen van an", "NGUYEN VAN AN",
                                   "  nguyen   van  an ", "tran thi binh", "cuong"])
def test_a_name_is_found_however_it_is_typed(small_province, typed):
    found = households_search(user=small_province.users["thu_1"], query=typed)
    assert [h.code for h in found] == ["HG-0001"]


def test_search_stays_inside_the_scope(small_province):
    assert list(households_search(user=small_province.users["thu_1"], query="Phạm Văn Dũng")) == []


def test_a_name_typed_with_diacritics_matches_those_diacritics_only(small_province):
    assert list(households_search(user=small_province.users["thu_1"], query="Nguyên Văn Ân")) == []


def test_search_without_diacritics_stays_inside_the_scope(small_province):
    assert list(households_search(user=small_province.users["thu_1"], query="pham van dung")) == []
    found = households_search(user=small_province.users["bhxh_tinh"], query="pham van dung")
    assert [h.code for h in found] == ["HG-0002"]


def test_the_folded_name_follows_a_renamed_person(small_province):
    from ansinh.registry.models import Person

    person = Person.objects.get(full_name="Trần Thị Bình")
    assert person.name_folded == "tran thi binh"
    person.full_name = "Đặng Thị Bình"
    person.save()
    assert Person.objects.get(pk=person.pk).name_folded == "dang thi binh"
    assert [h.code for h in households_search(user=small_province.users["thu_1"], query="dang thi")] == ["HG-0001"]


@pytest.mark.parametrize(("typed", "message"), [("x" * 101, "Từ khóa tìm kiếm tối đa 100 ký tự."),
                                                 ("Ng\x00uyen", "Từ khóa có ký tự không hợp lệ.")])
def test_a_search_that_cannot_run_finds_nothing_and_says_why(small_province, client, typed, message):
    from ansinh.testing.province import PASSWORD

    client.login(username="thu_1", password=PASSWORD)
    body = client.get("/ho/", {"q": typed}).content.decode()
    assert message in body
    assert "HG-0001" not in body and "0 hộ" in body
