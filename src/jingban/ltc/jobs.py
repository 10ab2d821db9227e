"""The long-term care job kinds: importing each part's module registers its kinds."""

from jingban.ltc import jobs_care, jobs_decision, jobs_intake, jobs_settlement

__all__ = ["jobs_care", "jobs_decision", "jobs_intake", "jobs_settlement"]
