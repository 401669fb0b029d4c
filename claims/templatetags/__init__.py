"""Template tags and filters of the claims app (JSON-LD for pages: jsonld)."""
