"""Manual reimbursement (手工报销): applications with materials, the review queue, decisions settled
through the medical engine, and payment to the person's bank account."""
