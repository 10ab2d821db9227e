"""The decision part's job kinds (imported by ``jobs``)."""
