"""Give the roles the permissions for activity progress (partners/roles.py), and read every
activity's "by when" again with the rules of plans/by_when.py ("From April 2013" is a start,
"End of 2013" a due date, "Spring 2014" a season)."""

from django.db import migrations

from partners.roles import sync_roles
from plans.by_when import read_by_when


def update_roles(apps, schema_editor):
    sync_roles(apps)


def read_by_when_again(apps, schema_editor):
    Activity = apps.get_model("plans", "Activity")
    changed = []
    for activity in Activity.objects.all():
        read = read_by_when(activity.by_when_text)
        found = (read.starts_on, read.due_on, read.is_ongoing, read.needs_review)
        if found != (
            activity.starts_on,
            activity.due_on,
            activity.is_ongoing,
            activity.needs_review,
        ):
            activity.starts_on, activity.due_on, activity.is_ongoing, activity.needs_review = found
            changed.append(activity)
    Activity.objects.bulk_update(changed, ["starts_on", "due_on", "is_ongoing", "needs_review"])


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0004_roles_sign_off_and_locks"),
        ("plans", "0003_activity_progress_updates"),
    ]

    operations = [
        migrations.RunPython(update_roles, migrations.RunPython.noop),
        migrations.RunPython(read_by_when_again, migrations.RunPython.noop),
    ]
