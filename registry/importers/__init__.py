"""Import of migrant counts and population, in the order a file goes through it.

- `reading`: the file formats (StatLine CSV, CBS open-data JSON, the template as CSV or
  XLSX) into parsed rows, through `tables` (header and rows), `values` (single cells)
  and `aliases` (the names understood); `results` holds what reading yields;
- `validating`: municipalities looked up and the figures checked against each other;
- `planning`: compared with what is stored, the plan the preview shows.

Nothing here writes: `registry.services.migrant_counts_import` runs these steps and
writes the plan in one transaction.
"""
