from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from portal.models import Company, EmailDelivery, HeadcountBand, NafCode, Region, User
from portal.security import normalise_recovery_code
from portal.validators import clean_siret, validate_printable


class PasswordPairMixin:
    """Two password fields that must match and pass Django's validators."""

    def clean_password2(self):
        password1 = self.cleaned_data.get("password1")
        password2 = self.cleaned_data.get("password2")
        if password1 and password2 and password1 != password2:
            raise forms.ValidationError(_("The two passwords differ."), code="password_mismatch")
        if password2:
            password_validation.validate_password(password2, self._password_user())
        return password2

    def _password_user(self):
        return User(
            email=self.cleaned_data.get("email", getattr(self, "invited_email", "")),
            first_name=self.cleaned_data.get("first_name", ""),
            last_name=self.cleaned_data.get("last_name", ""),
        )


def password_fields():
    return (
        forms.CharField(
            label=_("Password"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text=password_validation.password_validators_help_text_html(),
        ),
        forms.CharField(
            label=_("Password (again)"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
        ),
    )


class SignupForm(PasswordPairMixin, forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        validators=[validate_printable],
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        validators=[validate_printable],
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("Work e-mail address"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1, password2 = password_fields()
    company_name = forms.CharField(
        label=_("Company name"),
        max_length=200,
        validators=[validate_printable],
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    siret = forms.CharField(
        label=_("SIRET of your establishment"),
        max_length=20,
        help_text=_("14 digits, printed on your Kbis extract and invoices."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    naf_division = forms.ModelChoiceField(
        label=_("Activity (NAF division)"),
        queryset=NafCode.objects.filter(level=NafCode.Level.DIVISION),
        help_text=_("The two first digits of your APE code."),
    )
    headcount_band = forms.ChoiceField(label=_("Headcount"), choices=HeadcountBand.choices)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())
    language = forms.ChoiceField(
        label=_("Language of your reports"), choices=User._meta.get_field("preferred_language").choices
    )

    def clean_email(self):
        # Whether an account already uses the address is not said here (that would tell anyone who
        # has an account): the service e-mails the address instead, and the page reads the same.
        return self.cleaned_data["email"].lower()

    def clean_siret(self):
        siret = clean_siret(self.cleaned_data["siret"])
        if Company.objects.filter(siret=siret).exists():
            raise forms.ValidationError(
                _("This establishment is already registered. Ask its owner on the portal to invite you."),
                code="duplicate_siret",
            )
        return siret


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's e-mail address"), max_length=254)

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.company = company

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if self.company.memberships.filter(user__email__iexact=email).exists():
            raise forms.ValidationError(_("This person is already a member of the company."), code="already_member")
        return email


class InvitedAccountForm(PasswordPairMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, validators=[validate_printable])
    last_name = forms.CharField(label=_("Last name"), max_length=150, validators=[validate_printable])
    password1, password2 = password_fields()

    def __init__(self, *args, invited_email, **kwargs):
        super().__init__(*args, **kwargs)
        self.invited_email = invited_email


class TokenForm(forms.Form):
    """The six-digit code an authenticator app shows."""

    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}
        ),
    )

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if not (token.isascii() and token.isdigit() and len(token) == 6):
            raise forms.ValidationError(_("Type the six digits your app shows, without letters."), code="format")
        return token


class RecoveryCodeForm(forms.Form):
    """One of the single-use recovery codes, typed instead of the app's code (dashes and spaces optional)."""

    recovery_code = forms.CharField(
        label=_("Recovery code"),
        help_text=_("One of the codes you saved when you set up two-factor authentication. Each code works once."),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false", "size": 16}
        ),
    )

    def clean_recovery_code(self):
        code = normalise_recovery_code(self.cleaned_data["recovery_code"])
        if not (code.isascii() and code.isalnum() and 6 <= len(code) <= 16):
            raise forms.ValidationError(
                _("This does not look like a recovery code: they are letters and digits, like abcd-efgh-ijkl."),
                code="format",
            )
        return code


class EmailDeliveryForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("How should your messages reach your mailbox?"),
        choices=EmailDelivery.choices,
        widget=forms.RadioSelect,
        help_text=_("Every message stays in your inbox on the portal, whatever you choose."),
    )
