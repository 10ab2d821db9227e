"""The intake part's job kinds (imported by ``jobs``)."""
