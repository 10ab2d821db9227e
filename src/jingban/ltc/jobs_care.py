"""The care part's job kinds (imported by ``jobs``)."""
