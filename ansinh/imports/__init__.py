"""Import of association member lists and household data from spreadsheets."""
