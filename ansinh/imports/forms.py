"""Forms of the import pages."""

from django import forms

from ansinh.areas.models import AdministrativeUnit

from .columns import FIELDS


class UploadForm(forms.Form):
    file = forms.FileField(label="Tệp danh sách (.xlsx, .xls, .csv)",
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}))
    default_commune = forms.ModelChoiceField(
        label="Xã mặc định (cho các dòng không ghi xã)", required=False, queryset=AdministrativeUnit.objects.none(),
        empty_label="— Không —")

    def __init__(self, *args, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if communes is not None:
            self.fields["default_commune"].queryset = communes.order_by("parent__name", "name")
            self.fields["default_commune"].label_from_instance = lambda u: (
                f"{u.name} — {u.parent.name}" if u.parent_id else u.name)


class MappingForm(forms.Form):
    """One choice per header the import did not recognise."""

    def __init__(self, *args, headers: list[str], initial_mapping: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— Chọn trường —")] + [(k, v) for k, v in FIELDS.items()]
        self.headers = headers
        for i, header in enumerate(headers):
            self.fields[f"col_{i}"] = forms.ChoiceField(label=header, choices=choices, required=False,
                                                        initial=(initial_mapping or {}).get(header, ""))

    def mapping(self) -> dict[str, str]:
        return {h: self.cleaned_data.get(f"col_{i}", "") for i, h in enumerate(self.headers)}
