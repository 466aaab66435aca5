"""Signals of the areas app."""

from django.dispatch import Signal

map_loaded = Signal()
"""Sent (sender: AdministrativeUnit) after a loader wrote units or mappings in bulk: ``bulk_create`` and
``bulk_update`` send no ``post_save``, so whoever caches something derived from the map listens here too."""
