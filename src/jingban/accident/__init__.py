"""Accident insurance for people aged 60 and over (安康关爱-style): group enrollment through the
ageing office or a community, premiums and accidental-injury claims."""
