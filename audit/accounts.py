"""Staff accounts over their life: disable, enable, reset a password, unlock, change one's own.

Each is audited in the same transaction. Disabling ends the account's API tokens and
sessions at once: the tokens are deleted, the sessions are deleted, and Django's and DRF's
authentication refuse an inactive account anyway.
"""

from __future__ import annotations

import secrets

from django.apps import apps
from django.contrib.auth import password_validation, update_session_auth_hash
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.errors import NotAllowed, ValidationFailed
from crm.models import Role, User

from .models import Action
from .recorder import audit_record


def may_manage_accounts(user: User) -> bool:
    return bool(user and user.is_active and (user.is_superuser or user.role == Role.ADMIN))


def _check(actor: User, account: User) -> None:
    if not may_manage_accounts(actor):
        raise NotAllowed(_("Only administrators manage staff accounts."))
    if account.is_superuser and not actor.is_superuser:
        raise NotAllowed(_("Only a superuser manages a superuser's account."))


def _record(actor: User, account: User, action: str, reason: str = "", detail: str = "") -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="staff_account",
        object_id=account.pk,
        reason=reason,
        detail=detail,
    )


def api_token_models() -> list:
    """Every installed API token model keyed to a user (knox's; DRF's own if installed)."""
    found = []
    for label in ("authtoken.Token", "knox.AuthToken"):
        try:
            found.append(apps.get_model(label))
        except LookupError:
            continue
    return found


def account_sign_out_everywhere(*, account: User) -> int:
    """Delete the account's API tokens and live sessions; answers how many went."""
    removed = 0
    for model in api_token_models():
        removed += model._default_manager.filter(user=account).delete()[0]
    # Sessions keep the user id inside their encoded data: decode the live ones.
    doomed = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(account.pk)
    ]
    removed += Session.objects.filter(pk__in=doomed).delete()[0]
    return removed


@transaction.atomic
def account_disable(*, account: User, actor: User, reason: str) -> User:
    _check(actor, account)
    if account.pk == actor.pk:
        raise ValidationFailed(_("You cannot disable your own account."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Say why the account is disabled."), details={"reason": ["required"]}
        )
    account.is_active = False
    account.save(update_fields=["is_active"])
    ended = account_sign_out_everywhere(account=account)
    _record(actor, account, Action.ACCOUNT_DISABLE, reason, detail=f"{ended} tokens and sessions")
    return account


@transaction.atomic
def account_enable(*, account: User, actor: User, reason: str = "") -> User:
    _check(actor, account)
    account.is_active = True
    account.save(update_fields=["is_active"])
    _record(actor, account, Action.ACCOUNT_ENABLE, reason)
    return account


@transaction.atomic
def account_password_reset(*, account: User, actor: User) -> str:
    """A new random password, answered once to give to the person; old tokens end."""
    _check(actor, account)
    password = secrets.token_urlsafe(12)
    account.set_password(password)
    account.save(update_fields=["password"])
    account_sign_out_everywhere(account=account)
    _record(actor, account, Action.PASSWORD_RESET)
    return password


def _lockout_reset(username: str) -> int:
    """Clear failed sign-in lockouts, whichever lockout app is installed."""
    if apps.is_installed("axes"):
        from axes.utils import reset

        return reset(username=username) or 0
    return 0


@transaction.atomic
def account_unlock(*, account: User, actor: User) -> int:
    _check(actor, account)
    cleared = _lockout_reset(account.get_username())
    _record(actor, account, Action.ACCOUNT_UNLOCK, detail=f"{cleared} lockouts")
    return cleared


@transaction.atomic
def password_change_own(*, request, old_password: str, new_password: str) -> None:
    """The signed-in person changes their password; this session stays, the others end."""
    user: User = request.user
    if not user.check_password(old_password or ""):
        raise ValidationFailed(
            _("Your current password is not right."), details={"old_password": ["wrong"]}
        )
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationFailed(
            " ".join(exc.messages), details={"new_password": exc.messages}
        ) from exc
    user.set_password(new_password)
    user.save(update_fields=["password"])
    account_sign_out_everywhere(account=user)
    update_session_auth_hash(request, user)
    _record(user, user, Action.PASSWORD_CHANGE)
