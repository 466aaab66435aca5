"""One assignment per household per day. Rows that repeat a (household, starts_on) pair — the duplicates a
repeated or parallel "giao hộ" post wrote — are reduced to the latest one (the one in force) first."""

from django.conf import settings
from django.db import migrations, models


def drop_repeats(apps, schema_editor):
    HouseholdAssignment = apps.get_model("collection", "HouseholdAssignment")
    keep = (HouseholdAssignment.objects.values("household_id", "starts_on")
            .annotate(last=models.Max("pk"), n=models.Count("pk")).filter(n__gt=1))
    for row in keep:
        (HouseholdAssignment.objects.filter(household_id=row["household_id"], starts_on=row["starts_on"])
         .exclude(pk=row["last"]).delete())


class Migration(migrations.Migration):

    dependencies = [
        ('collection', '0005_structure_catchments_assignments'),
        ('registry', '0006_duplicate_search_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_repeats, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='householdassignment',
            constraint=models.UniqueConstraint(fields=('household', 'starts_on'), name='assignment_one_per_household_day'),
        ),
    ]
