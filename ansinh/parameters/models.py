"""Dated parameter values added at runtime by an authorised user (who and when), append-only.

The packaged parameters live in YAML files under ``ansinh/rules/parameters/``; a row here adds one
dated value to one of them (or to a family member such as ``vsi.local_support.92``). The active set is
the files plus every row (``selectors.active_parameters``). Rows are never edited or deleted through
the interface: a correction is a new, later value.
"""

from django.conf import settings
from django.db import models


class Confidence(models.TextChoices):
    """How sure the value is (``ansinh.rules.parameters.CONFIDENCES``), most certain first."""

    PUBLISHED = "published", "Đã công bố"
    SECOND_HAND = "second-hand", "Nguồn thứ cấp"
    REPORTED = "reported", "Chưa xác nhận"


class ParameterValue(models.Model):
    """One dated value of a legal parameter, added through the interface."""

    name = models.CharField("tham số", max_length=200, db_index=True,
                            help_text="Dotted parameter name, e.g. common.base_salary")
    start = models.DateField("áp dụng từ ngày")
    value_json = models.TextField("giá trị (JSON)", help_text="The value normalised for its unit, as JSON")
    reference_document = models.CharField("văn bản căn cứ", max_length=300)
    reference_article = models.CharField("điều, khoản", max_length=200, blank=True)
    reference_link = models.CharField("đường dẫn", max_length=500, blank=True)
    reference_note = models.TextField("ghi chú về căn cứ", blank=True)
    confidence = models.CharField("độ tin cậy", max_length=20, choices=Confidence.choices)
    note = models.TextField("ghi chú", blank=True)
    change_reason = models.TextField("lý do thay đổi lớn", blank=True,
                                     help_text="Why a change of more than the allowed share is right (confirmed)")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="người thêm")
    created_at = models.DateTimeField("thời điểm thêm", auto_now_add=True)

    class Meta:
        verbose_name = "giá trị tham số bổ sung"
        verbose_name_plural = "giá trị tham số bổ sung"
        ordering = ["name", "start"]
        constraints = [models.UniqueConstraint(fields=["name", "start"], name="parameter_value_one_per_date")]

    def __str__(self):
        return f"{self.name} từ {self.start:%d/%m/%Y}"
