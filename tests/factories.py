import factory
from django.contrib.auth import get_user_model

from partners.models import Membership, Partner, PartnerKind
from plans.models import Plan, PlanKind, Theme
from targets.models import Commitment, CommitmentPartner, Indicator, Period


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery-staple")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = PartnerKind.COUNCIL


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    partner = factory.SubFactory(PartnerFactory)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    name = factory.Sequence(lambda n: f"Plan {n}")
    slug = factory.Sequence(lambda n: f"plan-{n}")
    kind = PlanKind.LAA
    area = "Testshire"


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Theme {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"T {n}")
    title = factory.Sequence(lambda n: f"Test indicator {n}")


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    theme = factory.SubFactory(ThemeFactory)
    plan = factory.SelfAttribute("theme.plan")
    indicator = factory.SubFactory(IndicatorFactory)


class CommitmentPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitmentPartner

    commitment = factory.SubFactory(CommitmentFactory)
    partner = factory.SubFactory(PartnerFactory)
    is_lead = True


def period(label: str) -> Period:
    return Period.objects.for_label(label)


def person(role: str, *partners: Partner, username: str | None = None):
    """A user in one role (a Django group made by the roles migration), member of ``partners``."""
    from django.contrib.auth.models import Group

    user = UserFactory(username=username) if username else UserFactory()
    user.groups.add(Group.objects.get(name=role))
    for partner in partners:
        MembershipFactory(user=user, partner=partner)
    return user
