"""Official lists and reports as Excel files: D05-TS, D03-TS, renewals, collection book, reconciliation.

Each writer takes ``user`` (or ``OPERATOR`` from the command line), its filters and ``out`` (a path or
a binary file object) and returns a one-level summary dict that the command prints as JSON.
"""
