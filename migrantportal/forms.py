from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, match_token

from migrantportal.security import two_factor_required


class LoginForm(AuthenticationForm):
    """Django's login form, asking staff for a one-time code when STAFF_TWO_FACTOR is on."""

    otp_token = forms.CharField(
        label=_("Verification code"),
        required=False,
        max_length=16,
        help_text=_("Staff only: the six-digit code from your authenticator app."),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "otp_missing": _(
            "Staff members need the six-digit code from their authenticator app to log in. "
            "Enter it under “Verification code”."
        ),
        "otp_invalid": _(
            "The verification code is not right or has expired. Enter the code your "
            "authenticator app shows now."
        ),
        "otp_no_device": _(
            "No authenticator app is registered for your account yet. Ask the portal's "
            "administrator to register one."
        ),
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.otp_device = None

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and two_factor_required(user=user):
            self.otp_device = self._verified_device(user, cleaned.get("otp_token", ""))
        return cleaned

    def _verified_device(self, user, token: str):
        if not any(devices_for_user(user, confirmed=True)):
            raise forms.ValidationError(self.error_messages["otp_no_device"], code="otp_no_device")
        if not token.strip():
            raise forms.ValidationError(self.error_messages["otp_missing"], code="otp_missing")
        device = match_token(user, token.strip())
        if device is None:
            # Counted as a failed login, so django-axes throttles code guessing too.
            user_login_failed.send(
                sender=__name__,
                credentials={"username": user.get_username()},
                request=self.request,
            )
            raise forms.ValidationError(self.error_messages["otp_invalid"], code="otp_invalid")
        return device
