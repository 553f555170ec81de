"""Process-wide set-up that must happen before Django touches the disk."""

import os

# Owner-only: the SQLite file, media folders, backups and anything else the portal writes
# holds personal data (signatories' names, addresses, signed documents).
PRIVATE_UMASK = 0o077


def make_files_private() -> None:
    """Create every new file 0600 and folder 0700, whatever the umask the process got.

    Called first thing by ``manage.py``, ``wsgi.py`` and ``asgi.py``.
    """
    os.umask(PRIVATE_UMASK)
