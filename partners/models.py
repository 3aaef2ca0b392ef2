"""Organisations that agree and deliver plans, and the people in them.

A council, its departments, the police, the NHS and a partnership such as the Safer Leicester
Partnership can all lead or sign up to a target, so they are one model, ``Partner``, told apart
by ``kind``. Departments hang off their council through ``parent``; partnerships list their
member organisations.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify

from leicester_perf.addresses import slug_address


class PartnerKind(models.TextChoices):
    COUNCIL = "council", "Council"
    DEPARTMENT = "department", "Council department"
    NHS = "nhs", "NHS"
    POLICE = "police", "Police"
    PROBATION = "probation", "Probation"
    FIRE = "fire", "Fire and rescue"
    VOLUNTARY = "voluntary", "Voluntary and community sector"
    PRIVATE = "private", "Private sector"
    UNIVERSITY = "university", "University or college"
    GOVERNMENT_AGENCY = "government_agency", "Government agency"
    PARTNERSHIP = "partnership", "Partnership"
    OTHER = "other", "Other"


class PartnerQuerySet(models.QuerySet):
    def organisations(self):
        return self.exclude(kind=PartnerKind.PARTNERSHIP)

    def partnerships(self):
        return self.filter(kind=PartnerKind.PARTNERSHIP)


class Partner(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True, blank=True, help_text="From the name.")
    short_name = models.CharField(
        max_length=40, blank=True, help_text="Abbreviation used in plans, e.g. 'SC&H', 'CDRP'."
    )
    kind = models.CharField(max_length=20, choices=PartnerKind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="departments",
        help_text="For a department: the council it belongs to.",
    )
    members = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="partnerships",
        help_text="For a partnership: its member organisations.",
    )
    aliases = models.TextField(
        blank=True,
        help_text="Other names the documents use for this partner, one per line "
        "(e.g. 'Leicestershire Police' for 'Leicestershire Constabulary').",
    )
    website = models.URLField(blank=True)
    is_synthetic = models.BooleanField(
        default=False, help_text="Generated test data, not a real organisation."
    )

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:200]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_address("partners:partner-detail", self.slug)

    def clean(self):
        if self.parent_id and self.kind != PartnerKind.DEPARTMENT:
            raise ValidationError({"parent": "Only a council department has a parent council."})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": "A partner cannot be its own parent."})

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class Person(models.Model):
    """Someone named in a plan: a portfolio holder, a lead officer, a partnership chair."""

    name = models.CharField(max_length=200)
    role = models.CharField(
        max_length=200, blank=True, help_text="e.g. 'City Mayor', 'Deputy City Mayor'."
    )
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return f"{self.name}, {self.role}" if self.role else self.name


class Portfolio(models.Model):
    """An area of responsibility held by a person, e.g. 'Children, Young People and Schools'."""

    holder = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="portfolios")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["holder__name", "order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["holder", "title"], name="unique_portfolio_per_holder")
        ]

    def __str__(self):
        return f"{self.title} ({self.holder.name})"


class Membership(models.Model):
    """A user's place in an organisation: what they may enter actuals for follows from it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="memberships")
    job_title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["partner__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "partner"], name="unique_membership")
        ]

    def __str__(self):
        return f"{self.user} at {self.partner.name}"
