from django.urls import path

from . import views

urlpatterns = [
    path("chien-dich/", views.dashboard, name="dashboard"),
]
