"""Forms of the council workflow, one module per part of the work."""
