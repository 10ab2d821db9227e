"""One rules model per scheme family; ``schema.PackRules`` is their union."""
