"""An app that exists only for the tests: installed through JINGBAN_EXTRA_APPS alone, it brings
a route, an API operation, a capability granted to a role, a navigation entry, a home panel, an
action code and a job kind, with no edit to core, urls.py or api.py."""
