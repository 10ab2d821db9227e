"""What the notices app brings: the inbox, its home panel and the reminder job."""

from jingban.core.plugins import AppPlugin, HomePanel, Routes

PLUGIN = AppPlugin(
    app="notices",
    home_panels=(
        # After each role's main list, whose count is the page's headline figure.
        HomePanel(
            "notices.waiting",
            "notices/_home_waiting.html",
            "jingban.notices.panels:waiting",
            None,
            order=150,
        ),
    ),
    urls=Routes("notices/", "jingban.notices.urls"),
    header_templates=("notices/_header_link.html",),
    jobs="jingban.notices.jobs",
    extra={"person_picture": ("jingban.notices.picture:notices_section",)},
)
