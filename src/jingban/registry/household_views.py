"""Pages for households (户) and for agents and guardians (代办人/监护人).

Staff open households, add and remove members, grant and revoke authorisations. An agent signs in
with their own account, sees whom they may act for, and acts only within what is authorised:
anything else answers 404 and is logged (see ``services.authorise_agent_act``).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jingban.core.calendar import today as local_today
from jingban.core.errors import ValidationFailed
from jingban.core.roles import Cap
from jingban.core.views.access import AuthedRequest, requires
from jingban.registry import display, queries, services
from jingban.registry.forms import (
    AuthorisationForm,
    ContactForm,
    HouseholdForm,
    LeaveForm,
    MemberForm,
    RevokeForm,
)
from jingban.registry.models import AgentService, Household
from jingban.registry.services.probes import LookupThrottled


def _status(request: AuthedRequest) -> int:
    return 400 if request.method == "POST" else 200


@requires(Cap.HOUSEHOLD_EDIT)
def household_create(request: AuthedRequest, pk: int) -> HttpResponse:
    head = services.person_in_scope(request.user, pk)
    form = HouseholdForm(request.POST or None, initial={"joined_on": local_today()})
    if request.method == "POST" and form.is_valid():
        try:
            household = services.create_household(
                head,
                joined_on=form.cleaned_data["joined_on"],
                address=form.cleaned_data.get("address") or "",
                acting_user=request.user,
            )
        except ValidationFailed as err:
            form.add_domain_errors(err)
        else:
            messages.success(
                request, _("Opened household %(number)s.") % {"number": household.number}
            )
            return redirect("registry:household_detail", pk=household.pk)
    context = {"form": form, "head": head}
    return render(request, "registry/household_form.html", context, status=_status(request))


@requires(Cap.PERSON_VIEW)
def household_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    household = services.household_in_scope(request.user, pk)
    return _household_page(request, household, MemberForm(initial={"joined_on": local_today()}))


def _household_page(
    request: AuthedRequest, household: Household, form: MemberForm, status: int = 200
) -> HttpResponse:
    members = queries.household_members(request.user, household)
    context = {
        "household": household,
        "members": [
            {
                "member": m,
                "document": display.shown(m.person).document,
            }
            for m in members
        ],
        "form": form,
        "can_edit": request.user.can(Cap.HOUSEHOLD_EDIT),
    }
    return render(request, "registry/household_detail.html", context, status=status)


@require_POST
@requires(Cap.HOUSEHOLD_EDIT)
def household_add_member(request: AuthedRequest, pk: int) -> HttpResponse:
    household = services.household_in_scope(request.user, pk)
    form = MemberForm(request.POST)
    if form.is_valid():
        number = form.cleaned_data["document_number"].replace(" ", "").upper()
        try:
            # A lookup by the whole number: logged and limited like a search.
            person = services.find_by_number(request.user, number)
        except LookupThrottled as err:
            form.add_error("document_number", str(err.message))
            return _household_page(request, household, form, status=err.status)
        if person is None:
            form.add_error(
                "document_number", _("No registered person in your area has this document.")
            )
        else:
            try:
                services.add_household_member(
                    household,
                    person,
                    relation=form.cleaned_data["relation"],
                    joined_on=form.cleaned_data["joined_on"],
                    acting_user=request.user,
                )
            except ValidationFailed as err:
                form.add_domain_errors(err)
            else:
                messages.success(request, _("Added %(name)s.") % {"name": person.name})
                return redirect("registry:household_detail", pk=household.pk)
    return _household_page(request, household, form, status=400)


@requires(Cap.HOUSEHOLD_EDIT)
def household_member_leave(request: AuthedRequest, pk: int, member_pk: int) -> HttpResponse:
    household = services.household_in_scope(request.user, pk)
    member = services.household_member_in_scope(request.user, household, member_pk)
    form = LeaveForm(request.POST or None, initial={"left_on": local_today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.end_household_membership(
                member,
                left_on=form.cleaned_data["left_on"],
                reason=form.cleaned_data.get("reason") or "",
                acting_user=request.user,
            )
        except ValidationFailed as err:
            form.add_domain_errors(err)
        else:
            messages.success(
                request, _("Recorded that %(name)s left.") % {"name": member.person.name}
            )
            return redirect("registry:household_detail", pk=household.pk)
    context = {"form": form, "household": household, "member": member}
    return render(request, "registry/member_leave.html", context, status=_status(request))


@requires(Cap.AGENT_GRANT)
def authorisation_create(request: AuthedRequest, pk: int) -> HttpResponse:
    person = services.person_in_scope(request.user, pk)
    today = local_today()
    form = AuthorisationForm(
        request.POST or None,
        initial={"valid_from": today, "valid_to": today.replace(year=today.year + 1)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_authorisation(person, form.to_input(), acting_user=request.user)
        except ValidationFailed as err:
            form.add_domain_errors(err)
        else:
            messages.success(request, _("The authorisation is recorded."))
            return redirect("registry:person_detail", pk=person.pk)
    context = {"form": form, "person": person}
    return render(request, "registry/authorisation_form.html", context, status=_status(request))


@requires(Cap.AGENT_GRANT)
def authorisation_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    auth = services.authorisation_in_scope(request.user, pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_authorisation(
                auth, reason=form.cleaned_data["reason"], acting_user=request.user
            )
        except ValidationFailed as err:
            form.add_domain_errors(err)
        else:
            messages.success(request, _("The authorisation is revoked."))
            return redirect("registry:person_detail", pk=auth.person_id)
    context = {"form": form, "auth": auth}
    return render(request, "registry/authorisation_revoke.html", context, status=_status(request))


# The agent's side -------------------------------------------------------------------------------


@requires(Cap.AGENT_ACT)
def acting_list(request: AuthedRequest) -> HttpResponse:
    auths = queries.principals_of(request.user)
    return render(request, "registry/acting_list.html", {"authorisations": auths})


@requires(Cap.AGENT_ACT)
def acting_record(request: AuthedRequest, person_pk: int) -> HttpResponse:
    auth = services.authorise_agent_act(request.user, person_pk, AgentService.VIEW_RECORD)
    person = auth.person
    services.agent_viewed_record(request.user, person)
    shown = display.shown(person)
    context = {
        "person": person,
        "document": shown.document,
        "phone": shown.phone,
        "age": shown.age,
        "enrollments": person.enrollments.select_related("scheme").all(),
        "memberships": person.memberships.select_related("group").all(),
        "authorisation": auth,
        "can_update_contact": AgentService.UPDATE_CONTACT in auth.services,
    }
    return render(request, "registry/acting_record.html", context)


@requires(Cap.AGENT_ACT)
def acting_contact(request: AuthedRequest, person_pk: int) -> HttpResponse:
    auth = services.authorise_agent_act(request.user, person_pk, AgentService.UPDATE_CONTACT)
    person = auth.person
    form = ContactForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.agent_update_contact(
                request.user,
                person_pk,
                phone=form.phone_change(),
                address=form.cleaned_data.get("address") or "",
            )
        except ValidationFailed as err:
            form.add_domain_errors(err)
        else:
            messages.success(request, _("Saved the changes."))
            return redirect("registry:acting_record", person_pk=person.pk)
    context = {"form": form, "person": person}
    return render(request, "registry/acting_contact.html", context, status=_status(request))
