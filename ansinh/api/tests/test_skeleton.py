import json

import pytest

from ansinh.api.errors import NOT_SIGNED_IN

pytestmark = pytest.mark.django_db


def test_openapi_description_is_served_and_names_the_api(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = json.loads(response.content)
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["title"] == "An Sinh API"
    assert "/api/v1/meta/me" in doc["paths"]


def test_anonymous_call_gets_json_401_with_vietnamese_message(client):
    response = client.get("/api/v1/meta/me")
    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "message": NOT_SIGNED_IN, "field": None}


def test_signed_in_user_sees_own_role(client, small_province):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(ansinh_role__role="collection_agent").first()
    client.force_login(user)
    body = client.get("/api/v1/meta/me").json()
    assert body["username"] == user.username
    assert body["role"] == "collection_agent"
    assert body["scope"].startswith(user.ansinh_role.agent.code)


def test_documentation_page_uses_local_files_only(client, small_province):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="thu_1"))
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "https://" not in html and "cdn" not in html
