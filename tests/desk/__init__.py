"""The desk's pages through the test client."""

# Stored text that must always show as text: a script, and an attribute breaking out of its quotes.
PAYLOAD = '<script>alert(1)</script>" onmouseover="x'
