#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from pathlib import Path

from cluster_portal.devenv import load_development_env
from cluster_portal.process import make_files_private


def main():
    make_files_private()
    # The development checkout's .env written by `make run` (DEBUG=1, a SECRET_KEY), so that
    # the README's commands work as printed; skipped when the real environment says
    # production, and never read by wsgi.py/asgi.py (cluster_portal/devenv.py).
    load_development_env(Path(__file__).resolve().parent / ".env")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluster_portal.settings")
    if sys.argv[1:2] == ["makemigrations"]:
        # Comparing models with migration files signs nothing: let developers and hooks run
        # it without a SECRET_KEY, which the portal otherwise demands when DEBUG is off.
        os.environ.setdefault("SECRET_KEY", "makemigrations-signs-nothing")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
