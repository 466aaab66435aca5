"""Pages of personal API tokens: a user's own (create, see last use, revoke) under /tai-khoan/ma-truy-cap/,
and the province administrator's list of their users' tokens (revoke any) under /quan-tri/ma-truy-cap/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ansinh.accounts.views import domain_errors

from .errors_tokens import TokenAlreadyRevoked, TokenInvalid
from .forms import ApiTokenForm
from .selectors import api_token_get, api_token_get_for_admin, api_tokens_in_province, api_tokens_of
from .services import api_token_create, api_token_revoke


@login_required
@domain_errors
def api_token_list(request):
    """Mã truy cập API: the user's tokens and the form to create one; the new secret is shown once."""
    form = ApiTokenForm(request.POST or None)
    status, secret, created = 200, None, None
    if request.method == "POST":
        if form.is_valid():
            try:
                created, secret = api_token_create(user=request.user, name=form.cleaned_data["name"],
                                                   expires_on=form.cleaned_data["expires_on"])
            except TokenInvalid as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = 400
            else:
                form = ApiTokenForm()
        else:
            status = 400
    response = render(request, "api/tokens.html", {
        "form": form, "tokens": api_tokens_of(user=request.user), "secret": secret, "created": created,
    }, status=status)
    response["Cache-Control"] = "no-store"  # the secret must not stay in a cache
    return response


@login_required
@domain_errors
@require_POST
def api_token_revoke_view(request, pk: int):
    """Thu hồi one of the user's own tokens (POST)."""
    token = api_token_get(user=request.user, pk=pk)
    try:
        api_token_revoke(user=request.user, token=token)
    except TokenAlreadyRevoked as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã thu hồi mã «{token.name}».")
    return redirect("api_token_list")


@login_required
@domain_errors
def api_token_admin_list(request):
    """Quản trị › Mã truy cập API: every token of the province's users, with the owner and last use."""
    return render(request, "api/admin_tokens.html", {"tokens": api_tokens_in_province(user=request.user)})


@login_required
@domain_errors
@require_POST
def api_token_admin_revoke(request, pk: int):
    """The administrator revokes a token of a user of their province (POST)."""
    token = api_token_get_for_admin(user=request.user, pk=pk)
    try:
        api_token_revoke(user=request.user, token=token)
    except TokenAlreadyRevoked as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã thu hồi mã «{token.name}» của {token.user.username}.")
    return redirect("api_token_admin_list")
