"""`--engine local`: the batch function over Arrow batches in this process, streamed to Parquet."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from threadline.batch.frame import PreparedScreening
from threadline.batch.sources import Inputs, read_batches
from threadline.batch.summary import Aggregates

REJECT_COLUMNS = ("input", "file", "row", "rejected")


def run_local(
    prepared: PreparedScreening,
    inputs: Inputs,
    staging: Path,
    progress: Callable[[int], None] | None = None,
) -> Aggregates:
    """Screen every input row; results/ and rejects/ as Parquet; the counts for the summary."""
    schema = prepared.schema
    results_schema = schema.remove(schema.get_field_index("rejected"))
    rejects_schema = pa.schema([schema.field(name) for name in REJECT_COLUMNS])
    (staging / "results").mkdir()
    (staging / "rejects").mkdir()
    aggregates = Aggregates()
    rejects: pq.ParquetWriter | None = None
    with pq.ParquetWriter(staging / "results" / "part-00000.parquet", results_schema) as results:
        try:
            for batch in read_batches(inputs):
                out = prepared.screen_batch(batch)
                aggregates.add(out)
                failed = pc.is_valid(out.column("rejected"))
                kept = out.filter(pc.invert(failed))
                results.write_batch(kept.select(results_schema.names))
                if pc.any(failed).as_py():
                    if rejects is None:
                        path = staging / "rejects" / "part-00000.parquet"
                        rejects = pq.ParquetWriter(path, rejects_schema)
                    rejects.write_batch(out.filter(failed).select(list(REJECT_COLUMNS)))
                if progress is not None:
                    progress(batch.num_rows)
        finally:
            if rejects is not None:
                rejects.close()
    return aggregates
