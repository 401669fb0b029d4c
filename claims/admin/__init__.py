"""Every editorial model in the admin: searchable, filterable, with its history.

The admin decides no rule: who may see, add, change, delete, rate, publish,
merge and revert is claims.policy, asked with the row; every write is a
claims.services call (base.py says how). Modules by topic, as the models are.
"""

from claims.admin import claims, evidence, imports, jobs, outlets, quotes, speakers  # noqa: F401  (each registers its models)
