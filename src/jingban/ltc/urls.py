"""The long-term care routes, namespace ``ltc``: each part's own list, joined."""

from jingban.ltc import urls_care, urls_decision, urls_intake, urls_settlement

app_name = "ltc"
urlpatterns = [
    *urls_intake.urlpatterns,
    *urls_decision.urlpatterns,
    *urls_care.urlpatterns,
    *urls_settlement.urlpatterns,
]
