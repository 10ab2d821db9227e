"""The reference-data admin (参考数据管理) at /admin/: Django's admin behind our capability.

Our accounts are not Django staff, so neither ``is_staff`` nor Django's model permissions apply:
the site and every model admin ask for ``Cap.REFERENCE_ADMIN``. Every add, change and delete
writes one row to our action log in the same transaction (``admin.<object type>.<add|change|
delete>``), with the object's field values before and after; models whose writes have a service
(the holiday calendar) go through it instead, so its validation and its action row apply.
Django's own ``LogEntry`` is still written but is not the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import update_wrapper
from typing import Any, TypeVar, cast
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models.query import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from jingban.core.actionlog import log_action
from jingban.core.errors import DomainError
from jingban.core.forms import add_domain_errors
from jingban.core.models import Region, User
from jingban.core.roles import Cap


def may_administer(request: HttpRequest) -> bool:
    """Whether the signed-in user may use the reference-data admin (an inactive one may not)."""
    user = getattr(request, "user", None)
    return isinstance(user, User) and user.is_active and user.can(Cap.REFERENCE_ADMIN)


def acting_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # every admin view has checked may_administer
    return user


_View = TypeVar("_View", bound=Callable[..., Any])


class ReferenceAdminSite(admin.AdminSite):
    site_title = _("Jingban")
    site_header = _("Jingban reference data")
    index_title = _("Reference data")
    enable_nav_sidebar = True

    def has_permission(self, request: HttpRequest) -> bool:
        return may_administer(request)

    def admin_view(self, view: _View, cacheable: bool = False) -> _View:
        """Anonymous visitors go to our sign-in page; a signed-in user without the capability
        gets 403, as on every other page, rather than the admin's own sign-in form."""
        guarded = super().admin_view(view, cacheable)

        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("core:login"))
            if not self.has_permission(request):
                raise PermissionDenied
            response: HttpResponse = guarded(request, *args, **kwargs)
            return response

        return cast(_View, update_wrapper(inner, guarded))

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """The admin has no sign-in form of its own: ours serves, then comes back here."""
        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return HttpResponseRedirect(f"{reverse('core:login')}?{urlencode({'next': target})}")

    def password_change(self, request: HttpRequest, extra_context: Any = None) -> TemplateResponse:
        """Django's own form; a successful change is written to the action log with it."""
        with transaction.atomic():
            response = super().password_change(request, extra_context)
            if request.method == "POST" and response.status_code == 302:
                user = acting_user(request)
                log_action(
                    acting_user=user,
                    action="core.user.password_changed",
                    object_type="core.user",
                    object_id=user.pk,
                    region_path=user.region.path if user.region else "",
                )
        return response


site = ReferenceAdminSite(name="admin")

# Django's admin phrases that read oddly in Chinese ("选择 行政区划 来修改", "在应用程序 核心 中的
# 模型", "无可选的") or are not translated at all ("Model name"). Our catalog is consulted before
# the admin's own, so the wording below wins; marking the phrases here keeps them in it when the
# catalog is extracted again. Each must be Django's msgid exactly.
ADMIN_PHRASES = (
    _("Select %s to change"),
    _("Add %s"),
    _("Add %(name)s"),
    _("Change %s"),
    _("View %s"),
    _("Delete selected %(verbose_name_plural)s"),
    _("Models in the %(name)s application"),
    _("None available"),
    _("Recent actions"),
    _("My actions"),
    _("Action:"),
    _("Run the selected action"),
    _("Breadcrumbs"),
    _("View site"),
    _("Log out"),
    _(" By %(filter_title)s "),
    _("Add another %(verbose_name)s"),
    _("Delete selected %(model)s"),
    _("Change selected %(model)s"),
    _("View selected %(model)s"),
    _("Add another %(model)s"),
    _("Model name"),
    _("Add link"),
    _("Change or view list link"),
    _("Successfully deleted %(count)d %(items)s."),
    _("Save and add another"),
)


# --- Values written to the action log ------------------------------------------------------


def json_value(value: object) -> object:
    """A field value as JSON keeps it: dates as ISO text, related objects by their code."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | Promise):
        return str(value)
    if isinstance(value, models.Model):
        return json_value(getattr(value, "code", value.pk))
    return str(value)


def field_values(obj: models.Model) -> dict[str, object]:
    """Every stored field of ``obj`` (its automatic id aside) and its many-to-many codes."""
    values: dict[str, object] = {}
    for field in obj._meta.concrete_fields:
        if field.auto_created:
            continue
        if field.is_relation:
            values[field.name] = json_value(getattr(obj, field.name))
        else:
            values[field.name] = json_value(getattr(obj, field.attname))
    if obj.pk is not None:
        for m2m in obj._meta.many_to_many:
            related = getattr(obj, m2m.name).all()
            values[m2m.name] = sorted(str(json_value(item)) for item in related)
    return values


def changes(
    before: Mapping[str, object], after: Mapping[str, object]
) -> tuple[dict[str, object], dict[str, object]]:
    """Only what differs, on both sides."""
    keys = [k for k in {**before, **after} if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


# --- Forms whose validation is a service's ---------------------------------------------------


class _Rehearsal(Exception):
    """Raised to roll back a service call that was only made to validate its input."""


class ReferenceForm(forms.ModelForm):
    """The admin's form. ``acting_user`` is bound per request by ``ReferenceAdmin.get_form``."""

    acting_user: User | None = None
    # Service field names that differ from the form's (``set_day`` says "day" for the date).
    service_fields: Mapping[str, str] = {}
    # The object's values before the change, kept between save_model and save_related.
    audit_before: dict[str, object] | None = None
    # Set when save_model went through a service, which wrote its own action row.
    written_by_service = False

    def rehearse(self, call: Callable[[], object]) -> None:
        """Run a service call in a savepoint that is always rolled back, and show the domain
        errors it raises beside the fields. The same call is made for real on save, so the
        rules live only in the service."""
        try:
            with transaction.atomic():
                call()
                raise _Rehearsal
        except _Rehearsal:
            return
        except DomainError as error:
            self.add_domain_error(error)

    def add_domain_error(self, error: DomainError) -> None:
        # A field the form does not show (read-only here) gets its message on top.
        add_domain_errors(self, error, field_map=self.service_fields)


# --- Model admins ----------------------------------------------------------------------------


class CapabilityPermissions:
    """Django's model permissions replaced by our capability, for model admins and inlines."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_administer(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return may_administer(request)

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return may_administer(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return may_administer(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return may_administer(request)


class ReferenceAdmin(CapabilityPermissions, admin.ModelAdmin):
    """A model admin whose every write is one action-log row in the write's transaction."""

    form = ReferenceForm
    # The object type in the action log; defaults to "<app label>.<model name>".
    audit_type = ""
    # The action code of each write ("add", "change", "delete"), written out in full so every
    # code in use is a literal the owning app declares with its label.
    action_codes: Mapping[str, str] = {}
    # Codes are the stable identifiers other records, packs and past log rows name: once an
    # object exists, these fields are shown but no longer editable.
    identity_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + self.identity_fields if obj is not None else fields

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"acting_user": acting_user(request)})

    # Which audit values and region path an object has.

    def object_type(self) -> str:
        opts = self.model._meta
        return self.audit_type or f"{opts.app_label}.{opts.model_name}"

    def audit_values(self, obj: Any) -> dict[str, object]:
        return field_values(obj)

    def region_path(self, obj: Any) -> str:
        if isinstance(obj, Region):
            return obj.path
        region = getattr(obj, "region", None)
        return region.path if isinstance(region, Region) else ""

    def audit(
        self,
        request: HttpRequest,
        obj: Any,
        verb: str,
        before: dict[str, object] | None,
        after: dict[str, object] | None,
    ) -> None:
        log_action(
            acting_user=acting_user(request),
            action=self.action_codes[verb],
            object_type=self.object_type(),
            object_id=obj.pk,
            region_path=self.region_path(obj),
            before=before,
            after=after,
        )

    # Writes. The add and change views run all of this in one transaction.

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            stored = self.model._default_manager.get(pk=obj.pk)
            form.audit_before = self.audit_values(stored)
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Many-to-many fields and inlines are saved here, so the "after" values are read here.
        super().save_related(request, form, formsets, change)
        if form.written_by_service:
            return
        obj = form.instance
        after = self.audit_values(obj)
        if not change:
            self.audit(request, obj, "add", None, after)
            return
        before, after = changes(form.audit_before or {}, after)
        if after:  # saving an unchanged form changes nothing and logs nothing
            self.audit(request, obj, "change", before, after)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            self.audit(request, obj, "delete", self.audit_values(obj), None)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        """The "delete selected" action: one action row per object deleted."""
        with transaction.atomic():
            for obj in queryset:
                self.audit(request, obj, "delete", self.audit_values(obj), None)
            super().delete_queryset(request, queryset)

    # Deleting what is in use is refused.

    def uses(self, obj: Any) -> Iterable[str]:
        """Descriptions of what still relies on ``obj`` beyond protecting foreign keys (which
        Django's collector finds itself): rows that name it in a many-to-many field."""
        for relation in obj._meta.related_objects:
            if not relation.many_to_many:
                continue
            accessor = relation.get_accessor_name()
            if accessor is None:
                continue
            label = capfirst(relation.related_model._meta.verbose_name)
            for item in getattr(obj, accessor).all()[:20]:
                yield format_html("{}: {}", label, item)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected)
        for obj in objs:
            protected.extend(self.uses(obj))
        return deleted, counts, perms_needed, protected


class ReferenceInline(CapabilityPermissions, admin.TabularInline):
    extra = 0
