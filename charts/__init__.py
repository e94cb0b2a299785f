"""Charts as the portal shows them: a figure, the same numbers as a table, and downloads.

The layer below `policy` and `dashboards`: it knows nothing of municipalities,
findings or rounds, only of charts, numbers in the reader's notation and the
privacy of small numbers. It imports Django, pandas and plotly, and from the
project nothing but `migrantportal`'s small shared helpers
(tests/project/test_architecture.py keeps it so).
"""
