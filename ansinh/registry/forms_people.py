"""Forms of the registry edits (people, households, members). They check input types only; the services
check scope, dates, heads and uniqueness and name the field that is wrong."""

from django import forms

from .models import OtherCoverage, PovertyStatus, Relationship, Sex
from ansinh.core.forms import TextHygieneMixin

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
MEMBER_RELATIONSHIPS = [(value, label) for value, label in Relationship.choices if value != Relationship.HEAD]


def date_field(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric",
                                                          "autocomplete": "off", "maxlength": "10"}),
        error_messages={"required": f"{label}: vui lòng nhập ngày (dd/mm/yyyy).",
                        "invalid": f"{label}: ngày không hợp lệ (dd/mm/yyyy)."})


def text_field(label: str, *, max_length: int, required: bool = False, **attrs) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length,
                           widget=forms.TextInput(attrs={"autocomplete": "off", **attrs}),
                           error_messages={"required": f"{label}: vui lòng nhập.",
                                           "max_length": f"{label}: tối đa {max_length} ký tự."})


class PersonFields(TextHygieneMixin, forms.Form):
    """A person's own data."""

    full_name = text_field("Họ tên", max_length=100, required=True)
    date_of_birth = date_field("Ngày sinh")
    sex = forms.ChoiceField(label="Giới tính", choices=Sex.choices, widget=forms.RadioSelect,
                            error_messages={"required": "Giới tính: vui lòng chọn Nam hoặc Nữ."})
    citizen_id = text_field("Số CCCD", max_length=14, inputmode="numeric")
    si_number = text_field("Mã số BHXH", max_length=12, inputmode="numeric")
    phone = text_field("Số điện thoại", max_length=14, inputmode="tel")
    ethnic_minority = forms.BooleanField(label="Người dân tộc thiểu số", required=False)
    other_coverage = forms.ChoiceField(label="BHYT qua nhóm khác", choices=OtherCoverage.choices, required=False)
    hamlet = text_field("Ấp/khu vực", max_length=100)


class NotDuplicateConfirm(TextHygieneMixin, forms.Form):
    """Shown once the page has warned of probable duplicates: the user has looked and it is someone else."""

    not_duplicate = forms.BooleanField(label="Tôi đã xem các hồ sơ nghi trùng: đây là người khác, vẫn lưu",
                                       required=False)


class PersonCreateForm(PersonFields, NotDuplicateConfirm):
    """Thêm người vào hộ."""

    relationship = forms.ChoiceField(label="Quan hệ với chủ hộ", choices=MEMBER_RELATIONSHIPS)


class PersonEditForm(PersonFields):
    """Sửa thông tin người: identity corrections need a reason."""

    reason = text_field("Lý do sửa", max_length=100)
    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = ("Bắt buộc khi sửa họ tên, ngày sinh, giới tính, số CCCD hoặc mã số "
                                           "BHXH; được lưu trong lịch sử.")


class ExistingPersonForm(TextHygieneMixin, forms.Form):
    """Thêm người đã có trong sổ (chưa thuộc hộ nào) vào hộ."""

    citizen_id = text_field("Số CCCD của người cần thêm", max_length=14, required=True, inputmode="numeric")
    relationship = forms.ChoiceField(label="Quan hệ với chủ hộ", choices=MEMBER_RELATIONSHIPS)
    since = date_field("Vào hộ từ ngày", required=False)


class HouseholdCreateForm(PersonFields, NotDuplicateConfirm):
    """Thêm hộ: the household and its head — a new person, or one already in the registry (by citizen ID)."""

    field_order = ["code", "commune", "hamlet", "address", "head_citizen_id"]
    code = text_field("Mã hộ", max_length=20, required=True)
    head_citizen_id = text_field("Chủ hộ đã có trong sổ: số CCCD", max_length=14, inputmode="numeric")
    commune = forms.TypedChoiceField(label="Xã/phường", coerce=int,
                                     error_messages={"required": "Xã/phường: vui lòng chọn.",
                                                     "invalid_choice": "Xã/phường: nằm ngoài địa bàn bạn phụ trách."})
    address = text_field("Địa chỉ", max_length=200)

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [("", "— Chọn xã/phường —")] + [(c.pk, c.name) for c in communes]
        self.fields["full_name"].label = "Họ tên chủ hộ"
        self.fields["head_citizen_id"].help_text = ("Nếu chủ hộ đã có trong sổ (chưa thuộc hộ nào hoặc chuyển từ hộ "
                                                    "khác): nhập số CCCD, bỏ trống các ô thông tin chủ hộ bên dưới.")
        if (self.data.get(self.add_prefix("head_citizen_id")) or "").strip():
            for name in ("full_name", "date_of_birth", "sex"):
                self.fields[name].required = False


def _people_choice(label: str, people, *, required: bool, empty: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, coerce=int, required=required, empty_value=None,
        choices=[("", empty)] + [(p.pk, p.full_name) for p in people],
        error_messages={"required": f"{label}: vui lòng chọn.", "invalid_choice": f"{label}: lựa chọn không hợp lệ."})


class LeaveForm(TextHygieneMixin, forms.Form):
    """Ghi nhận đã mất / chuyển đi ngoại tỉnh: the date and, for a head, the new head."""

    on = date_field("Ngày")

    def __init__(self, *args, others=(), date_label="Ngày", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"] = date_field(date_label)
        self.fields["new_head"] = _people_choice("Chủ hộ mới", others, required=False,
                                                 empty="— Không đổi (người này không phải chủ hộ) —")


class MoveForm(TextHygieneMixin, forms.Form):
    """Chuyển sang hộ khác từ một ngày."""

    to_household = text_field("Hộ chuyển đến (mã hộ)", max_length=20, required=True)
    on = date_field("Chuyển từ ngày")
    relationship = forms.ChoiceField(label="Quan hệ với chủ hộ mới", choices=MEMBER_RELATIONSHIPS)

    def __init__(self, *args, others=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_head"] = _people_choice("Chủ hộ mới của hộ cũ", others, required=False,
                                                 empty="— Không đổi (người này không phải chủ hộ) —")


class HeadChangeForm(TextHygieneMixin, forms.Form):
    """Đổi chủ hộ."""

    old_head_relationship = forms.ChoiceField(label="Quan hệ của chủ hộ cũ với chủ hộ mới",
                                              choices=MEMBER_RELATIONSHIPS)
    expected_head = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, others=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_head"] = _people_choice("Chủ hộ mới", others, required=True, empty="— Chọn —")
        self.order_fields(["new_head", "old_head_relationship"])


class PovertyForm(TextHygieneMixin, forms.Form):
    """Đổi diện hộ (nghèo, cận nghèo…) theo quyết định."""

    status = forms.ChoiceField(label="Diện hộ", choices=PovertyStatus.choices)
    from_date = date_field("Áp dụng từ ngày")
    decision_number = text_field("Số quyết định", max_length=50)
    decision_date = date_field("Ngày quyết định", required=False)


class SuggestionForm(PersonFields):
    """A leader's suggestion: a correction (the person's fields), a death or a move out (the date)."""

    field_order = ["kind", "on"]
    kind = forms.ChoiceField(label="Đề xuất", widget=forms.RadioSelect, choices=[
        ("update", "Sửa thông tin"), ("death", "Đã mất"), ("move_out", "Chuyển đi ngoại tỉnh")])
    on = date_field("Ngày mất / ngày chuyển đi", required=False)
    reason = text_field("Lý do, căn cứ", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("si_number", "ethnic_minority", "other_coverage"):
            del self.fields[name]
        for name in ("full_name", "date_of_birth", "sex"):
            self.fields[name].required = False
