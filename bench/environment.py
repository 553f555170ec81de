"""A throw-away portal for the benchmarks: temporary SQLite database and media, demo data.

``portal()`` must run before anything imports Django models: it points the settings at a
temporary directory (whatever DATABASE_URL or MEDIA_ROOT the shell has), sets Django up,
migrates, loads the demo, runs the task worker until the queue is empty (which issues the
2019 covenant's PDF), and removes it all on exit.
"""

import contextlib
import logging
import os
import tempfile
from pathlib import Path


@contextlib.contextmanager
def portal():
    with tempfile.TemporaryDirectory(prefix="cluster-portal-bench-") as tmp:
        tmp = Path(tmp)
        os.environ["DJANGO_SETTINGS_MODULE"] = "cluster_portal.settings"
        os.environ["DEBUG"] = "1"
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
        os.environ["MEDIA_ROOT"] = str(tmp / "media")

        import django

        django.setup()

        from django.core.management import call_command
        from django.test.utils import setup_test_environment, teardown_test_environment

        call_command("migrate", verbosity=0, interactive=False)
        with open(os.devnull, "w") as quiet:
            call_command("load_demo", stdout=quiet)
            # The demo's completed covenants queue their PDFs; a worker issues them.
            call_command(
                "db_worker",
                batch=True,
                reload=False,
                startup_delay=False,
                verbosity=0,
                stdout=quiet,
            )
        # The test client's host name, the in-memory mail box; no log line per login.
        setup_test_environment()
        logging.getLogger("axes").setLevel(logging.WARNING)
        try:
            yield tmp
        finally:
            teardown_test_environment()
            from django.db import connections

            connections.close_all()
