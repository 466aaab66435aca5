"""Quy định hủy thu: the province administrator's page for the cancellation policy of their province."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from ansinh.accounts.views import domain_errors
from ansinh.collection.errors_cancellation import CancellationInvalid
from ansinh.collection.selectors_cancellation import collection_policy_of
from ansinh.collection.services_cancellation import collection_policy_set

from .forms_orgs import CollectionPolicyForm
from .views_orgs import _form_page, _refused

NOTE = ("Khi cán bộ BHXH tự thu rồi tự yêu cầu hủy, cần một cán bộ khác duyệt (nên bật). Người nộp đổi ý "
        "trong số ngày này thì nhân viên thu được yêu cầu hủy với lý do «đổi ý».")


@login_required
@domain_errors
def collection_policy(request):
    """Show and change the province's cancellation policy."""
    province, policy = collection_policy_of(user=request.user)
    form = CollectionPolicyForm(request.POST or None, initial={
        "officer_cancel_needs_second_officer": policy.officer_cancel_needs_second_officer,
        "change_of_mind_days": policy.change_of_mind_days})
    if request.method == "POST" and form.is_valid():
        try:
            collection_policy_set(user=request.user, province=province, **form.cleaned_data)
        except CancellationInvalid as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"Đã lưu quy định hủy thu của {province.name}.")
            return redirect("admin_collection_policy")
    return _form_page(request, form=form, title=f"Quy định hủy thu — {province.name}", submit="Lưu",
                      back_url="admin_index", crumbs=[], status=400 if form.errors else 200, note=NOTE)
