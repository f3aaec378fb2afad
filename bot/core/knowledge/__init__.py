"""Knowledge: the YAML files admins own, their schema, loading, validation and the indexed base."""
