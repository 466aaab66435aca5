"""Forms of the progress and target pages (parsing only; rules live in services)."""

import datetime

from django import forms
from django.db.models import Q

from ansinh.areas.models import AdministrativeUnit, Level, MapVersion
from ansinh.collection.models import Agent
from ansinh.core.forms import (DATE_INPUT_FORMATS, AdminDateField, SafeModelChoiceField, VietnameseForm,
                               date_input)
from ansinh.registry.models import AssociationUnit

from .models import Indicator
from .selectors import campaign_map
from .progress import GOAL_KIND, LEVEL_LABELS, LEVELS



class ProgressForm(forms.Form):
    """Controls of the progress page: level, date, map."""

    by = forms.ChoiceField(label="Xem theo", choices=[(lv, LEVEL_LABELS[lv]) for lv in LEVELS], required=False)
    on = forms.DateField(label="Tính đến ngày", widget=date_input(), input_formats=DATE_INPUT_FORMATS,
                         required=False, error_messages={"invalid": "Ngày không hợp lệ (dd/mm/yyyy)."})
    map = forms.ChoiceField(label="Bản đồ", required=False,
                            choices=[("", "Theo ngày xem"), (MapVersion.OLD, "Trước 01/07/2025 (có cấp huyện)"),
                                     (MapVersion.NEW, "Từ 01/07/2025 (tỉnh – xã)")])
    within = forms.IntegerField(required=False, widget=forms.HiddenInput)


class TargetForm(VietnameseForm):
    """A target: indicator, one unit, period, goal. The goal kind follows the indicator."""

    indicator = forms.ChoiceField(label="Chỉ tiêu", choices=Indicator.choices)
    unit_kind = forms.ChoiceField(label="Giao cho", initial="area", choices=[
        ("area", "Địa bàn"), ("association_unit", "Chi hội / tổ TK&VV"), ("agent", "Nhân viên thu")])
    area = SafeModelChoiceField(label="Địa bàn", queryset=AdministrativeUnit.objects.none(), required=False,
                                  empty_label="— Chọn địa bàn —")
    association_unit = SafeModelChoiceField(label="Chi hội / tổ TK&VV", queryset=AssociationUnit.objects.none(),
                                              required=False, empty_label="— Chọn chi hội, tổ —")
    agent = SafeModelChoiceField(label="Nhân viên thu", queryset=Agent.objects.none(), required=False,
                                   empty_label="— Chọn nhân viên thu —")
    period_start = AdminDateField(label="Từ ngày", widget=date_input(), input_formats=DATE_INPUT_FORMATS)
    period_end = AdminDateField(label="Đến ngày", widget=date_input(), input_formats=DATE_INPUT_FORMATS)
    goal = forms.CharField(label="Mức chỉ tiêu",
                           help_text="Số người, tỷ lệ % (0–100) hoặc số tiền (đồng) tùy chỉ tiêu.")

    def __init__(self, *args, communes=None, campaign=None, **kwargs):
        """``communes``: the user's scope (communes on either map whose records they see); the areas offered
        are on the campaign's map — the province, districts and communes before 01/07/2025, the province and
        its communes from that day (no district)."""
        super().__init__(*args, **kwargs)
        if communes is not None:
            new_map = campaign is not None and campaign_map(campaign) == MapVersion.NEW
            own = communes.filter(map=MapVersion.NEW if new_map else MapVersion.OLD)
            districts = AdministrativeUnit.objects.filter(pk__in=own.values("parent_id"), level=Level.DISTRICT)
            provinces = AdministrativeUnit.objects.filter(pk__in=own.values("province_id"))
            self.fields["area"].queryset = AdministrativeUnit.objects.filter(
                pk__in=list(own.values_list("pk", flat=True)) + list(districts.values_list("pk", flat=True))
                + list(provinces.values_list("pk", flat=True))
            ).order_by("level", "code")
            self.fields["area"].label_from_instance = lambda u: f"{u.name} ({u.get_level_display().split('/')[0]})"
            self.fields["association_unit"].queryset = AssociationUnit.objects.filter(commune__in=communes).order_by(
                "kind", "code")
            self.fields["association_unit"].label_from_instance = lambda u: f"{u.code} — {u.name}"
            all_districts = AdministrativeUnit.objects.filter(pk__in=communes.values("parent_id"))
            self.fields["agent"].queryset = Agent.objects.filter(
                Q(area_id__in=all_districts.values("pk")) | Q(area_id__in=communes.values("pk"))).order_by("code")
            self.fields["agent"].label_from_instance = lambda a: f"{a.code} — {a.full_name}"

    def clean(self):
        data = super().clean()
        kind = data.get("unit_kind")
        for name in ("area", "association_unit", "agent"):
            if name != kind:
                data[name] = None
        if kind and not data.get(kind):
            self.add_error(kind, "Hãy chọn đơn vị nhận chỉ tiêu.")
        if data.get("indicator"):
            data["goal_kind"] = GOAL_KIND[data["indicator"]]
        return data

    @staticmethod
    def initial_for(target) -> dict:
        kind = "area" if target.area_id else "association_unit" if target.association_unit_id else "agent"
        goal = target.goal.normalize() if target.goal == target.goal.to_integral_value() else target.goal
        return {"indicator": target.indicator, "unit_kind": kind, "area": target.area,
                "association_unit": target.association_unit, "agent": target.agent,
                "period_start": target.period_start, "period_end": target.period_end, "goal": f"{goal:f}"}


def parse_day(value: str | None, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value) if value else default
    except ValueError:
        return default


