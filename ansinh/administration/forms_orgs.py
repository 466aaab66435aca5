"""Forms of the administrator's pages on collection organisations, agents, catchments, household
assignments and BHXH cơ sở offices. They check formats only; the services check the rest and name the
field they refuse (``StructureError.field``)."""

from django import forms

from ansinh.collection.models import OrgKind
from ansinh.core.forms import AdminDateField, SafeModelChoiceField, SafeModelMultipleChoiceField, VietnameseForm

DATE_INPUT = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric",
                                                        "autocomplete": "off", "maxlength": "10"})
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_ERRORS = {"required": "Vui lòng nhập ngày (dd/mm/yyyy).", "invalid": "Ngày không hợp lệ (dd/mm/yyyy)."}


def _date(label: str, *, required: bool = True, help_text: str = "") -> AdminDateField:
    return AdminDateField(label=label, required=required, input_formats=DATE_FORMATS, widget=DATE_INPUT,
                           error_messages=DATE_ERRORS, help_text=help_text)


def _code(label: str) -> forms.CharField:
    return forms.CharField(label=label, max_length=20, help_text="Không đổi được sau khi tạo.",
                           error_messages={"required": "Vui lòng nhập mã.",
                                           "max_length": "Mã dài tối đa 20 ký tự."},
                           widget=forms.TextInput(attrs={"autocomplete": "off"}))


def _name(label: str, max_length: int = 150) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length,
                           error_messages={"required": "Vui lòng nhập tên.",
                                           "max_length": f"Tên dài tối đa {max_length} ký tự."})


class UnitChoiceField(SafeModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})" if hasattr(obj, "level") else f"{obj.code} — {obj.name}"


class UnitMultipleChoiceField(SafeModelMultipleChoiceField):
    """Communes by name; ``taken`` (commune id -> office code) marks those another open office covers."""

    taken: dict[int, str] = {}

    def label_from_instance(self, obj):
        office = self.taken.get(obj.pk)
        return f"{obj.name} (thuộc {office})" if office else obj.name


OUTSIDE_CHOICE = "Xã/phường được chọn không thuộc tỉnh bạn quản trị (bản đồ từ 01/07/2025)."


class OrgForm(VietnameseForm):
    code = _code("Mã tổ chức")
    name = _name("Tên tổ chức")
    kind = forms.ChoiceField(label="Loại", choices=OrgKind.choices, initial=OrgKind.POST_OFFICE,
                             widget=forms.RadioSelect,
                             error_messages={"required": "Vui lòng chọn loại tổ chức.",
                                             "invalid_choice": "Loại tổ chức không hợp lệ."})
    valid_from = _date("Hoạt động từ ngày", required=False)
    cash_hold_days = forms.IntegerField(
        label="Số ngày làm việc được giữ tiền", min_value=0, max_value=30, initial=2, required=False,
        help_text=("Nhân viên thu giữ tiền mặt quá số ngày làm việc này thì bị đánh dấu trên trang đối chiếu "
                   "(để trống: 2 ngày khi tạo, giữ nguyên khi sửa)."),
        error_messages={"required": "Vui lòng nhập số ngày làm việc được giữ tiền.",
                        "invalid": "Số ngày làm việc được giữ tiền: phải là số nguyên.",
                        "min_value": "Số ngày làm việc được giữ tiền: từ 0 đến 30.",
                        "max_value": "Số ngày làm việc được giữ tiền: từ 0 đến 30."},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0", "max": "30"}))
    successor = UnitChoiceField(label="Tổ chức kế thừa", queryset=None, required=False,
                                empty_label="— Không —",
                                help_text="Tổ chức nhận lại công việc khi tổ chức này đóng (ví dụ sau 01/07/2025).",
                                error_messages={"invalid_choice": "Tổ chức kế thừa không hợp lệ."})

    def __init__(self, *args, successors=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]
            self.fields["successor"].queryset = successors
        else:
            del self.fields["successor"]


class CloseForm(VietnameseForm):
    closed_on = _date("Ngày đóng / nghỉ", help_text="Không được sau hôm nay.")


class OrgCloseForm(CloseForm):
    successor = UnitChoiceField(label="Tổ chức kế thừa", queryset=None, required=False, empty_label="— Không —",
                                error_messages={"invalid_choice": "Tổ chức kế thừa không hợp lệ."})

    def __init__(self, *args, successors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = successors


class AgentForm(VietnameseForm):
    code = _code("Mã nhân viên thu")
    full_name = _name("Họ và tên", max_length=100)
    phone = forms.CharField(label="Số điện thoại", max_length=14, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]


class CatchmentForm(VietnameseForm):
    """Communes (checkboxes) and, beside each, the hamlets (``hamlets_<pk>``, separated by ";"): none
    means the whole commune. Hamlets typed beside an unticked commune tick it."""

    communes = UnitMultipleChoiceField(
        label="Xã/phường", queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": OUTSIDE_CHOICE, "invalid_pk_value": OUTSIDE_CHOICE})

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = communes
        self.commune_list = list(communes)
        for commune in self.commune_list:
            self.fields[f"hamlets_{commune.pk}"] = forms.CharField(required=False, max_length=1000,
                                                                   label=f"Ấp của {commune.name}")

    def clean(self):
        data = super().clean()
        chosen = list(data.get("communes") or [])
        hamlets: dict[int, list[str]] = {}
        for commune in self.commune_list:
            names = [h.strip() for h in (data.get(f"hamlets_{commune.pk}") or "").split(";") if h.strip()]
            if names:
                hamlets[commune.pk] = names
                if commune not in chosen:
                    chosen.append(commune)
        data["chosen"] = chosen
        data["hamlet_map"] = hamlets
        return data

    def rows(self):
        """(commune, checked, hamlets field) for the template."""
        checked = {str(v) for v in (self["communes"].value() or [])}
        return [(c, str(c.pk) in checked, self[f"hamlets_{c.pk}"]) for c in self.commune_list]


class AssignAreaForm(VietnameseForm):
    commune = UnitChoiceField(label="Xã/phường", queryset=None, empty_label="— Chọn xã/phường —",
                              error_messages={"required": "Vui lòng chọn xã/phường.",
                                              "invalid_choice": "Xã/phường không thuộc địa bàn của nhân viên thu này."})
    hamlet = forms.CharField(label="Ấp", max_length=100, required=False,
                             help_text="Để trống để giao mọi hộ của xã/phường.",
                             widget=forms.TextInput(attrs={"list": "hamlet-names", "autocomplete": "off"}))
    starts_on = _date("Ngày hiệu lực", help_text="Không được sau hôm nay.")

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes


class AssignCodesForm(VietnameseForm):
    codes = forms.CharField(label="Mã hộ", max_length=20000, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="Một hoặc nhiều mã hộ, cách nhau bởi dấu phẩy hoặc xuống dòng.",
                            error_messages={"required": "Vui lòng nhập mã hộ."})
    starts_on = _date("Ngày hiệu lực", help_text="Không được sau hôm nay.")

    def clean_codes(self):
        return [c for c in self.cleaned_data["codes"].replace(",", "\n").replace(";", "\n").split() if c]


class OfficeForm(VietnameseForm):
    code = _code("Mã văn phòng")
    name = _name("Tên văn phòng")
    communes = UnitMultipleChoiceField(
        label="Các xã/phường phụ trách", queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": OUTSIDE_CHOICE, "invalid_pk_value": OUTSIDE_CHOICE})

    def __init__(self, *args, communes, taken: dict[int, str] | None = None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = communes
        self.fields["communes"].taken = taken or {}
        if editing:
            del self.fields["code"]


class CollectionPolicyForm(VietnameseForm):
    """Quy định hủy thu của tỉnh: four eyes for officers' own cancellations, days to change one's mind."""

    officer_cancel_needs_second_officer = forms.BooleanField(
        label="Cán bộ BHXH hủy khoản do chính mình thu cần cán bộ thứ hai duyệt (hai người)", required=False)
    change_of_mind_days = forms.IntegerField(
        label="Số ngày người nộp được đổi ý", min_value=0, max_value=90,
        help_text="Từ 0 đến 90 ngày kể từ ngày thu (quy định của tỉnh, không phải luật).",
        error_messages={"required": "Vui lòng nhập số ngày.", "invalid": "Số ngày phải là số nguyên.",
                        "min_value": "Số ngày được đổi ý phải từ 0 đến 90.",
                        "max_value": "Số ngày được đổi ý phải từ 0 đến 90."},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
