"""Template context: the signed-in user's role, scope label and navigation."""

from django.urls import NoReverseMatch, reverse

from .models import Role, UserRole
from .services import scope_label

# The menu: (url name, label, roles that see it, named permission or None, url names that highlight it).
# An item whose page is not mounted, or whose permission the user lacks, is left out.
OFFICERS = {Role.SI_OFFICER, Role.ASSOCIATION_OFFICER}
ADMIN = {Role.PROVINCE_ADMIN}
ALL = {Role.SI_OFFICER, Role.ASSOCIATION_OFFICER, Role.GROUP_LEADER, Role.COLLECTION_AGENT, Role.PROVINCE_ADMIN}
COLLECTORS = {Role.SI_OFFICER, Role.COLLECTION_AGENT}
NAV = [
    ("household_list", "Hộ gia đình", ALL, "registry.view_household",
     ("household_list", "household_detail", "hi_pay", "vsi_pay")),
    ("reminders", "Việc cần làm", {Role.GROUP_LEADER, Role.COLLECTION_AGENT}, "registry.view_person", ("reminders",)),
    ("dashboard", "Chiến dịch", OFFICERS | ADMIN | {Role.GROUP_LEADER}, "campaigns.view_campaign", ("dashboard",)),
    ("progress", "Tiến độ", OFFICERS | ADMIN | {Role.GROUP_LEADER}, "campaigns.view_campaign",
     ("progress", "progress_daily", "progress_leaders", "progress_live", "targets", "target_new", "target_edit")),
    ("collection_book", "Sổ thu", COLLECTORS, "collection.view_payment", ("collection_book",)),
    ("reconciliation", "Đối chiếu", {Role.SI_OFFICER}, "collection.view_payment", ("reconciliation",)),
    # Agents record their handovers there; SI officers confirm the amounts received.
    ("handover", "Bàn giao tiền", COLLECTORS, "collection.view_payment", ("handover",)),
    ("receipt_list", "Biên lai", COLLECTORS, "collection.view_payment", ("receipt_list", "receipt")),
    # SI officers approve or refuse the agents' requests to cancel a payment.
    ("payment_cancel_queue", "Yêu cầu hủy thu", {Role.SI_OFFICER}, "collection.change_paymentcancellation",
     ("payment_cancel_queue",)),
    ("renewals", "Tái tục", OFFICERS | {Role.GROUP_LEADER, Role.COLLECTION_AGENT}, "registry.view_person",
     ("renewals",)),
    ("lists", "Danh sách", COLLECTORS, "collection.view_payment", ("lists",)),
    ("import_upload", "Nhập dữ liệu", OFFICERS | ADMIN, "imports.import_members",
     ("import_upload", "import_batch", "import_mapping", "duplicate_list", "duplicate_decide")),
    ("messaging:outbox", "Tin nhắn", OFFICERS, "messaging.view_outboxmessage",
     ("outbox", "templates", "template_edit", "consent")),
    ("calculator_contribution", "Tính mức đóng", ALL, None, ("calculator_contribution", "calculator_benefits")),
    ("parameter_list", "Tham số", {Role.SI_OFFICER}, None, ("parameter_list", "parameter_detail", "parameter_value_add")),
    ("admin_index", "Quản trị", {Role.PROVINCE_ADMIN}, "collection.change_agent", ("admin_index",)),
]


def _nav(user, user_role: UserRole, current: str) -> list[dict]:
    items = []
    for name, label, roles, permission, section in NAV:
        if user_role.role not in roles or (permission and not user.has_perm(permission)):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": current in section})
    return items


def role(request):
    """``user_role`` (or None), ``scope_label`` (area, unit or agent) and ``nav`` items
    ``{"url", "label", "active"}`` for the menu, by role and named permission."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_role": None, "nav": []}
    try:
        user_role = user.ansinh_role  # loaded with the user (accounts.backends.RoleBackend)
    except UserRole.DoesNotExist:
        return {"user_role": None, "nav": []}
    label = scope_label(user_role)
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match else ""
    if current and current.startswith("admin_"):
        current = "admin_index"  # every administrator page highlights "Quản trị"
    return {"user_role": user_role, "scope_label": label, "nav": _nav(user, user_role, current)}
