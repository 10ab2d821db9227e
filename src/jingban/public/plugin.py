"""What the public app brings: the index of the public pages (``/public/``) and the frame every
public page extends (``public/base.html``). Apps declare their public pages in their own plugin
(``AppPlugin.public_pages``); the index and the public navigation list them."""

from jingban.core.plugins import AppPlugin, Routes

PLUGIN = AppPlugin(app="public", urls=Routes("public/", "jingban.public.urls"))
