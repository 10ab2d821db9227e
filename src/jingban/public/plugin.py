"""What the public app brings: the index of the public pages (``/public/``), the frame every
public page extends (``public/base.html``, in core's templates) and the policy explanations
(``/public/policy/``). Apps declare their public pages in their own plugin
(``AppPlugin.public_pages``) and their policy sections under
``extra["public_policy_sections"]`` (see ``jingban.public.sections`` and docs/public-pages.md)."""

from django.utils.translation import gettext_lazy as _

from jingban.core.plugins import AppPlugin, PublicPage, Routes
from jingban.public.sections import PolicySection

MEDICAL_KINDS = frozenset({"resident_medical", "employee_medical"})

PLUGIN = AppPlugin(
    app="public",
    urls=Routes("public/", "jingban.public.urls"),
    public_pages=(
        PublicPage(
            label=_("Policy explained"),
            url_name="public:policy",
            description=_(
                "What you pay and what the insurance pays: contributions, reimbursement ratios, "
                "deductibles, caps and critical illness insurance, as the rules in force say."
            ),
            order=100,
        ),
    ),
    extra={
        "public_policy_sections": (
            PolicySection(
                family="contribution",
                title=_("What you pay"),
                intro=_(
                    "The personal contribution per insured person and year, by tier, and what the "
                    "public purse adds."
                ),
                template="public/policy/contribution.html",
                context="jingban.public.explain:contribution_context",
                order=10,
            ),
            PolicySection(
                family="medical",
                title=_("What the insurance pays"),
                intro=_(
                    "Deductibles, reimbursement ratios by hospital level and visit type, annual "
                    "caps, "
                    "critical illness insurance and medical assistance."
                ),
                template="public/policy/medical.html",
                context="jingban.public.explain:medical_context",
                order=20,
            ),
            PolicySection(
                family="supplementary",
                title=_("Supplementary insurance (惠民保)"),
                intro=_(
                    "Commercial products joined to basic insurance that pay part of what remains "
                    "after it. Joining is voluntary."
                ),
                template="public/policy/supplementary.html",
                context="jingban.public.explain:supplementary_context",
                order=90,
                companion=True,
                accompanies=MEDICAL_KINDS,
            ),
        )
    },
)
