"""Create wingman's tables and the rows the views read: contrib's
migrations first, then chat's and core's tables (they have no migrations:
--run-syncdb, which would otherwise run before auth_user exists)."""
import django

django.setup()

from django.core.management import call_command  # noqa: E402

from core.models import Tone  # noqa: E402

call_command("migrate", verbosity=0)
call_command("migrate", run_syncdb=True, verbosity=0)
for i, name in enumerate(["casual", "formal", "playful"]):
    Tone.objects.get_or_create(name=name, defaults={"sort_order": i})
