"""Reading user files: supplier and shipment tables, and reference lists (tables or FtM JSON).

Every failure is an InputError naming the file, and the row and column where there is one.
"""

from threadline.inputs.columns import RecordColumns, guess_record_columns
from threadline.inputs.ftm import FtmRead, read_ftm, read_ftm_entities
from threadline.inputs.records import (
    RecordsRead,
    read_records,
    read_records_many,
    read_records_with_report,
)
from threadline.inputs.reference import read_reference, read_reference_table
from threadline.inputs.tables import Table, read_table

__all__ = [
    "FtmRead",
    "RecordColumns",
    "RecordsRead",
    "Table",
    "guess_record_columns",
    "read_ftm",
    "read_ftm_entities",
    "read_records",
    "read_records_many",
    "read_records_with_report",
    "read_reference",
    "read_reference_table",
    "read_table",
]
