from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _
from django_otp import match_token

from migrantportal.security import two_factor_required


class LoginForm(AuthenticationForm):
    """Django's login form, asking staff for a one-time code when STAFF_TWO_FACTOR is on."""

    otp_token = forms.CharField(
        label=_("Verification code"),
        required=False,
        max_length=16,
        help_text=_("Staff only: the six-digit code from your authenticator app."),
    )

    # With two-factor on, one message for every failure: a different answer for a right
    # password without (or with a wrong) code would tell a guesser the password is right.
    two_factor_failed = _(
        "The user name, password or verification code is not right. Staff members enter the "
        "six-digit code their authenticator app shows now; staff without a registered app ask "
        "the portal's administrator."
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.otp_device = None

    def clean(self):
        try:
            cleaned = super().clean()
        except forms.ValidationError as error:
            if settings.STAFF_TWO_FACTOR and error.code == "invalid_login":
                raise forms.ValidationError(self.two_factor_failed, code="invalid_login") from None
            raise
        user = self.get_user()
        if user is not None and two_factor_required(user=user):
            self.otp_device = self._verified_device(user, cleaned.get("otp_token", ""))
        return cleaned

    def _verified_device(self, user, token: str):
        device = match_token(user, token.strip()) if token.strip() else None
        if device is None:
            # Counted as a failed login, so django-axes throttles code guessing too.
            user_login_failed.send(
                sender=__name__,
                credentials={"username": user.get_username()},
                request=self.request,
            )
            raise forms.ValidationError(self.two_factor_failed, code="invalid_login")
        return device
