from django.utils.translation import gettext_lazy as _

from jingban.core.plugins import (
    ActionCode,
    ApiRouter,
    AppPlugin,
    Capability,
    HomePanel,
    NavEntry,
    ObjectType,
    PublicPage,
    Routes,
)

GREET = "plugin_app.greeting.send"

PLUGIN = AppPlugin(
    app="plugin_app",
    # Only operators: every other role is refused, which the checks rely on.
    capabilities=(Capability(GREET, _("Home"), {"operator"}),),
    navigation=(NavEntry("Plugin greetings", "plugin_app:greetings", GREET, order=950),),
    home_panels=(
        HomePanel(
            "plugin_app.greetings",
            "plugin_app/_panel.html",
            "tests.plugin_app.views:panel",
            GREET,
            order=50,
        ),
    ),
    # A label the catalogs already translate, so the check can see both languages.
    actions=(ActionCode("plugin_app.greeting.sent", _("Home")),),
    urls=Routes("plugin-app/", "tests.plugin_app.urls"),
    api_routers=(ApiRouter("/plugin-app", "tests.plugin_app.api:router"),),
    jobs="tests.plugin_app.jobs",
    public_pages=(PublicPage(_("Home"), "plugin_app:public_greeting", order=1),),
    demo="tests.plugin_app.views:build_demo",
    # The action log names and links the app's objects without a change to core.
    object_types=(
        ObjectType(
            "plugin_app.greeting",
            _("Home"),
            describe="tests.plugin_app.views:describe_greetings",
            link="tests.plugin_app.views:greeting_link",
        ),
    ),
)
