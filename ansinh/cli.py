"""The ``ansinh`` command: Django's management utility with An Sinh's settings.

    ansinh demo [--no-serve] [--seed N]     load the demo province, then serve it
    ansinh serve [--host H] [--port P]      serve an existing database
    ansinh quote '<request JSON>' | -       price a request with the rules module
    ansinh province load CODE               load a province of today's map (e.g. 92)
    ansinh admin create USER --province C   make its first provincial administrator
    ansinh help                             every command
"""

import os
import sys


def main() -> None:
    """Entry point of the console script; arguments as for ``django-admin``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ansinh", *sys.argv[1:]])


if __name__ == "__main__":
    main()
