"""Forms of the campaign pages (parsing only; the rules live in ``ansinh.campaigns.services``)."""

from django import forms
from django.db.models import Q

from ansinh.areas.models import AdministrativeUnit, Level, MapVersion, UnitMapping
from ansinh.campaigns.forms_progress import TargetForm
from ansinh.campaigns.models import Campaign
from ansinh.campaigns.selectors import campaign_map
from ansinh.collection.models import Agent
from ansinh.registry.models import AssociationUnit
from ansinh.core.forms import AdminDateField, SafeModelChoiceField, VietnameseForm


def _date(label: str) -> AdminDateField:
    return AdminDateField(
        label=label, input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric",
                                                          "autocomplete": "off", "maxlength": "10"}),
        error_messages={"required": f"Vui lòng nhập {label.lower()}.", "invalid": "Ngày không hợp lệ (dd/mm/yyyy)."})


class CampaignForm(VietnameseForm):
    code = forms.CharField(label="Mã chiến dịch", max_length=30, help_text="Ví dụ CD-2026 (dùng trong đường dẫn).",
                           error_messages={"required": "Vui lòng nhập mã chiến dịch.",
                                           "max_length": "Mã chiến dịch tối đa 30 ký tự."})
    name = forms.CharField(label="Tên chiến dịch", max_length=200,
                           error_messages={"required": "Vui lòng nhập tên chiến dịch."})
    launch_day = _date("Ngày ra quân")
    starts_on = _date("Ngày bắt đầu")
    ends_on = _date("Ngày kết thúc")

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["code"].disabled = True
            self.fields["code"].required = False


class CopyTargetsForm(VietnameseForm):
    source = SafeModelChoiceField(label="Sao chép chỉ tiêu từ chiến dịch", queryset=Campaign.objects.none(),
                                    empty_label="— Chọn chiến dịch trước —",
                                    error_messages={"required": "Vui lòng chọn chiến dịch để sao chép.",
                                                    "invalid_choice": "Chiến dịch không hợp lệ."})

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = Campaign.objects.exclude(pk=campaign.pk).order_by("-starts_on")
        self.fields["source"].label_from_instance = lambda c: f"{c.name} ({c.starts_on:%d/%m/%Y} – {c.ends_on:%d/%m/%Y})"


class AdminTargetForm(TargetForm):
    """A target of a campaign of the administrator's province: the areas are the campaign's map (the
    province and its communes from 01/07/2025; the old province, districts and communes before)."""

    def __init__(self, *args, province: AdministrativeUnit, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        old_communes = UnitMapping.objects.filter(new_unit__province=province).values("old_unit_id")
        olds = AdministrativeUnit.objects.filter(pk__in=old_communes)
        if campaign_map(campaign) == MapVersion.NEW:
            areas = AdministrativeUnit.objects.filter(
                Q(pk=province.pk) | Q(map=MapVersion.NEW, level=Level.COMMUNE, province=province))
        else:
            areas = AdministrativeUnit.objects.filter(
                Q(pk__in=old_communes) | Q(pk__in=olds.values("parent_id")) | Q(pk__in=olds.values("province_id"))
                | Q(pk=campaign.province_id))
        self.fields["area"].queryset = areas.order_by("level", "code")
        self.fields["area"].label_from_instance = lambda u: f"{u.name} ({u.get_level_display().split('/')[0]})"
        communes = AdministrativeUnit.objects.filter(Q(province=province) | Q(pk__in=old_communes))
        self.fields["association_unit"].queryset = AssociationUnit.objects.filter(commune__in=communes).order_by(
            "kind", "code")
        self.fields["association_unit"].label_from_instance = lambda u: f"{u.code} — {u.name}"
        agent_areas = AdministrativeUnit.objects.filter(
            Q(pk__in=communes.values("pk")) | Q(pk__in=olds.values("parent_id")) | Q(pk=province.pk))
        self.fields["agent"].queryset = Agent.objects.filter(area__in=agent_areas).order_by("code")
        self.fields["agent"].label_from_instance = lambda a: f"{a.code} — {a.full_name}"
        for name in ("period_start", "period_end"):
            self.fields[name].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
            self.fields[name].error_messages["invalid"] = "Ngày không hợp lệ."
            self.fields[name].error_messages["required"] = "Vui lòng nhập ngày."
        self.fields["goal"].error_messages["required"] = "Vui lòng nhập mức chỉ tiêu."
