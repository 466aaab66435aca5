"""Pages of personal API tokens (the API itself is mounted at /api/v1/ in config/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("tai-khoan/ma-truy-cap/", views.api_token_list, name="api_token_list"),
    path("tai-khoan/ma-truy-cap/<int:pk>/thu-hoi/", views.api_token_revoke_view, name="api_token_revoke"),
    path("quan-tri/ma-truy-cap/", views.api_token_admin_list, name="api_token_admin_list"),
    path("quan-tri/ma-truy-cap/<int:pk>/thu-hoi/", views.api_token_admin_revoke, name="api_token_admin_revoke"),
]
