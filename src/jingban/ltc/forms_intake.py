"""The intake part's forms. The self-assessment and the scoring form are built from the
assessment pack's items (each a choice among the allowed answers or scores, with its label), so
a new standard needs no code change."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jingban.core.forms import DomainForm
from jingban.core.models import Organisation
from jingban.engine.policy.families.ltc import Dimension, LtcAssessmentRules, SelfAnswer
from jingban.engine.policy.header import Text
from jingban.ltc.models import Channel, Instrument
from jingban.ltc.services_intake import REFUSAL_LABELS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SELF_ANSWERS = (
    (SelfAnswer.INDEPENDENT.value, _("Independent")),
    (SelfAnswer.PARTIAL.value, _("Partly dependent")),
    (SelfAnswer.DEPENDENT.value, _("Dependent")),
)


def text(value: Text) -> str:
    return value.get(get_language() or "zh-hans")


def _self_fields(form: forms.Form, rules: LtcAssessmentRules) -> None:
    for code, item in rules.self_assessment.items.items():
        form.fields[f"self_{code}"] = forms.ChoiceField(
            label=text(item.label), choices=SELF_ANSWERS, widget=forms.RadioSelect
        )


def self_answers(form: forms.Form, rules: LtcAssessmentRules) -> dict[str, str]:
    return {
        code: str(form.cleaned_data.get(f"self_{code}", "")) for code in rules.self_assessment.items
    }


class ApplicationForm(DomainForm):
    """An application recorded by staff (window, village collection, hospital referral)."""

    document_number = forms.CharField(label=_("Applicant's ID number"), max_length=32)
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[c for c in Channel.choices if c[0] != Channel.ONLINE],
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    disability_since = forms.DateField(label=_("Disabled since"), widget=DATE)
    care_institution = forms.ModelChoiceField(
        label=_("Care institution (if the person lives in one)"),
        queryset=Organisation.objects.filter(kind="care_institution").order_by("name"),
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, rules: LtcAssessmentRules, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _self_fields(self, rules)


class OnlineApplicationForm(DomainForm):
    """The insured person's own application (or an agent's, for whom they act)."""

    person = forms.ChoiceField(label=_("Apply for"))
    disability_since = forms.DateField(label=_("Disabled since"), widget=DATE)
    note = forms.CharField(
        label=_("Anything the centre should know"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        rules: LtcAssessmentRules,
        people: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        person_field = self.fields["person"]
        assert isinstance(person_field, forms.ChoiceField)
        person_field.choices = [(str(pk), name) for pk, name in people]
        _self_fields(self, rules)


class DecisionForm(DomainForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=(("accept", _("Accept the application")), ("refuse", _("Do not accept"))),
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=_("Reason for not accepting"),
        choices=[("", "—"), *((k, v) for k, v in REFUSAL_LABELS.items())],
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    paper_checked = forms.BooleanField(
        label=_("The paper originals of the missing materials were checked at the window"),
        required=False,
    )
    confirm = forms.BooleanField(label=_("I have checked the application; this cannot be undone"))


class MaterialForm(DomainForm):
    """One material of the application, by its kind (the kinds the pack requires)."""

    kind = forms.ChoiceField(label=_("Kind of material"))
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, kinds: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field = cast(forms.ChoiceField, self.fields["kind"])
        kind_field.choices = [("", "—"), *kinds]


class ConfirmForm(DomainForm):
    confirm = forms.BooleanField(label=_("I confirm; this cannot be undone"))


class WithdrawForm(DomainForm):
    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.BooleanField(label=_("I confirm; this cannot be undone"))


class ScoreForm(DomainForm):
    """The on-site scoring form: every item of the standard, then the optional Barthel index."""

    visited_on = forms.DateField(label=_("Visited on"), widget=DATE)
    instrument = forms.ChoiceField(label=_("Instrument"), choices=Instrument.choices)
    note = forms.CharField(
        label=_("Observations"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, rules: LtcAssessmentRules, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"] = EvidenceField(
            label=_("Photos and documents of the visit"), required=False
        )
        self.groups: list[tuple[str, list[str]]] = []
        for dimension in Dimension:
            dim = rules.dimensions[dimension]
            names = []
            for code, item in dim.items.items():
                name = f"item_{code}"
                self.fields[name] = forms.TypedChoiceField(
                    label=text(item.label),
                    coerce=int,
                    choices=[
                        ("", "—"),
                        *(
                            (
                                p,
                                _("%(points)s points: %(label)s")
                                % {"points": p, "label": text(lbl)},
                            )
                            for p, lbl in sorted(item.points.items())
                        ),
                    ],
                    required=False,
                )
                names.append(name)
            self.groups.append((text(dim.label), names))
        names = []
        for code, item in rules.barthel.items.items():
            name = f"barthel_{code}"
            self.fields[name] = forms.TypedChoiceField(
                label=text(item.label),
                coerce=int,
                choices=[("", "—"), *((p, text(lbl)) for p, lbl in sorted(item.points.items()))],
                required=False,
            )
            names.append(name)
        self.barthel_names = names

    def bound_groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(label, [self[n] for n in names]) for label, names in self.groups]

    def bound_barthel(self) -> list[forms.BoundField]:
        return [self[n] for n in self.barthel_names]

    def scores(self, prefix: str) -> dict[str, object]:
        return {
            name.removeprefix(prefix): ("" if value in (None, "") else value)
            for name, value in self.cleaned_data.items()
            if name.startswith(prefix)
        }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Photos and documents of the visit, several at once (each checked by the files app)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReviewForm(DomainForm):
    verdict = forms.ChoiceField(
        label=_("Verdict"),
        choices=(("confirm", _("Confirm the conclusion")), ("return", _("Return for a new visit"))),
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    confirm = forms.BooleanField(label=_("I confirm; this cannot be undone"))
