"""Login form with Vietnamese messages."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


USERNAME_MAX = 150
"""Django's user name limit; longer input is refused before it is checked or counted."""


class LoginForm(AuthenticationForm):
    """Django's authentication form with the app's own Vietnamese wording."""

    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng.",
        "inactive": "Tài khoản này đã bị khóa.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Tên đăng nhập"
        self.fields["username"].widget.attrs.update({"autocapitalize": "none", "autocomplete": "username"})
        self.fields["password"].label = "Mật khẩu"
        for field in self.fields.values():
            field.error_messages["required"] = f"Vui lòng nhập {field.label.lower()}."
            field.error_messages["null_characters_not_allowed"] = f"{field.label} có ký tự không hợp lệ."
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(USERNAME_MAX, message=f"Tên đăng nhập tối đa {USERNAME_MAX} ký tự."))
