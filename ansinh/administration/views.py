"""The administrator's start page: the parts of the province's structure they keep."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from ansinh.accounts.services import require_permission
from ansinh.accounts.views import domain_errors

# (url name, title, what it is for); a section whose page is not mounted is left out.
SECTIONS = [
    ("admin_org_list", "Tổ chức dịch vụ thu và nhân viên thu", "Bưu điện, tổ chức thu khác; nhân viên thu, địa bàn, giao hộ"),
    ("admin_office_list", "BHXH cơ sở", "Các văn phòng BHXH cơ sở và các xã, phường mỗi văn phòng phụ trách"),
    ("admin_unit_list", "Chi hội và tổ TK&VV", "Chi hội nông dân, tổ tiết kiệm và vay vốn, người đứng đầu theo ngày"),
    ("admin_user_list", "Người dùng", "Tài khoản, vai trò và địa bàn; khóa tài khoản, đặt lại mật khẩu"),
    ("admin_campaign_list", "Chiến dịch", "Chiến dịch theo năm, ngày ra quân, chỉ tiêu"),
    ("admin_collection_policy", "Quy định hủy thu", "Hai người duyệt khi cán bộ hủy khoản mình thu; số ngày được đổi ý"),
    ("api_token_admin_list", "Mã truy cập API", "Mã truy cập của người dùng cho điện thoại, phần mềm; thu hồi"),
]


@login_required
@domain_errors
def index(request):
    """Links to each part of the structure the administrator keeps."""
    require_permission(request.user, "collection.change_agent")
    sections = []
    for name, title, text in SECTIONS:
        try:
            sections.append({"url": reverse(name), "title": title, "text": text})
        except NoReverseMatch:
            continue
    return render(request, "administration/index.html", {"sections": sections})
