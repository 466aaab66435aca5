"""Forms of the user pages (parsing only; the rules live in ``ansinh.accounts.services_users``)."""

from django import forms

from ansinh.accounts.models import Role
from ansinh.accounts.selectors import scope_choices
from ansinh.areas.models import AdministrativeUnit, MapVersion, SiOffice
from ansinh.collection.models import Agent
from ansinh.registry.models import AssociationUnit
from ansinh.core.forms import SafeModelChoiceField, VietnameseForm


def _area_label(unit: AdministrativeUnit) -> str:
    level = unit.get_level_display().split("/")[0]
    if unit.map == MapVersion.OLD:
        return f"{unit.name} ({level}, bản đồ cũ)"
    return f"{unit.name} ({level})"


class RoleScopeForm(VietnameseForm):
    """Name, phone, role and scope: which scope field counts depends on the role (the service checks)."""

    full_name = forms.CharField(label="Họ và tên", max_length=150,
                                error_messages={"required": "Vui lòng nhập họ và tên."})
    phone = forms.CharField(label="Số điện thoại (không bắt buộc)", max_length=14, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    role = forms.ChoiceField(label="Vai trò", choices=[("", "— Chọn vai trò —")] + Role.choices,
                             error_messages={"required": "Vui lòng chọn vai trò.",
                                             "invalid_choice": "Vai trò không hợp lệ."})
    area = SafeModelChoiceField(
        label="Địa bàn (cán bộ, quản trị)", queryset=AdministrativeUnit.objects.none(), required=False,
        empty_label="— Chọn tỉnh, xã hoặc huyện/xã cũ —",
        help_text="Cán bộ BHXH, Hội Nông dân: tỉnh, một xã, hoặc huyện/xã cũ (số liệu trước 01/07/2025). "
                  "Quản trị tỉnh: tỉnh.",
        error_messages={"invalid_choice": "Địa bàn không hợp lệ."})
    si_office = SafeModelChoiceField(
        label="Hoặc văn phòng BHXH cơ sở", queryset=SiOffice.objects.none(), required=False,
        empty_label="— Không —", error_messages={"invalid_choice": "Văn phòng không hợp lệ."})
    association_unit = SafeModelChoiceField(
        label="Chi hội / tổ TK&VV (chi hội trưởng, tổ trưởng)", queryset=AssociationUnit.objects.none(),
        required=False, empty_label="— Chọn chi hội, tổ —",
        error_messages={"invalid_choice": "Chi hội, tổ không hợp lệ."})
    agent = SafeModelChoiceField(
        label="Nhân viên thu (tài khoản của nhân viên thu)", queryset=Agent.objects.none(), required=False,
        empty_label="— Chọn nhân viên thu —", error_messages={"invalid_choice": "Nhân viên thu không hợp lệ."})

    SCOPE_FIELDS = ("area", "si_office", "association_unit", "agent")

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        choices = scope_choices(province=province)
        self.fields["area"].queryset = choices["areas"]
        self.fields["area"].label_from_instance = _area_label
        self.fields["si_office"].queryset = choices["offices"]
        self.fields["association_unit"].queryset = choices["units"]
        self.fields["association_unit"].label_from_instance = lambda u: f"{u.code} — {u.name}"
        self.fields["agent"].queryset = choices["agents"]
        self.fields["agent"].label_from_instance = lambda a: f"{a.code} — {a.full_name}"

    def clean(self):
        data = super().clean()
        role = data.get("role")
        keep = {Role.SI_OFFICER: ("area", "si_office"), Role.ASSOCIATION_OFFICER: ("area", "si_office"),
                Role.PROVINCE_ADMIN: ("area",), Role.GROUP_LEADER: ("association_unit",),
                Role.COLLECTION_AGENT: ("agent",)}.get(role, ())
        for name in self.SCOPE_FIELDS:
            if name not in keep:
                data[name] = None
        return data

    def scope(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.SCOPE_FIELDS}


PASSWORD_WIDGET = forms.PasswordInput(attrs={"autocomplete": "new-password"})


class UserCreateForm(RoleScopeForm):
    username = forms.CharField(label="Tên đăng nhập", max_length=150,
                               widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
                               error_messages={"required": "Vui lòng nhập tên đăng nhập.",
                                               "max_length": "Tên đăng nhập tối đa 150 ký tự."})
    password = forms.CharField(label="Mật khẩu ban đầu", widget=PASSWORD_WIDGET, strip=False,
                               error_messages={"required": "Vui lòng nhập mật khẩu."})
    password_again = forms.CharField(label="Nhập lại mật khẩu", widget=PASSWORD_WIDGET, strip=False,
                                     error_messages={"required": "Vui lòng nhập lại mật khẩu."})

    field_order = ["username", "full_name", "phone", "role", "area", "si_office", "association_unit", "agent",
                   "password", "password_again"]


class PasswordResetForm(VietnameseForm):
    password = forms.CharField(label="Mật khẩu mới", widget=PASSWORD_WIDGET, strip=False,
                               error_messages={"required": "Vui lòng nhập mật khẩu."})
    password_again = forms.CharField(label="Nhập lại mật khẩu mới", widget=PASSWORD_WIDGET, strip=False,
                                     error_messages={"required": "Vui lòng nhập lại mật khẩu."})


class RoleFilterForm(VietnameseForm):
    vai_tro = forms.ChoiceField(label="Vai trò", required=False, choices=[("", "Tất cả vai trò")] + Role.choices)
