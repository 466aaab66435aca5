"""Login, logout, the home redirect by role, and the decorator that turns domain errors into HTTP
answers for every page."""

import logging
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


NOT_FOUND = "Không tìm thấy hồ sơ."
audit = logging.getLogger("ansinh.audit")


def out_of_scope_refused(request, exc: Exception | None = None, *, model: str = "", pk=None) -> Http404:
    """The answer to a record outside the user's scope: exactly a missing record's (404, same page), so
    that ids cannot be probed, with the refusal logged for audit (``ansinh.audit``: user id, URL name,
    model, the URL's ids; never personal data)."""
    match = getattr(request, "resolver_match", None)
    details = getattr(exc, "details", {}) or {}
    ids = ",".join(f"{k}={v}" for k, v in sorted((match.kwargs if match else {}).items()))
    url_name = match.view_name if match else ""
    audit.warning("out_of_scope user=%s url=%s model=%s pk=%s ids=%s", getattr(request.user, "pk", None),
                  url_name or "-", model or details.get("model") or url_name.split("_")[0] or "-",
                  pk if pk is not None else details.get("pk", match.kwargs.get("pk", "-") if match else "-"),
                  ids or "-")
    return Http404(NOT_FOUND)


def domain_errors(view):
    """Answer PermissionDenied from a service with the 403 page (showing the Vietnamese message), a
    record outside the user's scope (OutOfScope) exactly like a missing record, with the 404 page (the
    refusal logged for audit), instead of a server error."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except OutOfScope as exc:
            raise out_of_scope_refused(request, exc) from exc
        except PermissionDenied as exc:
            raise HttpForbidden(exc.message) from exc
        except ObjectDoesNotExist as exc:
            raise Http404(NOT_FOUND) from exc

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
