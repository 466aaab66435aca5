"""An agent whose catchment is given on the new map sees the records made under the old communes its new
communes succeed (records keep the commune they were made under)."""

from ansinh.accounts.services import record_communes_in_scope, scope_map
from ansinh.areas.models import UnitMapping
from ansinh.collection.models import AgentCatchment


def test_an_agent_with_a_new_map_catchment_is_scoped_on_the_new_map(small_province):
    p = small_province
    user = p.users["thu_1"]
    assert scope_map(user) == "old"  # no catchment: the agent's old-map district
    successor = UnitMapping.objects.get(old_unit=p.commune, is_primary=True).new_unit
    AgentCatchment.objects.create(agent=p.agent, commune=successor)
    assert scope_map(user) == "new"
    communes = set(record_communes_in_scope(user).values_list("pk", flat=True))
    old_ones = set(UnitMapping.objects.filter(new_unit=successor, is_primary=True).values_list("old_unit_id", flat=True))
    assert communes == {successor.pk} | old_ones and p.commune.pk in communes
