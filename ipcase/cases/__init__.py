"""The case file shared by all channels: parties, agents, rights, staff, timeline; staff workbench."""
