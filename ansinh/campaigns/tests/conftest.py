import pytest

from .factories import campaign_data


@pytest.fixture
def data(small_province):
    """The small province with the campaign and the paid participations of ``factories.campaign_data``."""
    return campaign_data(small_province)
