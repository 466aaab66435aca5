"""Speed (issue 16): the renewals page reads a fixed number of queries whatever the number of rows."""

import datetime

from ansinh.campaigns.tests.factories import hi_paid
from ansinh.testing.province import PASSWORD


def test_the_renewals_page_reads_the_same_queries_for_one_household_or_two(small_province, client,
                                                                           django_assert_max_num_queries):
    agent = small_province.users["thu_1"]
    hi_paid(agent, small_province.household, datetime.date(2024, 1, 10))
    client.login(username="bhxh_tinh", password=PASSWORD)
    url = "/tai-tuc/?which=hi_lapsed&on=2026-12-03&days=0"
    with django_assert_max_num_queries(12) as few:
        first = client.get(url)
    assert first.status_code == 200 and first.content.decode().count("HG-0001") >= 1
    hi_paid(small_province.users["thu_2"], small_province.other_household, datetime.date(2024, 1, 10))
    with django_assert_max_num_queries(len(few)):
        second = client.get(url)
    assert second.content.decode().count("HG-0002") >= 1
