"""The security baseline: CSP header, login throttling, idle sessions, two-factor for staff."""

import datetime
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from migrantportal.roles import Role
from migrantportal.security import SESSION_REFRESHED_KEY, client_ip
from tests.factories import user_with_role

PASSWORD = "correct-horse-battery"


def _log_in(client, username: str, password: str = PASSWORD, **extra):
    return client.post(
        reverse("login"), {"username": username, "password": password, **extra}, **_from("10.0.0.1")
    )


def _fail_logins(client, username: str, times: int) -> None:
    for _attempt in range(times):
        _log_in(client, username, "wrong")


def _from(address: str) -> dict:
    return {"REMOTE_ADDR": address}


def _script_sources(response) -> list[str]:
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return directives["script-src"].split()


# --- Content-Security-Policy ---


@pytest.mark.django_db
def test_dashboard_pages_allow_scripts_only_from_the_portal_itself(client, raadslid):
    client.force_login(raadslid)

    response = client.get(reverse("dashboards:overview"))

    assert _script_sources(response) == ["'self'"]


@pytest.mark.django_db
def test_admin_pages_carry_the_same_script_policy(client, superuser):
    client.force_login(superuser)

    response = client.get(reverse("admin:index"))

    assert _script_sources(response) == ["'self'"]


@pytest.mark.django_db
def test_the_policy_forbids_framing_plugins_and_foreign_form_targets(client):
    policy = client.get(reverse("login")).headers["Content-Security-Policy"]

    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert "form-action 'self'" in policy
    assert "unsafe-eval" not in policy


# --- Login throttling (django-axes) ---


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_user_name_from_that_address(client, settings):
    user_with_role(Role.RAADSLID, username="jansen")
    _fail_logins(client, "jansen", settings.AXES_FAILURE_LIMIT)

    response = _log_in(client, "jansen")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.translation
def test_the_lockout_page_explains_in_dutch_how_long_to_wait(client, settings):
    user_with_role(Role.RAADSLID, username="jansen")
    _fail_logins(client, "jansen", settings.AXES_FAILURE_LIMIT)

    response = _log_in(client, "jansen")

    text = response.content.decode()
    assert "Inloggen tijdelijk geblokkeerd" in text
    assert "15 minuten" in text


@pytest.mark.django_db
def test_fewer_failures_than_the_limit_do_not_lock(client, settings):
    user_with_role(Role.RAADSLID, username="jansen")
    _fail_logins(client, "jansen", settings.AXES_FAILURE_LIMIT - 1)

    response = _log_in(client, "jansen")

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_a_lock_holds_only_for_that_user_name_and_address_together(client, settings):
    user_with_role(Role.RAADSLID, username="jansen")
    user_with_role(Role.RAADSLID, username="bakker")
    _fail_logins(client, "jansen", settings.AXES_FAILURE_LIMIT)

    other_user_same_address = _log_in(client, "bakker")
    client.logout()
    same_user_other_address = client.post(
        reverse("login"), {"username": "jansen", "password": PASSWORD}, **_from("10.0.0.2")
    )

    assert other_user_same_address.status_code == 302
    assert same_user_other_address.status_code == 302


@pytest.mark.django_db
def test_the_lock_lifts_after_the_cool_off(client, settings):
    user_with_role(Role.RAADSLID, username="jansen")
    _fail_logins(client, "jansen", settings.AXES_FAILURE_LIMIT)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    )

    response = _log_in(client, "jansen")

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_behind_trusted_proxies_the_address_the_last_proxy_saw_counts(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get(
        "/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )  # a client may forge the first entry, not the one its proxy added

    assert client_ip(request) == "203.0.113.7"


def test_without_trusted_proxies_a_forwarded_header_is_ignored(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6")

    assert client_ip(request) == "10.1.1.1"


# --- The admin's login ---


@pytest.mark.django_db
def test_the_admin_sends_visitors_to_the_portals_login_page(client):
    response = client.get("/admin/login/?next=/admin/policy/")

    assert response.status_code == 302
    assert response.url == reverse("login") + "?next=/admin/policy/"


@pytest.mark.django_db
def test_a_council_member_asking_for_the_admin_login_is_refused_not_looped(client, raadslid):
    client.force_login(raadslid)

    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 403


# --- Idle sessions ---


def test_sessions_last_the_configured_idle_time(settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
    assert settings.SESSION_IDLE_MINUTES == 60


def _stored_expiry(client) -> datetime.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


@pytest.mark.django_db
def test_using_the_portal_moves_the_session_expiry_forward(client, raadslid):
    client.force_login(raadslid)
    session = client.session
    session[SESSION_REFRESHED_KEY] = int(time.time()) - 120
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=5)
    )

    client.get(reverse("dashboards:overview"))

    assert _stored_expiry(client) > timezone.now() + datetime.timedelta(minutes=55)


@pytest.mark.django_db
def test_a_request_within_a_minute_of_the_last_does_not_write_the_session(client, raadslid):
    client.force_login(raadslid)
    client.get(reverse("dashboards:overview"))
    soon = timezone.now() + datetime.timedelta(minutes=5)
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=soon)

    client.get(reverse("dashboards:overview"))

    assert _stored_expiry(client) == soon


@pytest.mark.django_db
def test_an_idle_session_has_ended_and_asks_for_a_new_login(client, raadslid):
    client.force_login(raadslid)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )

    response = client.get(reverse("dashboards:overview"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- Two-factor login for staff (django-otp) ---


@pytest.fixture
def two_factor(settings):
    settings.STAFF_TWO_FACTOR = True


def _device_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.django_db
def test_with_two_factor_on_staff_cannot_log_in_without_a_code(client, two_factor):
    _device_for(user_with_role(Role.GRIFFIE, username="clerk"))

    response = _log_in(client, "clerk")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors.as_data()["__all__"][0].code == "invalid_login"


@pytest.mark.django_db
def test_with_two_factor_on_staff_log_in_with_the_code_of_their_app(client, two_factor):
    device = _device_for(user_with_role(Role.GRIFFIE, username="clerk"))

    response = _log_in(client, "clerk", otp_token=_code(device))

    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_with_two_factor_on_a_wrong_code_counts_as_a_failed_login(client, two_factor):
    _device_for(user_with_role(Role.GRIFFIE, username="clerk"))

    _log_in(client, "clerk", otp_token="000000")

    assert AccessAttempt.objects.get(username="clerk").failures_since_start == 1


@pytest.mark.django_db
def test_with_two_factor_on_staff_without_a_registered_app_cannot_log_in(client, two_factor):
    user_with_role(Role.REKENKAMER, username="auditor")

    response = _log_in(client, "auditor", otp_token="123456")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def _login_error(response) -> str:
    return response.context["form"].non_field_errors()[0]


@pytest.mark.django_db
def test_with_two_factor_on_a_right_password_without_a_code_reads_like_a_wrong_password(
    client, two_factor
):
    _device_for(user_with_role(Role.GRIFFIE, username="clerk"))
    _device_for(user_with_role(Role.GRIFFIE, username="other-clerk"))

    without_code = _log_in(client, "clerk")
    wrong_code = _log_in(client, "clerk", otp_token="000000")
    wrong_password = _log_in(client, "other-clerk", "wrong", otp_token="000000")
    unknown_user = _log_in(client, "nobody", "wrong")

    messages = {_login_error(r) for r in (without_code, wrong_code, wrong_password, unknown_user)}
    assert len(messages) == 1


@pytest.mark.django_db
def test_with_two_factor_on_staff_without_an_app_get_the_same_message_as_a_wrong_password(
    client, two_factor
):
    user_with_role(Role.REKENKAMER, username="auditor")

    no_app = _log_in(client, "auditor")
    wrong_password = _log_in(client, "auditor", "wrong")

    assert _login_error(no_app) == _login_error(wrong_password)


@pytest.mark.django_db
def test_with_two_factor_on_council_members_log_in_with_their_password_alone(client, two_factor):
    user_with_role(Role.RAADSLID, username="jansen")

    response = _log_in(client, "jansen")

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_with_two_factor_on_an_older_staff_session_without_a_code_is_ended(
    client, two_factor, griffie
):
    client.force_login(griffie)

    response = client.get(reverse("dashboards:overview"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_with_two_factor_off_staff_log_in_with_their_password_alone(client):
    user_with_role(Role.GRIFFIE, username="clerk")

    response = _log_in(client, "clerk")

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


# --- Cache-Control for signed-in users ---

SIGNED_IN_PAGES = [
    "/dashboards/",
    "/dashboards/?format=csv",
    "/dashboards/beleidsmatrix/?format=json",
    "/dashboards/debatpakket/",
    "/prioriteiten/",
    "/opvolging/",
    "/opvolging/?format=csv",
    "/toegankelijkheid/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_pages_and_downloads_for_a_signed_in_member_are_private_and_not_stored(
    client, raadslid, path
):
    client.force_login(raadslid)

    response = client.get(path)

    assert response.status_code == 200
    directives = {part.strip() for part in response.headers["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "public" not in directives


@pytest.mark.django_db
def test_answers_to_an_anonymous_visitor_are_not_marked_private(
    client,
):
    response = client.get(reverse("dashboards:overview"))

    assert response.status_code == 302
    assert "private" not in response.headers.get("Cache-Control", "")


# --- The admin's export page under the Content-Security-Policy ---


@pytest.mark.django_db
def test_the_admin_export_page_has_no_inline_event_handler(client, griffie):
    client.force_login(griffie)

    response = client.get(reverse("admin:registry_migrantcount_export"))

    assert response.status_code == 200
    assert "onchange=" not in response.text
    assert "js/export_toggle.js" in response.text
    assert 'class="select-toggle"' in response.text
