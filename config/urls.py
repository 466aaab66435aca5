"""URL map: each app mounts its own pages."""

from django.contrib import admin
from django.urls import include, path

from ansinh.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("ansinh.accounts.urls")),
    path("", include("ansinh.registry.urls")),
    path("", include("ansinh.collection.urls")),
    path("", include("ansinh.campaigns.urls")),
    path("", include("ansinh.campaigns.urls_progress")),
    path("", include("ansinh.reports.urls_lists")),
    path("", include("ansinh.imports.urls")),
    path("", include("ansinh.jobs.urls")),
    path("", include("ansinh.parameters.urls")),
    path("", include("ansinh.calculator.urls")),
    path("", include("ansinh.administration.urls")),
    path("", include("ansinh.messaging.urls")),
    path("", include("ansinh.api.urls")),
]
