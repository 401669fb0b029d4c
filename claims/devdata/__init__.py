"""Development data, apart from the runtime code: the demo newsroom and the bulk benchmark generator."""
