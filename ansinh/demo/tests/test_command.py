"""ansinh demo on a database without a demo: the JSON summary line, and refusing foreign data.

Kept apart from test_generator.py, whose module-wide demo province would be found by these tests.
"""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db.models import Q

from ansinh.areas.models import AdministrativeUnit, Level
from ansinh.areas.services import areas_load
from ansinh.demo.generator import DemoRefused, demo_run
from ansinh.registry.models import Person

SUMMARY_KEYS = {"districts", "communes", "branches", "savings_groups", "members", "households", "agents",
                "vsi_participants", "hi_participants", "users", "seconds"}


@pytest.mark.django_db
def test_demo_refuses_a_database_with_other_data():
    areas_load(old_province_code=93, new_province_code=92)
    commune = AdministrativeUnit.objects.filter(level=Level.COMMUNE).first()
    Person.objects.create(full_name="Người Thật", date_of_birth=datetime.date(1980, 1, 1), sex="male", commune=commune)
    with pytest.raises(DemoRefused):
        demo_run(seed=1, scale=0.02)
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_command_prints_the_summary_json_as_its_last_line():
    out = io.StringIO()
    call_command("demo", "--no-serve", "--scale", "0.02", "--seed", "3", stdout=out, stderr=io.StringIO())
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    assert SUMMARY_KEYS <= set(summary) and "url" not in summary
    assert all(u["password"] for u in summary["users"])
    assert Person.objects.filter(~Q(citizen_id__regex=r"^\d{12}$")).count() == 0
