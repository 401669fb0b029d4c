"""The editorial desk: server-rendered pages, one module a topic, one plain view a page.

Every view asks claims.policy at its top, reads through claims.reads and the
models' visible_to(), writes through claims.services, and turns a refusal
into a message next to the field it is about (views.base). None decides anything itself.
"""
