import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scalpsafe.settings")

application = get_wsgi_application()

# In gunicorn's master, before it forks the workers (scalpsafe/warm_up.py says why).
from scalpsafe.warm_up import warm_up  # noqa: E402 (needs the settings above)

warm_up()
