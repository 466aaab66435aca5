"""Login, logout, the home redirect by role, and the decorator that turns domain errors into HTTP
answers for every page."""

from functools import wraps

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404
from django.shortcuts import redirect

from ansinh.core.errors import OutOfScope, PermissionDenied

from .forms import LoginForm
from .models import Role
from .services import role_of


def domain_errors(view):
    """Answer PermissionDenied / OutOfScope from a service with the 403 page (showing the Vietnamese
    message) and a missing record with the 404 page, instead of a server error."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (PermissionDenied, OutOfScope) as exc:
            raise HttpForbidden(exc.message) from exc
        except ObjectDoesNotExist as exc:
            raise Http404("Không tìm thấy hồ sơ.") from exc

    return wrapper


class LoginView(auth_views.LoginView):
    """Sign-in page (Vietnamese); an already signed-in user goes straight home."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only), then back to the sign-in page."""


@login_required
@domain_errors
def home(request):
    """Send a collection agent to their households, an administrator to the structure pages and everyone
    else to the campaign dashboard."""
    role = role_of(request.user).role
    if role == Role.COLLECTION_AGENT:
        return redirect("household_list")
    if role == Role.PROVINCE_ADMIN:
        return redirect("admin_index")
    return redirect("dashboard")


def csrf_failure(request, reason: str = ""):
    """The page for a form whose security token is missing or out of date (``CSRF_FAILURE_VIEW``): the
    user signed in again or the page stayed open too long. Says in Vietnamese to reload and enter again;
    nothing was recorded. Status 403."""
    from django.shortcuts import render

    return render(request, "403.html", {
        "exception": "Biểu mẫu đã hết hạn (bạn vừa đăng nhập lại hoặc trang mở quá lâu), nên chưa có gì được ghi. "
                     "Vui lòng tải lại trang rồi nhập lại.",
    }, status=403)
