"""Exchange with the tools archives already use: spreadsheets (CSV/xlsx), OHMS XML, OAI-PMH
with Dublin Core, and the OpenAPI description of the JSON API.  Documented in docs/exchange.md.

Every reader here goes through archive.catalog's shelf or archive.access; every write goes
through archive.editing's Editor."""
