"""Agents and guardians (代办人/监护人): staff grant and revoke authorisations; an agent acts for a
person only within one valid today, and every refusal is logged."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jingban.core.actionlog import log_action
from jingban.core.calendar import today as local_today
from jingban.core.errors import Message, NotFound, ValidationFailed
from jingban.core.models import User
from jingban.core.permissions import require_capability
from jingban.core.roles import Cap
from jingban.registry import queries
from jingban.registry.documents import normalise_phone
from jingban.registry.models import AgentAuthorisation, AgentKind, AgentService, Person
from jingban.registry.services import probes

#: The longest an authorisation may run. Guardianship by court order may be longer; it is
#: renewed like any other (sample: no source fixes a limit; the bureau sets it).
MAX_AUTHORISATION_DAYS = 5 * 366


@dataclass(frozen=True, kw_only=True)
class AuthorisationInput:
    """The agent is named by ``agent``, the agent's own document number or name as the counter
    sees them on the letter of authorisation (the form), or by ``agent_username``, the account's
    user name (the API and the demo). ``agent`` wins when both are given."""

    kind: str
    services: tuple[str, ...]
    valid_from: dt.date
    valid_to: dt.date
    basis: str
    relation: str = ""
    agent: str = ""
    agent_username: str = ""


# A document number as the counter types it (spaces removed, upper case): letters and digits,
# at least one digit; anything else names the agent by name.
_NUMBER_TERM = re.compile(r"(?=.*[0-9])[0-9A-Z]{5,32}")


def _agent_by_person(acting_user: User, text: str) -> tuple[User | None, Message | None]:
    """The account of the person the counter names as agent: by whole document number (a
    lookup logged and limited like a number search, for a user who may not reveal numbers),
    or else by exact name. The person must be registered in the user's area and have an
    account to sign in with."""
    compact = text.replace(" ", "").strip().upper()
    term = compact if _NUMBER_TERM.fullmatch(compact) else None
    if term is not None:
        try:
            person = probes.find_by_number(acting_user, term)
        except probes.LookupThrottled as err:
            return None, err.message
        if person is None:
            return None, _("No person registered in your area holds this document number.")
        candidates = [person]
    else:
        name = " ".join(text.split())
        candidates = list(
            queries.persons_for(acting_user)
            .filter(name=name, account__isnull=False)
            .select_related("account")[:2]
        )
        if not candidates:
            return None, _(
                "No person registered in your area with an account has this name. Enter the "
                "agent's document number."
            )
        if len(candidates) > 1:
            return None, _("More than one person has this name. Enter the agent's document number.")
    account = candidates[0].account
    if account is None or not account.is_active:
        return None, _(
            "This person has no account to sign in with. An agent acts with their own "
            "account: open one for them first."
        )
    return account, None


def _agent_for(acting_user: User, data: AuthorisationInput) -> tuple[User | None, Message | None]:
    if data.agent.strip():
        return _agent_by_person(acting_user, data.agent)
    if data.agent_username.strip():
        agent = User.objects.filter(username=data.agent_username.strip(), is_active=True).first()
        if agent is None:
            return None, _("No active account has this user name.")
        return agent, None
    return None, _("Enter the agent's document number or name.")


def _authorisation_snapshot(auth: AgentAuthorisation) -> dict[str, object]:
    return {
        "agent": auth.agent.get_username(),
        "kind": auth.kind,
        "relation": auth.relation,
        "services": sorted(auth.services),
        "valid_from": auth.valid_from.isoformat(),
        "valid_to": auth.valid_to.isoformat(),
        "basis": auth.basis,
        "revoked_at": auth.revoked_at.isoformat() if auth.revoked_at else None,
    }


def grant_authorisation(
    person: Person, data: AuthorisationInput, *, acting_user: User
) -> AgentAuthorisation:
    """Record that an account may act for ``person`` (登记代办人/监护人) for the listed services
    over a period. The person comes from a scoped query; the agent signs in with their own
    account."""
    require_capability(acting_user, Cap.AGENT_GRANT)
    errors: dict[str, list[Message]] = {}
    agent, problem = _agent_for(acting_user, data)
    if agent is None:
        errors["agent"] = [problem or _("No active account has this user name.")]
    elif not agent.can(Cap.AGENT_ACT):
        errors["agent"] = [_("This account cannot act as an agent.")]
    elif person.account_id == agent.pk:
        errors["agent"] = [_("A person cannot be their own agent.")]
    if data.kind not in AgentKind.values:
        errors["kind"] = [_("Unknown kind of authorisation.")]
    services = tuple(dict.fromkeys(data.services))
    if not services:
        errors["services"] = [_("Choose at least one service.")]
    elif any(s not in AgentService.values for s in services):
        errors["services"] = [_("Unknown service.")]
    if data.valid_to < data.valid_from:
        errors["valid_to"] = [_("The end of the period is before its start.")]
    elif data.valid_to < local_today():
        errors["valid_to"] = [_("This authorisation has already expired.")]
    elif (data.valid_to - data.valid_from).days > MAX_AUTHORISATION_DAYS:
        errors["valid_to"] = [_("An authorisation may run for at most five years.")]
    if not data.basis.strip():
        errors["basis"] = [_("Name the authorisation letter or court order it rests on.")]
    if agent is not None and not errors:
        overlapping = AgentAuthorisation.objects.filter(
            person=person,
            agent=agent,
            revoked_at__isnull=True,
            valid_from__lte=data.valid_to,
            valid_to__gte=data.valid_from,
        ).exists()
        if overlapping:
            errors["agent"] = [
                _("This account is already authorised for this person in that period.")
            ]
    if errors:
        raise ValidationFailed(fields=errors)
    assert agent is not None
    with transaction.atomic():
        auth = AgentAuthorisation.objects.create(
            person=person,
            agent=agent,
            kind=data.kind,
            relation=data.relation.strip(),
            services=list(services),
            valid_from=data.valid_from,
            valid_to=data.valid_to,
            basis=data.basis.strip(),
            granted_by=acting_user,
        )
        log_action(
            acting_user=acting_user,
            action="registry.agent.granted",
            object_type="registry.person",
            object_id=person.pk,
            region_path=person.region.path,
            after=_authorisation_snapshot(auth),
        )
    return auth


def revoke_authorisation(
    auth: AgentAuthorisation, *, acting_user: User, reason: str = ""
) -> AgentAuthorisation:
    """End an authorisation now (撤销授权). It stays on record, marked revoked."""
    require_capability(acting_user, Cap.AGENT_GRANT)
    if not reason.strip():
        raise ValidationFailed(fields={"reason": [_("Give the reason.")]})
    with transaction.atomic():
        locked = (
            AgentAuthorisation.objects.select_for_update()
            .select_related("agent", "person__region")
            .get(pk=auth.pk)
        )
        if locked.revoked_at is not None:
            raise ValidationFailed(_("This authorisation has already been revoked."))
        before = _authorisation_snapshot(locked)
        locked.revoked_at = dt.datetime.now(tz=dt.UTC)
        locked.revoked_by = acting_user
        locked.save(update_fields=["revoked_at", "revoked_by"])
        log_action(
            acting_user=acting_user,
            action="registry.agent.revoked",
            object_type="registry.person",
            object_id=locked.person_id,
            region_path=locked.person.region.path,
            before=before,
            after=_authorisation_snapshot(locked),
            reason=reason.strip(),
        )
    return locked


def _principal(person_id: int) -> str:
    return f"registry.person:{person_id}"


def authorise_agent_act(agent: User, person_id: int, service: str) -> AgentAuthorisation:
    """The authorisation that lets an agent act for the person in ``service`` today (its
    ``person`` is the person), or NotFound.

    A refusal (no authorisation, another service, expired, revoked, or no such person) looks like
    a missing person to the agent, and is written to the action log so an attempt outside the
    authorised scope is on record. The log row commits even though the request then fails."""
    auth = queries.valid_authorisation(agent, person_id, service)
    if auth is not None:
        return auth
    with transaction.atomic():
        log_action(
            acting_user=agent,
            action="registry.agent.refused",
            object_type="registry.person",
            object_id=person_id,
            on_behalf_of=_principal(person_id),
            after={"service": service},
        )
    raise NotFound()


def agent_viewed_record(agent: User, person: Person) -> None:
    """Log that an agent looked at the person's record (查询, on the person's behalf)."""
    with transaction.atomic():
        log_action(
            acting_user=agent,
            action="registry.agent.viewed_record",
            object_type="registry.person",
            object_id=person.pk,
            region_path=person.region.path,
            on_behalf_of=_principal(person.pk),
        )


def agent_update_contact(
    agent: User, person_id: int, *, phone: str | None, address: str | None
) -> AgentAuthorisation:
    """An agent updates the person's phone and address (代办: 变更联系方式). ``None`` keeps
    what is on record; ``""`` removes it. Returns the authorisation used, its ``person``
    updated."""
    auth = authorise_agent_act(agent, person_id, AgentService.UPDATE_CONTACT)
    errors: dict[str, list[Message]] = {}
    clean_phone = ""
    if phone is not None:
        try:
            clean_phone = normalise_phone(phone)
        except ValidationFailed as err:
            errors.update(err.fields)
    clean_address = (address or "").strip()
    if len(clean_address) > 300:
        errors["address"] = [_("The address is too long (at most 300 characters).")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        locked = Person.objects.select_for_update().select_related("region").get(pk=auth.person_id)
        before = {"phone": locked.phone, "address": locked.address}
        if phone is not None:
            locked.phone = clean_phone
        if address is not None:
            locked.address = clean_address
        locked.save(update_fields=["phone", "address", "updated_at"])
        after = {"phone": locked.phone, "address": locked.address}
        log_action(
            acting_user=agent,
            action="registry.person.contact_updated",
            object_type="registry.person",
            object_id=locked.pk,
            region_path=locked.region.path,
            on_behalf_of=_principal(locked.pk),
            before=before,
            after=after,
        )
    auth.person = locked
    return auth
