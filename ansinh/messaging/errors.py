"""Errors of the messaging app; each message is a Vietnamese constant and names its field."""

from ansinh.core.errors import ValidationError


class TemplateFieldUnknown(ValidationError):
    code = "template_field_unknown"
    message = "Mẫu tin nhắn có trường không được hỗ trợ: {name}."

    def __init__(self, name: str):
        super().__init__(self.message.format(name=name), field="body", name=name)


class TemplateFieldMissing(ValidationError):
    code = "template_field_missing"
    message = "Mẫu tin nhắn thiếu trường bắt buộc {{{name}}}."

    def __init__(self, name: str):
        super().__init__(self.message.format(name=name), field="body", name=name)


class TemplateBraces(ValidationError):
    code = "template_braces"
    message = "Mẫu tin nhắn có dấu ngoặc {} không khớp."

    def __init__(self):
        super().__init__(field="body")


class TemplateEmpty(ValidationError):
    code = "template_empty"
    message = "Mẫu tin nhắn không được để trống."

    def __init__(self):
        super().__init__(field="body")


class ZaloTemplateIdMissing(ValidationError):
    code = "zalo_template_id_missing"
    message = "Kênh Zalo cần mã mẫu ZNS đã được duyệt."

    def __init__(self):
        super().__init__(field="zalo_template_id")


class PhoneInvalid(ValidationError):
    code = "phone_invalid"
    message = "Số điện thoại không phải số di động Việt Nam (10 chữ số, bắt đầu bằng 03, 05, 07, 08, 09)."

    def __init__(self):
        super().__init__(field="phone")


class ConsentDateInFuture(ValidationError):
    code = "consent_date_future"
    message = "Ngày đồng ý / từ chối không được sau hôm nay."

    def __init__(self):
        super().__init__(field="decided_on")


class EmailMissing(ValidationError):
    code = "email_missing"
    message = "Chưa có địa chỉ thư điện tử người dân đồng ý nhận tin."

    def __init__(self):
        super().__init__(field="email")


class OptOutLinkInvalid(ValidationError):
    code = "opt_out_link_invalid"
    message = "Đường dẫn từ chối nhận tin không hợp lệ."

    def __init__(self):
        super().__init__(field="token")
