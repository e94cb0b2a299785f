"""Import of migrant counts and population, in the order a file goes through it.

- `reading`: the file's kind and encoding, and the CSV rows, with `xlsx` (the template as
  XLSX) and `odata` (CBS open-data JSON); `tables` reads rows into figures, `columns`
  tells from the header which column holds what, `values` reads single cells and
  `aliases` holds the names understood; `limits` bounds what a file may hold, checked
  while it is read; `results` holds what reading yields;
- `validating`: municipalities looked up and the figures checked against each other;
- `planning`: compared with what is stored, the plan the preview shows.

Nothing here writes: `registry.services.migrant_counts_import` runs these steps and
writes the plan in one transaction.
"""
