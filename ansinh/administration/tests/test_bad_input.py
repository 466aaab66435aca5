"""Bad input on the administrator's pages: out-of-range ids, NUL characters, over-long texts and dates far
outside the administrative range are form errors in Vietnamese, never a 500."""

from ansinh.collection.models import CollectionOrg
from ansinh.core.forms import INVALID_CHOICE, NUL_MESSAGE
from ansinh.areas.models import SiOffice

from .test_orgs import admin, agent, communes, org  # noqa: F401  (fixtures)

HUGE_ID = "9223372036854775808"


def test_id_beyond_64_bits_is_an_invalid_choice(admin, agent, communes):  # noqa: F811
    response = admin.post(f"/quan-tri/nhan-vien-thu/{agent.pk}/dia-ban/", {"communes": [HUGE_ID]})
    assert response.status_code == 400
    assert response.context["form"].errors["communes"] == [INVALID_CHOICE]
    response = admin.post("/quan-tri/bhxh-co-so/them/", {"code": "CS01", "name": "BHXH cơ sở",
                                                         "communes": [communes[0].pk, HUGE_ID]})
    assert response.status_code == 400
    assert response.context["form"].errors["communes"] == [INVALID_CHOICE]
    assert not SiOffice.objects.exists()


def test_nul_character_and_too_long_text_in_vietnamese(admin):  # noqa: F811
    response = admin.post("/quan-tri/to-chuc-thu/them/", {"code": "BD\x00CT", "name": "Bưu điện " + "x" * 200,
                                                          "kind": "post_office", "valid_from": "01/07/2025"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["code"] == [NUL_MESSAGE]
    assert errors["name"] == ["Tên dài tối đa 150 ký tự."]
    assert not CollectionOrg.objects.filter(name__startswith="Bưu điện x").exists()
    response = admin.get("/quan-tri/nguoi-dung/", {"vai_tro": "a\x00b"})
    assert response.status_code == 200


def test_base_form_max_length_message_keeps_the_fields_own():
    from django import forms

    from ansinh.core.forms import VietnameseForm

    class F(VietnameseForm):
        a = forms.CharField(max_length=3)
        b = forms.CharField(max_length=3, error_messages={"max_length": "Riêng."})

    form = F({"a": "abcde", "b": "abcd"})
    assert form.errors == {"a": ["Tối đa 3 ký tự (đang có 5)."], "b": ["Riêng."]}
    assert F({"a": "a\x00", "b": "b"}).errors == {"a": [NUL_MESSAGE]}
