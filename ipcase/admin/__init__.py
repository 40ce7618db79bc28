"""Administration: accounts and organisations."""
