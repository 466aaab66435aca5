from django.urls import path

from . import views

urlpatterns = [
    path("tham-so/", views.parameter_list, name="parameter_list"),
    path("tham-so/<str:name>/", views.parameter_detail, name="parameter_detail"),
    path("tham-so/<str:name>/them/", views.parameter_value_add_view, name="parameter_value_add"),
]
