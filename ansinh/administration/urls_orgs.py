"""Collection organisations, agents (catchments, household assignments) and BHXH cơ sở offices."""

from django.urls import path

from . import views_orgs as v
from .views_policy import collection_policy

urlpatterns = [
    path("to-chuc-thu/", v.org_list, name="admin_org_list"),
    path("to-chuc-thu/them/", v.org_create, name="admin_org_create"),
    path("to-chuc-thu/<int:pk>/", v.org_detail, name="admin_org_detail"),
    path("to-chuc-thu/<int:pk>/sua/", v.org_edit, name="admin_org_edit"),
    path("to-chuc-thu/<int:pk>/dong/", v.org_close, name="admin_org_close"),
    path("to-chuc-thu/<int:pk>/them-nhan-vien/", v.agent_create, name="admin_agent_create"),
    path("nhan-vien-thu/<int:pk>/", v.agent_detail, name="admin_agent_detail"),
    path("nhan-vien-thu/<int:pk>/sua/", v.agent_edit, name="admin_agent_edit"),
    path("nhan-vien-thu/<int:pk>/nghi/", v.agent_close, name="admin_agent_close"),
    path("nhan-vien-thu/<int:pk>/dia-ban/", v.agent_catchment, name="admin_agent_catchment"),
    path("nhan-vien-thu/<int:pk>/giao-ho/", v.agent_assign, name="admin_agent_assign"),
    path("bhxh-co-so/", v.office_list, name="admin_office_list"),
    path("bhxh-co-so/them/", v.office_create, name="admin_office_create"),
    path("bhxh-co-so/<int:pk>/sua/", v.office_edit, name="admin_office_edit"),
    path("bhxh-co-so/<int:pk>/dong/", v.office_close, name="admin_office_close"),
    path("quy-dinh-huy-thu/", collection_policy, name="admin_collection_policy"),
]
