"""Reads of the administrator's pages: the history of a structure record (who changed what and when),
read from each model's django-simple-history table."""

import datetime

from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone

from ansinh.accounts.models import UserRole
from ansinh.accounts.services_users import admin_province, area_in_province, scope_in_province
from ansinh.areas.models import SiOffice
from ansinh.campaigns.models import Campaign, Target
from ansinh.collection.models import Agent, AgentCatchment, CollectionOrg
from ansinh.core.errors import OutOfScope
from ansinh.core.masking import mask_citizen_id, mask_phone
from ansinh.registry.models import AssociationUnit, Leadership, Membership

SYSTEM = "hệ thống"
ACTIONS = {"+": "Tạo", "~": "Sửa", "-": "Xóa"}
MASKS = {"citizen_id": mask_citizen_id, "phone": mask_phone}
SKIPPED_FIELDS = {"id", "password", "last_login", "name_folded", "created_at", "date_joined"}

# Vietnamese labels of fields whose model gives no Vietnamese verbose name (the models belong to other
# apps; a verbose name there would be a migration of theirs). A model's own Vietnamese verbose name wins.
FIELD_LABELS = {
    "code": "Mã", "name": "Tên", "kind": "Loại", "province": "Tỉnh/Thành phố", "valid_from": "Có hiệu lực từ",
    "closed_on": "Ngày đóng", "successor": "Đơn vị kế thừa", "org": "Tổ chức dịch vụ thu",
    "full_name": "Họ và tên", "phone": "Số điện thoại", "area": "Địa bàn", "agent": "Nhân viên thu",
    "commune": "Xã/Phường", "hamlet": "Ấp/Khu vực", "communes": "Các xã, phường phụ trách",
    "branch": "Chi hội", "merged_into": "Sáp nhập vào", "person": "Người", "role": "Vai trò",
    "joined_on": "Ngày vào", "unit": "Đơn vị", "starts_on": "Từ ngày", "ends_on": "Đến ngày",
    "username": "Tên đăng nhập", "first_name": "Họ và tên", "last_name": "Họ", "email": "Thư điện tử",
    "is_active": "Đang hoạt động", "is_staff": "Vào trang quản trị Django", "is_superuser": "Toàn quyền",
    "association_unit": "Chi hội / tổ TK&VV", "si_office": "BHXH cơ sở", "user": "Tài khoản",
    "launch_day": "Ngày ra quân", "campaign": "Chiến dịch", "indicator": "Chỉ tiêu",
    "period_start": "Kỳ từ ngày", "period_end": "Kỳ đến ngày", "goal": "Mức giao", "goal_kind": "Cách giao",
    "citizen_id": "Số định danh cá nhân",
}
PART_LABELS = {
    AgentCatchment: "Địa bàn thu", Leadership: "Người đứng đầu", Membership: "Hội viên", UserRole: "Vai trò",
    Target: "Chỉ tiêu",
}


def _object_in_province(kind: str, obj, province) -> bool:
    if kind == "org":
        return area_in_province(obj.province, province)
    if kind == "agent":
        return area_in_province(obj.area, province)
    if kind == "office":
        return obj.province_id == province.pk
    if kind == "unit":
        return area_in_province(obj.commune, province)
    if kind == "user":
        return not obj.is_superuser and scope_in_province(UserRole.objects.filter(user=obj).first(), province)
    return area_in_province(obj.province, province)


HISTORY_KINDS = {
    # kind: (model, title, [(part model, the part's field pointing at the record)])
    "org": (CollectionOrg, "Tổ chức dịch vụ thu", []),
    "agent": (Agent, "Nhân viên thu", [(AgentCatchment, "agent")]),
    "office": (SiOffice, "BHXH cơ sở", []),
    "unit": (AssociationUnit, "Chi hội / tổ TK&VV", [(Leadership, "unit"), (Membership, "unit")]),
    "user": (User, "Người dùng", [(UserRole, "user")]),
    "campaign": (Campaign, "Chiến dịch", [(Target, "campaign")]),
}


def _label(model, name: str) -> str:
    try:
        f = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a history-only field: use our label or the name
        return FIELD_LABELS.get(name, name)
    verbose = str(getattr(f, "verbose_name", name))
    if verbose and verbose != name.replace("_", " ") and verbose[:1].isupper():
        return verbose
    return FIELD_LABELS.get(name, verbose)


class _Values:
    """Shows a stored value as people read it: names of related records, labels of choices, dd/mm/yyyy,
    masked citizen IDs and phones."""

    def __init__(self):
        self.cache: dict[tuple, str] = {}

    def related(self, model, pk) -> str:
        key = (model, pk)
        if key not in self.cache:
            obj = model._default_manager.filter(pk=pk).first()
            self.cache[key] = str(obj) if obj is not None else f"#{pk} (đã xóa)"
        return self.cache[key]

    def show(self, model, name: str, value) -> str:
        if value is None or value == "":
            return "—"
        if name in MASKS:
            return MASKS[name](str(value))
        try:
            f = model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - a history-only field
            f = None
        if isinstance(f, models.ManyToManyField) and isinstance(value, list):
            target = f.related_model
            column = target._meta.model_name
            ids = [row.get(column) for row in value if isinstance(row, dict)]
            return ", ".join(self.related(target, i) for i in ids) or "—"
        if isinstance(f, models.ForeignKey) or (f is not None and f.is_relation and f.many_to_one):
            return self.related(f.related_model, value)
        if f is not None and f.choices:
            return str(dict(f.flatchoices).get(value, value))
        if isinstance(value, bool):
            return "Có" if value else "Không"
        if isinstance(value, datetime.datetime):
            return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
        if isinstance(value, datetime.date):
            return f"{value:%d/%m/%Y}"
        return str(value)


def _fields(model) -> list[tuple[str, str]]:
    """(field name, attribute holding its value: the id for a foreign key) of the fields shown."""
    return [(f.name, f.attname) for f in model._meta.concrete_fields if f.name not in SKIPPED_FIELDS]


def _rows(history_qs, model, part: str | None, values: _Values) -> list[dict]:
    out = []
    records = list(history_qs.select_related("history_user").order_by("history_date", "history_id"))
    previous: dict = {}
    fields = _fields(model)
    for record in records:
        key = getattr(record, "id", None)
        prev = previous.get(key)
        changes = []
        if record.history_type == "~" and prev is not None:
            delta = record.diff_against(prev)
            for change in delta.changes:
                if change.field in SKIPPED_FIELDS:
                    continue
                changes.append({"label": _label(model, change.field),
                                "old": values.show(model, change.field, change.old),
                                "new": values.show(model, change.field, change.new)})
        elif record.history_type == "+":
            for name, attname in fields:
                value = getattr(record, attname, None)
                if value in (None, ""):
                    continue
                changes.append({"label": _label(model, name), "old": "—", "new": values.show(model, name, value)})
        previous[key] = record
        who = record.history_user.username if record.history_user_id and record.history_user else SYSTEM
        out.append({"at": record.history_date, "when": f"{timezone.localtime(record.history_date):%d/%m/%Y %H:%M}",
                    "who": who, "what": ACTIONS.get(record.history_type, record.history_type), "part": part,
                    "changes": changes})
    return out


def record_history(*, user, kind: str, pk: int) -> dict:
    """The history of one structure record and its parts (an agent's catchments, a unit's leaderships and
    memberships, a user's role, a campaign's targets), newest first. Each row: ``when`` (dd/mm/yyyy HH:MM),
    ``who`` (user name or "hệ thống"), ``what`` (Tạo / Sửa / Xóa), ``part`` (None for the record itself,
    else what part changed) and ``changes`` (Vietnamese field label, old → new; citizen IDs and phones
    masked). Only the administrator of the province the record belongs to. Raises PermissionDenied,
    OutOfScope, KeyError (unknown kind), DoesNotExist."""
    province = admin_province(user)
    model, title, parts = HISTORY_KINDS[kind]
    obj = model._default_manager.get(pk=pk)
    if not _object_in_province(kind, obj, province):
        raise OutOfScope()
    values = _Values()
    rows = _rows(model.history.filter(id=pk), model, None, values)
    for part_model, link in parts:
        rows += _rows(part_model.history.filter(**{f"{link}_id": pk}), part_model, PART_LABELS[part_model], values)
    rows.sort(key=lambda r: r["at"], reverse=True)
    return {"kind": kind, "title": title, "object": obj, "rows": rows}
