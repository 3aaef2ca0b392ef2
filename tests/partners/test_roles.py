import pytest
from django.contrib.auth.models import Group

from partners.roles import ROLE_PERMISSIONS, Role

pytestmark = pytest.mark.django_db


def test_the_four_roles_exist_as_groups_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}


@pytest.mark.parametrize("role", list(ROLE_PERMISSIONS))
def test_each_role_has_exactly_its_permissions(role):
    group = Group.objects.get(name=role)
    granted = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }

    assert granted == set(ROLE_PERMISSIONS[role])


def test_scrutiny_may_change_nothing():
    group = Group.objects.get(name=Role.SCRUTINY)

    assert not group.permissions.exclude(codename__startswith="view_").exists()


def test_admin_may_change_every_model_of_the_project():
    group = Group.objects.get(name=Role.ADMIN)

    assert group.permissions.filter(codename="change_target").exists()
    assert group.permissions.filter(codename="delete_plan").exists()
    assert group.permissions.filter(codename="add_partner").exists()
