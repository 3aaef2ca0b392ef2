from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from partners.roles import Role
from targets.models import Frequency, Target, Unit
from tests.factories import (
    CommitmentFactory,
    CommitmentPartnerFactory,
    IndicatorFactory,
    PartnerFactory,
    PlanFactory,
    ThemeFactory,
    period,
    person,
)


@dataclass
class Cast:
    """The people of the reporting cycle and the indicator they report on."""

    owner: object  # an officer of the lead organisation
    stranger: object  # an officer of another organisation
    scrutiny: object
    approver: object  # an approver of the lead organisation
    admin: object
    indicator: object
    commitment: object
    quarter: object  # 2008/09 Q2, a period of the plan


@pytest.fixture
def cast(db):
    council = PartnerFactory(name="Testshire Council")
    elsewhere = PartnerFactory(name="Elsewhere Police")
    plan = PlanFactory(starts_on=date(2008, 4, 1), ends_on=date(2011, 3, 31))
    indicator = IndicatorFactory(
        code="NI 999", title="Test rate", unit=Unit.PERCENT, frequency=Frequency.QUARTERLY
    )
    commitment = CommitmentFactory(plan=plan, theme=ThemeFactory(plan=plan), indicator=indicator)
    CommitmentPartnerFactory(commitment=commitment, partner=council, is_lead=True)
    target = Target(commitment=commitment, period=period("2008/09"))
    target.set_text("50%")
    target.save()
    admin = person(Role.ADMIN, username="admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    return Cast(
        owner=person(Role.OFFICER, council, username="owner"),
        stranger=person(Role.OFFICER, elsewhere, username="stranger"),
        scrutiny=person(Role.SCRUTINY, username="scrutiny"),
        approver=person(Role.APPROVER, council, username="approver"),
        admin=admin,
        indicator=indicator,
        commitment=commitment,
        quarter=period("2008/09 Q2"),
    )


VALUE = Decimal("52.5")
