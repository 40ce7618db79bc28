"""The four rapid-protection channels; each declares itself in :mod:`ipcase.channels.registry`."""
