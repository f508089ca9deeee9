"""Batch screening of large record sets, in-process or on Apache Spark, with one batch function.

`frame` is the pure function over Arrow record batches; `local` runs it in this process and
`spark` under `mapInArrow` (pyspark is an optional extra, imported there only, lazily).
"""

from threadline.batch.frame import PreparedScreening, input_schema, output_schema
from threadline.batch.run import ENGINES, check_engine, read_inputs, screen_batch_files

__all__ = [
    "ENGINES",
    "PreparedScreening",
    "check_engine",
    "input_schema",
    "output_schema",
    "read_inputs",
    "screen_batch_files",
]
