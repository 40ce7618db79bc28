"""Official documents: templates, numbering, PDF rendering, service and verification (issue 5)."""
