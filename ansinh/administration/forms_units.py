"""Forms of the association-unit pages. They check formats only (a date, a choice); the services check
the rules (unique code, scope, one leader a day …) and their errors are put on the field they name."""

from django import forms

from ansinh.areas.models import AdministrativeUnit, Level
from ansinh.registry.models import AssociationUnit, Person, UnitKind
from ansinh.core.forms import AdminDateField, SafeModelChoiceField, VietnameseForm

DATE_INPUT = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric",
                                                       "autocomplete": "off", "maxlength": "10"})


def date_field(label: str, required_message: str) -> AdminDateField:
    return AdminDateField(label=label, input_formats=["%d/%m/%Y", "%Y-%m-%d"], widget=DATE_INPUT,
                           error_messages={"required": required_message,
                                           "invalid": "Ngày không hợp lệ (dd/mm/yyyy)."})


class UnitFilterForm(VietnameseForm):
    q = forms.CharField(label="Tìm theo mã hoặc tên", max_length=100, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Mã hoặc tên chi hội, tổ"}))
    commune = forms.TypedChoiceField(label="Xã, phường", required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label="Loại", required=False, choices=[("", "Tất cả")] + UnitKind.choices)
    status = forms.ChoiceField(label="Tình trạng", required=False,
                               choices=[("", "Tất cả"), ("open", "Đang hoạt động"), ("closed", "Đã đóng")])

    def __init__(self, *args, communes: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [("", "Tất cả")] + communes


class _CommuneField(SafeModelChoiceField):
    """Any commune-level unit is accepted here (the service says when it lies outside the province); the
    list shows the province's communes only."""

    def label_from_instance(self, obj):
        return obj.name


class UnitCreateForm(VietnameseForm):
    kind = forms.ChoiceField(label="Loại đơn vị", choices=UnitKind.choices, initial=UnitKind.BRANCH,
                             widget=forms.RadioSelect,
                             error_messages={"required": "Vui lòng chọn loại đơn vị.",
                                             "invalid_choice": "Loại đơn vị không hợp lệ."})
    code = forms.CharField(label="Mã đơn vị", max_length=20,
                           error_messages={"required": "Vui lòng nhập mã đơn vị.",
                                           "max_length": "Mã đơn vị tối đa 20 ký tự."})
    name = forms.CharField(label="Tên", max_length=150,
                           error_messages={"required": "Vui lòng nhập tên đơn vị.",
                                           "max_length": "Tên tối đa 150 ký tự."})
    commune = _CommuneField(label="Xã, phường", queryset=AdministrativeUnit.objects.filter(level=Level.COMMUNE),
                            error_messages={"required": "Vui lòng chọn xã, phường.",
                                            "invalid_choice": "Xã, phường không hợp lệ."})
    branch = SafeModelChoiceField(label="Chi hội (với tổ TK&VV)", required=False,
                                    queryset=AssociationUnit.objects.all(),
                                    help_text="Tổ tiết kiệm và vay vốn: chi hội mà tổ sinh hoạt cùng. "
                                              "Chi hội: để trống.",
                                    error_messages={"invalid_choice": "Chi hội không hợp lệ."})

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].widget.choices = [("", "— Chọn xã, phường —")] + choices["communes"]
        self.fields["branch"].widget.choices = [("", "—")] + [(b.pk, f"{b.code} · {b.name}")
                                                             for b in choices["branches"]]


class UnitEditForm(UnitCreateForm):
    def __init__(self, *args, unit: AssociationUnit, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"], self.fields["code"]
        if unit.kind == UnitKind.BRANCH:
            del self.fields["branch"]
        else:
            self.fields["branch"].widget.choices = [c for c in self.fields["branch"].widget.choices
                                                    if c[0] != unit.pk]


class UnitCloseForm(VietnameseForm):
    closed_on = date_field("Ngày đóng", "Vui lòng nhập ngày đóng.")


class UnitMergeForm(VietnameseForm):
    target = SafeModelChoiceField(label="Sáp nhập vào", queryset=AssociationUnit.objects.all(),
                                    error_messages={"required": "Vui lòng chọn đơn vị nhận.",
                                                    "invalid_choice": "Đơn vị nhận không hợp lệ."})
    merged_on = date_field("Ngày sáp nhập", "Vui lòng nhập ngày sáp nhập.")

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].widget.choices = [("", "— Chọn đơn vị nhận —")] + [
            (u.pk, f"{u.code} · {u.name} ({u.commune.name})") for u in targets]


class LeaderChangeForm(VietnameseForm):
    citizen_id = forms.CharField(label="Số căn cước của người đứng đầu mới", max_length=12, required=False,
                                 widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                                               "pattern": "[0-9]{12}"}),
                                 help_text="12 chữ số; hoặc chọn một hội viên của đơn vị bên dưới.",
                                 error_messages={"max_length": "Số căn cước phải gồm đúng 12 chữ số."})
    member = SafeModelChoiceField(label="Hoặc chọn trong hội viên", required=False,
                                    queryset=Person.objects.none(),
                                    error_messages={"invalid_choice": "Người được chọn không phải hội viên "
                                                                      "của đơn vị."})
    starts_on = date_field("Đứng đầu từ ngày", "Vui lòng nhập ngày bắt đầu.")

    def __init__(self, *args, memberships: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Person.objects.filter(pk__in=[m.person_id for m in memberships])
        self.fields["member"].widget.choices = [("", "—")] + [
            (m.person_id, m.person.full_name + (" (đang đứng đầu)" if m.role == "leader" else ""))
            for m in memberships]

    def clean(self):
        data = super().clean()
        if not data.get("citizen_id") and not data.get("member") and "member" not in self.errors:
            from ansinh.registry.errors import LEADER_PERSON_REQUIRED

            self.add_error("citizen_id", LEADER_PERSON_REQUIRED)
        return data
