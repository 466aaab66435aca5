"""The OpenAPI description names the quotes, payments, campaigns and visits endpoints, the required
Idempotency-Key header of each payment, and the roles in each endpoint's description."""

import json

import pytest

pytestmark = pytest.mark.django_db

PAYMENTS = ["/api/v1/payments/quotes/{kind}/{quote_id}", "/api/v1/payments/hi", "/api/v1/payments/vsi"]


def test_the_description_lists_the_endpoints_with_their_roles(client):
    doc = json.loads(client.get("/api/v1/openapi.json").content)
    paths = doc["paths"]
    for path in ["/api/v1/quotes/hi/price", "/api/v1/quotes/vsi/price", "/api/v1/quotes/hi", "/api/v1/quotes/vsi",
                 "/api/v1/quotes/{kind}/", "/api/v1/quotes/{kind}/{quote_id}", *PAYMENTS,
                 "/api/v1/payments/receipts/{receipt_id}", "/api/v1/payments/receipts/{receipt_id}/pdf",
                 "/api/v1/campaigns/progress", "/api/v1/campaigns/targets", "/api/v1/campaigns/reminders",
                 "/api/v1/visits/"]:
        for operation in paths[path].values():
            assert "Roles:" in operation["description"], path
    for path in PAYMENTS:
        header = [p for p in paths[path]["post"]["parameters"] if p["in"] == "header"]
        assert [(p["name"], p["required"], p["schema"]["maxLength"]) for p in header] == [
            ("Idempotency-Key", True, 64)]
        assert set(paths[path]["post"]["responses"]) >= {"200", "201", "409"}
    body = doc["components"]["schemas"]["PayIn"]
    assert body["additionalProperties"] is False and body["properties"]["amount"]["type"] == "integer"
