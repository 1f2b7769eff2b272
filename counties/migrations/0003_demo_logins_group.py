"""Data migration: demo logins made before the 演示账号 group existed join it, so that they are
refused with DEBUG off and removed by clear_demo like the ones made since."""

from django.db import migrations

DEMO_GROUP = "演示账号"
DEMO_LOGINS = [
    "bureau", "leader", "lishi", "wenshui", "jiaocheng", "xingxian", "linxian", "liulin",
    "shilou", "lanxian", "fangshan", "zhongyang", "jiaokou", "xiaoyi", "fenyang",
]  # fmt: skip


def mark_demo_logins(apps, schema_editor):
    User = apps.get_model("auth", "User")
    Group = apps.get_model("auth", "Group")
    # create_demo_users names every demo login "…演示"; a real user called "bureau" is not one.
    users = User.objects.filter(username__in=DEMO_LOGINS, first_name__endswith="演示")
    if users.exists():
        group, _ = Group.objects.get_or_create(name=DEMO_GROUP)
        group.user_set.add(*users)


class Migration(migrations.Migration):
    dependencies = [
        ("counties", "0002_goals_and_milestones"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(mark_demo_logins, migrations.RunPython.noop)]
