"""Every ansinh command has help text with a runnable example, and the README names it."""

from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

README = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
OURS = sorted(name for name, app in get_commands().items() if app.startswith("ansinh."))


def test_an_sinh_has_its_commands():
    assert {"demo", "serve", "quote", "import", "export", "progress", "reminders", "province", "admin"} <= set(OURS)


@pytest.mark.parametrize("name", OURS)
def test_each_command_has_help_with_an_example_and_is_in_the_readme(name):
    command = load_command_class(get_commands()[name], name)
    parser = command.create_parser("ansinh", name)
    text = (command.help or "") + (parser.epilog or "") + parser.format_help()
    assert f"ansinh {name}" in text, f"{name}: no runnable example in its help"
    assert f"`ansinh {name}" in README, f"{name}: not in the README's command table"
