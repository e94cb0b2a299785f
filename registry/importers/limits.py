"""What one import file may hold, checked while it is read (docs/importing.md, Limits).

Together they bound what any file within the upload limit can cost a worker: the rows and
cells are counted as they are read, so reading stops at the first one too many.
"""

from migrantportal.upload_limits import UPLOAD_MAX_BYTES

MAX_FILE_BYTES = UPLOAD_MAX_BYTES
# Four national files (22,770 rows each would be 91,080) would not fit: a national file
# has 345 municipalities × 11 years × 6 motives. 50,000 rows keeps the slowest format,
# XLSX, within seconds.
MAX_ROWS = 50_000
MAX_COLUMNS = 100
# Cells read in all (a national template file: 22,770 rows × 7 = 159,390).
MAX_CELLS = 500_000
MAX_CELL_CHARS = 1000
# One row of a CSV file, in characters, quotes and separators included.
MAX_ROW_CHARS = 100_000
MAX_XLSX_ENTRIES = 500
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
# The shared strings (the sheet's texts) are held in memory while the sheet is read.
MAX_XLSX_STRINGS_BYTES = 5 * 1024 * 1024
HEADER_SEARCH_ROWS = 20
