"""The household page on a phone: who is covered until when and the action buttons come first; the long
sections after; the address printed once."""

import pytest

pytest.importorskip("ansinh.rules.quote", reason="the household page prices HI through the rules module")

from ansinh.registry.selectors import household_address  # noqa: E402
from ansinh.testing.province import PASSWORD  # noqa: E402


@pytest.fixture
def agent(small_province, client):
    client.login(username="thu_1", password=PASSWORD)
    return client


def test_coverage_and_actions_come_before_the_long_sections(agent, small_province):
    household = small_province.household
    body = agent.get(f"/ho/{household.pk}/").content.decode()
    order = [body.index(marker) for marker in (
        'id="the"', 'class="coverage-name"', 'href="#thu-bhyt">Thu BHYT</a>',
        f'href="/ho/{household.pk}/thu-bhxh/">Thu BHXH</a>', 'id="bhyt"', 'id="tt-ho"', 'id="tv"')]
    assert order == sorted(order)
    assert body.count('id="thu-bhyt"') == 1


def test_the_address_is_printed_once(agent, small_province):
    household = small_province.household
    commune = household.commune
    household.hamlet = "Ấp 3"
    household.address = f"Số 12, ấp 3, {commune.name}"
    household.save()
    expected = f"Số 12, ấp 3, {commune.name}" + (f", {commune.parent.name}" if commune.parent else "")
    assert household_address(household=household) == expected
    body = agent.get(f"/ho/{household.pk}/").content.decode()
    assert f'<dd id="household-address">{expected}</dd>' in body
    assert body.count("Số 12") == 1


def test_an_address_without_hamlet_or_commune_gets_them(small_province):
    household = small_province.household
    household.hamlet = "Ấp Tân Phú"
    household.address = "Số 7"
    commune = household.commune
    assert household_address(household=household) == ", ".join(
        ["Số 7", "Ấp Tân Phú", commune.name] + ([commune.parent.name] if commune.parent else []))
