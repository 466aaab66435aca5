"""/quan-tri/…: the administrator's pages, one URL file per part of the structure."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("quan-tri/", views.index, name="admin_index"),
    path("quan-tri/", include("ansinh.administration.urls_orgs")),
    path("quan-tri/", include("ansinh.administration.urls_units")),
    path("quan-tri/", include("ansinh.administration.urls_users")),
    path("quan-tri/", include("ansinh.administration.urls_campaigns")),
]
