"""claimboard's Datasette plugin."""
