"""Speed (issue 16): the renewals page shows its list in pages (a province's list ran to 1 MB of HTML);
each urgency group says its count over the whole list; the page links keep the filters; the number of
queries does not grow with the rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ansinh.campaigns.tests.factories import campaign_data
from ansinh.testing.province import PASSWORD

FILTERS = {"which": "hi_expiring", "on": "2025-06-01", "days": "30"}


def _page(client, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/tai-tuc/", {**FILTERS, **params})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_renewals_page_is_paged_with_the_filters_kept(small_province, client, monkeypatch):
    from ansinh.reports import views_lists

    campaign_data(small_province)
    client.login(username="bhxh_tinh", password=PASSWORD)
    _, whole = _page(client)
    assert "Trang" not in whole and whole.count('data-label="Họ tên"') == 3
    monkeypatch.setattr(views_lists, "RENEWALS_PER_PAGE", 2)
    queries, first = _page(client)
    again, second = _page(client, page="2")
    assert queries == again
    assert first.count('data-label="Họ tên"') == 2 and second.count('data-label="Họ tên"') == 1
    assert "Trang 1/2 · 3 dòng" in first and "Trang 2/2 · 3 dòng" in second
    # every row once, in the order of the whole list
    order = [line for line in whole.splitlines() if 'data-label="Họ tên"' in line]
    assert [line for line in first.splitlines() if 'data-label="Họ tên"' in line] == order[:2]
    assert [line for line in second.splitlines() if 'data-label="Họ tên"' in line] == order[2:]
    # the group's count is over the whole list on both pages
    assert '<th colspan="9" scope="colgroup">Hết hạn trong 30 ngày (3)</th>' in first
    assert '<th colspan="9" scope="colgroup">Hết hạn trong 30 ngày (3)</th>' in second
    assert "3 người" in first
    assert 'href="?which=hi_expiring&amp;on=2025-06-01&amp;days=30&amp;page=2">Sau ›</a>' in first
    assert 'href="?which=hi_expiring&amp;on=2025-06-01&amp;days=30&amp;page=1">‹ Trước</a>' in second
