"""Household search finds a name typed decomposed, in capitals or in lower case."""

import unicodedata

import pytest

from ansinh.registry.selectors import households_search


@pytest.mark.parametrize("typed", ["Nguyễn Văn An", "NGUYỄN VĂN AN", "nguyễn văn an",
                                   unicodedata.normalize("NFD", "Nguyễn Văn An")])
def test_a_name_is_found_however_it_is_typed(small_province, typed):
    found = households_search(user=small_province.users["thu_1"], query=typed)
    assert [h.code for h in found] == ["HG-0001"]


def test_search_stays_inside_the_scope(small_province):
    assert list(households_search(user=small_province.users["thu_1"], query="Phạm Văn Dũng")) == []
