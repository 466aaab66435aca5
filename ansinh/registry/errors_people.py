"""Errors of the registry edits (people, households, members) with their Vietnamese messages; ``field``
in the details names the form field the message belongs to."""

from ansinh.core.errors import ValidationError


class RegistryEditError(ValidationError):
    """Base of the registry edit errors; ``details["field"]`` is the form field concerned (or absent)."""

    code = "registry_invalid"
    field: str | None = None

    def __init__(self, message: str | None = None, **details):
        details.setdefault("field", self.field)
        super().__init__(message, **details)

    @property
    def field_name(self) -> str | None:
        return self.details.get("field")


class NameRequired(RegistryEditError):
    code, field = "name_required", "full_name"
    message = "Họ tên: vui lòng nhập họ và tên."


class BirthDateInvalid(RegistryEditError):
    code, field = "birth_date_invalid", "date_of_birth"
    message = "Ngày sinh: không được sau hôm nay và không trước năm 1900."


class CitizenIdInvalid(RegistryEditError):
    code, field = "citizen_id_invalid", "citizen_id"
    message = "Số CCCD: phải gồm đúng 12 chữ số."


class CitizenIdTaken(RegistryEditError):
    code, field = "citizen_id_taken", "citizen_id"
    message = "Số CCCD: đã thuộc về một người khác trong sổ."


class SiNumberInvalid(RegistryEditError):
    code, field = "si_number_invalid", "si_number"
    message = "Mã số BHXH: phải gồm đúng 10 chữ số."


class SiNumberTaken(RegistryEditError):
    code, field = "si_number_taken", "si_number"
    message = "Mã số BHXH: đã thuộc về một người khác trong sổ."


class PhoneInvalid(RegistryEditError):
    code, field = "phone_invalid", "phone"
    message = "Số điện thoại: phải gồm 10 chữ số, bắt đầu bằng 0."


class ReasonRequired(RegistryEditError):
    code, field = "reason_required", "reason"
    message = "Lý do sửa: sửa họ tên, ngày sinh, giới tính, số CCCD hoặc mã số BHXH phải ghi lý do."


class HouseholdCodeTaken(RegistryEditError):
    code, field = "household_code_taken", "code"
    message = "Mã hộ: đã có hộ khác mang mã này."


class HouseholdCodeRequired(RegistryEditError):
    code, field = "household_code_required", "code"
    message = "Mã hộ: vui lòng nhập mã hộ."


class CommuneOutOfScope(RegistryEditError):
    code, field = "commune_out_of_scope", "commune"
    message = "Xã/phường: nằm ngoài địa bàn bạn phụ trách."


class HeadNotAllowedHere(RegistryEditError):
    code, field = "head_not_allowed", "relationship"
    message = "Quan hệ với chủ hộ: hộ đã có chủ hộ; muốn đổi chủ hộ hãy dùng “Đổi chủ hộ”."


class AlreadyInHousehold(RegistryEditError):
    code, field = "already_in_household", "person"
    message = "Người này đang thuộc một hộ khác; hãy dùng “Chuyển hộ”."


class AlreadyInThisHousehold(AlreadyInHousehold):
    code, field = "already_in_this_household", "person"
    message = "Người này đã là thành viên của hộ này."


class NotInHousehold(RegistryEditError):
    code, field = "not_in_household", "person"
    message = "Người này không thuộc hộ nào."


class NotAMember(RegistryEditError):
    code, field = "not_a_member", "new_head"
    message = "Chủ hộ mới: phải là một thành viên khác của hộ."


class NewHeadRequired(RegistryEditError):
    code, field = "new_head_required", "new_head"
    message = "Chủ hộ mới: người này đang là chủ hộ; phải chọn chủ hộ mới trong cùng thao tác."


class SameHousehold(RegistryEditError):
    code, field = "same_household", "to_household"
    message = "Hộ chuyển đến: người này đã ở trong hộ này."


class OtherProvince(RegistryEditError):
    code, field = "other_province", "to_household"
    message = "Hộ chuyển đến: thuộc tỉnh khác; chuyển ra ngoài tỉnh hãy dùng “Chuyển đi ngoại tỉnh”."


class DateInFuture(RegistryEditError):
    code, field = "date_in_future", "on"
    message = "Ngày: không được sau hôm nay."


class DeathBeforeBirth(RegistryEditError):
    code, field = "death_before_birth", "on"
    message = "Ngày mất: không được trước ngày sinh."


class DateBeforeBirth(RegistryEditError):
    code, field = "date_before_birth", "on"
    message = "Ngày: không được trước ngày sinh."


class DateBeforeCardStart(RegistryEditError):
    code, field = "date_before_card_start", "on"
    message = "Ngày: không được trước ngày bắt đầu của thẻ BHYT đã đóng tiền gần nhất."


class DateBeforeSince(RegistryEditError):
    code, field = "date_before_since", "on"
    message = "Ngày: không được trước ngày người này vào hộ hiện tại."


class PersonGone(RegistryEditError):
    code, field = "person_gone", "person"
    message = "Người này đã được ghi là đã mất hoặc đã chuyển đi ngoại tỉnh."


class PersonMergedAway(RegistryEditError):
    code, field = "person_merged_away", "person"
    message = "Hồ sơ này đã được gộp vào một hồ sơ khác; hãy sửa trên hồ sơ được giữ lại."


class DecisionRequired(RegistryEditError):
    code, field = "decision_required", "decision_number"
    message = "Số quyết định: đổi diện hộ nghèo/cận nghèo phải ghi số và ngày của quyết định."


class DecisionDateRequired(RegistryEditError):
    code, field = "decision_date_required", "decision_date"
    message = "Ngày quyết định: vui lòng nhập ngày ký quyết định (không sau hôm nay)."


class StatusUnchanged(RegistryEditError):
    code, field = "status_unchanged", "status"
    message = "Diện hộ: hộ đã thuộc diện này."


class HouseholdHeadless(RegistryEditError):
    code, field = "household_headless", "new_head"
    message = "Chủ hộ mới: hộ còn thành viên thì phải có chủ hộ."


class ChangedMeanwhile(RegistryEditError):
    code, field = "changed_meanwhile", None
    message = "Hồ sơ vừa được người khác thay đổi; hãy tải lại trang rồi làm lại."
