"""The AWS layer: the only code that holds boto3 clients (STYLE.md rules 1 and 6).

`sessions` (accounts and cached clients), `regions` (which regions to scan), `ratelimit` (token buckets
per operation), `paging` (one paginating enumerator) and `errors` (section statuses).
"""

from __future__ import annotations
