"""Cross-cutting infrastructure: database base, time, numbering, errors, validation."""
