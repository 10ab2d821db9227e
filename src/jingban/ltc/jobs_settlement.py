"""The settlement part's job kinds (imported by ``jobs``)."""
