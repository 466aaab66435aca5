"""Errors of the parameter pages and services, with their Vietnamese messages kept as constants."""

from ansinh.core.errors import AnSinhError

UNKNOWN_PARAMETER = "Không có tham số «{name}»."
START_REQUIRED = "Vui lòng nhập ngày bắt đầu áp dụng."
START_NOT_AFTER_LAST = "Ngày áp dụng phải sau ngày bắt đầu của giá trị gần nhất ({last})."
START_TOO_FAR = "Ngày áp dụng không hợp lệ (sau năm {year})."
VALUE_REQUIRED = "Vui lòng nhập giá trị."
VALUE_NEGATIVE = "Giá trị không được âm."
VALUE_INVALID = "Giá trị không hợp lệ: cần {hint}."
REFERENCE_REQUIRED = "Vui lòng nhập văn bản căn cứ (số hiệu văn bản pháp lý)."
LINK_INVALID = "Đường dẫn phải bắt đầu bằng http:// hoặc https://."
CONFIDENCE_INVALID = "Độ tin cậy phải là «Đã công bố», «Nguồn thứ cấp» hoặc «Chưa xác nhận»."
REFUSED_BY_LOADER = "Bộ kiểm tra tham số từ chối giá trị này ({detail})."
GROUPS_DIFFER = "Giá trị mới phải có đúng các nhóm của giá trị hiện hành: {groups}."
VALUE_ZERO = "Giá trị mới không được bằng 0 (giá trị hiện hành khác 0)."
CHANGE_NEEDS_REASON = ("Giá trị mới thay đổi {pct} so với giá trị gần nhất ({before} → {after}), quá mức {share} cho "
                       "phép. Hãy kiểm tra lại; nếu đúng, ghi lý do vào ô «Lý do thay đổi lớn» và bấm xác nhận.")
LOCAL_SUPPORT_ABOVE_TOTAL = ("Hỗ trợ của địa phương cho nhóm «{group}» ({local}) cộng với hỗ trợ của Nhà nước "
                             "từ ngày {start} ({state}) vượt quá 100% mức đóng tính trên chuẩn hộ nghèo.")
LEGAL_PARAMETER_ADMIN_ONLY = ("Tham số pháp lý áp dụng cho cả nước: chỉ quản trị tỉnh mới được thêm giá trị mới "
                              "(cán bộ cấp huyện, xã không được thêm).")
LOCAL_SUPPORT_OWN_PROVINCE = "Chỉ quản trị của tỉnh {code} mới được thêm mức hỗ trợ của địa phương tỉnh này."
ALREADY_ADDED = "Tham số này vừa có một giá trị khác cùng ngày áp dụng; vui lòng tải lại trang."


class UnknownParameter(AnSinhError):
    """No parameter (nor family member) has this name."""

    code = "unknown_parameter"
    message = "Không có tham số này."


class ParameterValueRefused(AnSinhError):
    """A runtime value the strict checks refuse. ``details["field"]`` names the form field it concerns
    (``start``, ``value``, ``reference_document``, ``reference_link``, ``confidence``) or is None."""

    code = "parameter_value_refused"
    message = "Giá trị tham số không hợp lệ."

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message, code=code, field=field)

    @property
    def field(self) -> str | None:
        return self.details.get("field")
