"""The table of the shared rate-limit cache (``CACHES["ratelimit"]``, settings: ``ANSINH_RATELIMIT_CACHE``):
Django's database cache table, made by ``createcachetable``'s own code so its columns are Django's. It is
made whatever the setting says, so switching to "database" later needs no step; an existing table is kept."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "ansinh_ratelimit"


def create(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


class Migration(migrations.Migration):

    dependencies = [("api", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop, elidable=False)]
