"""jingban (经办): administering public medical insurance and long-term care insurance."""

__version__ = "0.1.0"
