"""Enrollment and contributions (参保与缴费): enrolling, suspending, ending and renewing a
person's enrollment per scheme and year; contribution payments from tax and bank files and at
windows, reconciled against the person's tier and subsidies; and coverage for settlement (the
waiting period and the critical illness cap raises of 国办发〔2024〕38号)."""
