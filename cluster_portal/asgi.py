import os

from django.core.asgi import get_asgi_application

from cluster_portal.process import make_files_private

make_files_private()  # before Django opens the database or writes media
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluster_portal.settings")
application = get_asgi_application()
