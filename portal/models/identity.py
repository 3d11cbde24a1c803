"""Identity and reference data: users, companies, memberships, regional officers.

Regions and NAF codes live here, in the lowest layer, because companies and officers point at
them; the `regions` app builds programmes on top of them.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models.inbox import EmailDelivery
from portal.translation import translated
from portal.validators import validate_siret


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in with an e-mail address. Alliance staff are `is_staff` users."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="fr"
    )
    email_delivery = models.CharField(
        _("e-mails for my messages"), max_length=10, choices=EmailDelivery.choices, default=EmailDelivery.IMMEDIATE
    )
    # The inbox's unread count, kept by portal.services.inbox with every message delivered or read, so
    # that the header shows it from the user row each request loads anyway (no query per page).
    unread_messages = models.PositiveIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.email


class TranslatedLabelMixin:
    """Reference rows carry their label in French and English; show the active language's one."""

    label = translated("label")

    def __str__(self):
        return f"{self.code} – {self.label}"


class Region(TranslatedLabelMixin, models.Model):
    """One of the 18 French regions, identified by its INSEE code."""

    code = models.CharField(_("INSEE code"), max_length=2, unique=True)
    label_fr = models.CharField(_("name (French)"), max_length=100)
    label_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        ordering = ["label_fr"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.label


class NafCode(TranslatedLabelMixin, models.Model):
    """A NAF rev. 2 section (letter) or division (two digits) with its labels."""

    class Level(models.TextChoices):
        SECTION = "section", _("section")
        DIVISION = "division", _("division")

    code = models.CharField(_("code"), max_length=5, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    section = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="divisions",
        verbose_name=_("section"),
    )
    label_fr = models.CharField(_("label (French)"), max_length=255)
    label_en = models.CharField(_("label (English)"), max_length=255)

    class Meta:
        ordering = ["code"]
        verbose_name = _("NAF code")
        verbose_name_plural = _("NAF codes")


class HeadcountBand(models.TextChoices):
    """Headcount bands as INSEE publishes them."""

    NONE = "0", _("0 employees")
    MICRO = "1-9", _("1 to 9 employees")
    SMALL = "10-49", _("10 to 49 employees")
    MEDIUM = "50-249", _("50 to 249 employees")
    INTERMEDIATE = "250-4999", _("250 to 4,999 employees")
    LARGE = "5000+", _("5,000 employees or more")


class Company(models.Model):
    """A manufacturing company, identified by the SIRET of the establishment that signs up."""

    name = models.CharField(_("company name"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, unique=True, validators=[validate_siret])
    naf_division = models.ForeignKey(
        NafCode,
        on_delete=models.PROTECT,
        related_name="companies",
        limit_choices_to={"level": NafCode.Level.DIVISION},
        verbose_name=_("NAF division"),
    )
    headcount_band = models.CharField(_("headcount"), max_length=10, choices=HeadcountBand.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="companies", verbose_name=_("region"))
    language = models.CharField(_("preferred language"), max_length=8, choices=settings.LANGUAGES, default="fr")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self):
        return self.name

    @property
    def siren(self):
        return self.siret[:9]


class Membership(models.Model):
    """A user's seat in a company: the owner invites colleagues, members take part."""

    class Role(models.TextChoices):
        OWNER = "owner", _("owner")
        MEMBER = "member", _("member")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "company"], name="unique_membership")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} @ {self.company} ({self.get_role_display()})"


class RegionOfficer(models.Model):
    """A regional officer: runs the programmes of one region."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer_posts")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="officers")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "region"], name="unique_region_officer")]
        verbose_name = _("regional officer")
        verbose_name_plural = _("regional officers")

    def __str__(self):
        return f"{self.user} – {self.region}"


class Invitation(models.Model):
    """An owner's invitation for a colleague to join the company. The link works once, until it expires.

    Only a hash of the token is stored, so a database leak does not leak usable links.
    """

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.company}"

    @staticmethod
    def hash_token(token):
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at

    @property
    def is_used(self):
        return self.accepted_at is not None


class UserSession(AbstractBaseSession):
    """A session row that also records whose it is (Django's own table does not).

    Written by `portal.sessions.SessionStore` on every save, so `portal.security.end_sessions(user)`
    finds a user's sessions without decoding every row.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=True
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls):
        from portal.sessions import SessionStore

        return SessionStore


class PendingSignup(models.Model):
    """A company sign-up waiting for its e-mail address to be confirmed.

    Nothing else exists until the link sent to the address is followed: the account, the company
    and the owner's membership are created together then. Only a hash of the link's token is kept,
    and the password only as Django's hash. The link works once, until it expires.
    """

    email = models.EmailField(_("e-mail address"))
    password_hash = models.CharField(max_length=128)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    company_name = models.CharField(_("company name"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, validators=[validate_siret])
    naf_division = models.ForeignKey(NafCode, on_delete=models.PROTECT, related_name="+")
    headcount_band = models.CharField(_("headcount"), max_length=10, choices=HeadcountBand.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(_("preferred language"), max_length=8, choices=settings.LANGUAGES, default="fr")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pending sign-up")
        verbose_name_plural = _("pending sign-ups")

    def __str__(self):
        return f"{self.email} – {self.company_name}"

    hash_token = staticmethod(Invitation.hash_token)

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at

    @property
    def is_used(self):
        return self.confirmed_at is not None
