"""Open data: national aggregates published every night under statistical secrecy.

- `secrecy`: pure; which figures of a table may be published, now and given the previous release;
- `population`: the per-company contributions behind each table (whole-population reads, nightly);
- `release`: the nightly publication (`publish_release`) and the files (JSON, CSV).
docs/open-data.md describes the tables and the rules.
"""
