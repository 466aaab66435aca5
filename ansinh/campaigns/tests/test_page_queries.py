"""Speed (issue 16): the targets page and the leaders board read a fixed number of queries whatever the
number of targets, units and members."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ansinh.areas.models import AdministrativeUnit, Level
from ansinh.campaigns.models import Indicator
from ansinh.registry.models import AssociationUnit, Membership, UnitKind
from ansinh.testing.province import PASSWORD, make_person

from .factories import target_make


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_targets_page_reads_the_same_queries_for_4_or_40_targets(data, client, django_assert_max_num_queries):
    client.login(username="bhxh_tinh", password=PASSWORD)
    url = f"/chi-tieu/?campaign={data.campaign.code}"
    few, body = _queries(client, url)
    assert body.count("Sửa</a>") == 6
    communes = list(AdministrativeUnit.objects.filter(level=Level.COMMUNE, map="old").order_by("pk")[:34])
    for commune in communes:
        target_make(data.campaign, indicator=Indicator.HI_NEW, goal=7, area=commune)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.content.decode().count("Sửa</a>") == 6 + len(communes)


def test_the_leaders_board_reads_the_same_queries_for_one_unit_or_thirty(data, small_province, client,
                                                                         django_assert_max_num_queries):
    client.login(username="bhxh_tinh", password=PASSWORD)
    url = f"/tien-do/can-bo/?campaign={data.campaign.code}&on=2024-06-30"
    few, _ = _queries(client, url)
    for n in range(30):
        unit = AssociationUnit.objects.create(kind=UnitKind.BRANCH, code=f"CH9{n:02d}", name=f"Chi hội thử {n}",
                                              commune=small_province.commune)
        for m in range(3):
            person = make_person(name=f"Hội viên {n} {m}", born="1980-01-01", sex="male",
                                 commune=small_province.commune, cid=f"0930800{n:02d}{m:03d}")
            Membership.objects.create(unit=unit, person=person, role="leader" if m == 0 else "member")
    with django_assert_max_num_queries(few + 3):  # + the one-time rebuild of the member facts (memberships changed)
        client.get(url)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.content.decode().count("Chi hội thử") >= 30


def test_the_rows_of_a_report_know_their_old_communes_in_two_queries(small_province, django_assert_num_queries):
    from ansinh.campaigns.progress import _old_communes_of, _rows_old_communes

    units = list(AdministrativeUnit.objects.filter(map="new", level=Level.COMMUNE).order_by("pk")) + list(
        AdministrativeUnit.objects.filter(map="old", level=Level.DISTRICT).order_by("pk"))
    assert len(units) > 30
    with django_assert_num_queries(2):
        many = _rows_old_communes(units)
    assert many == {u.pk: _old_communes_of(u) for u in units}


def test_the_progress_page_by_new_commune_does_not_read_once_per_row(data, client):
    client.login(username="bhxh_tinh", password=PASSWORD)
    url = f"/tien-do/?campaign={data.campaign.code}&by=commune&map=new&on=2025-07-15"
    client.get(url)  # the derived facts are built at the first read
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    rows = response.content.decode().count('data-label="Đơn vị"') - 1  # less the total's row
    assert response.status_code == 200 and rows >= 25
    assert len(ctx.captured_queries) < rows  # was one more query per row
