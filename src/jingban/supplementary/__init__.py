"""Supplementary insurance products (惠民保): the product catalogue, enrollment and premiums, and
claims stacked on direct settlements and reimbursements."""
