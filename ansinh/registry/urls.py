from django.urls import path

from . import views, views_people

urlpatterns = [
    path("ho/", views.household_list, name="household_list"),
    path("ho/moi/", views_people.household_create, name="household_create"),
    path("ho/<int:pk>/", views.household_detail, name="household_detail"),
    path("ho/<int:pk>/them-nguoi/", views_people.household_person_add, name="household_person_add"),
    path("ho/<int:pk>/them-nguoi-co-san/", views_people.household_existing_person_add,
         name="household_existing_person_add"),
    path("ho/<int:pk>/chu-ho/", views_people.household_head, name="household_head"),
    path("ho/<int:pk>/dien-ho/", views_people.household_poverty, name="household_poverty"),
    path("ho/<int:pk>/lich-su/", views_people.household_history_page, name="household_history"),
    path("nguoi/<int:pk>/", views_people.person_detail, name="person_detail"),
    path("nguoi/<int:pk>/sua/", views_people.person_edit, name="person_edit"),
    path("nguoi/<int:pk>/chuyen-ho/", views_people.person_move, name="person_move"),
    path("nguoi/<int:pk>/da-mat/", views_people.person_death, name="person_death"),
    path("nguoi/<int:pk>/chuyen-di/", views_people.person_move_out, name="person_move_out"),
    path("nguoi/<int:pk>/de-xuat/", views_people.person_suggest, name="person_suggest"),
    path("de-xuat/", views_people.suggestion_list, name="suggestion_list"),
]
