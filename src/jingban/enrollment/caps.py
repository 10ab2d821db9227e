"""The enrollment app's capability codes (granted in ``plugin.py``)."""

VIEW = "enrollment.enrollment.view"
EDIT = "enrollment.enrollment.edit"
PAYMENT_RECORD = "enrollment.payment.record"
PAYMENT_IMPORT = "enrollment.payment.import"
