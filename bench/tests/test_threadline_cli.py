import sys
from pathlib import Path

from benchlib.threadline_cli import last_message, parse_stats, read_output, run_process


def test_only_a_match_band_on_the_best_row_is_a_decision(tmp_path: Path) -> None:
    out = tmp_path / "match.csv"
    out.write_text(
        "query_id,ref_id,score,band,explanation\n"
        "Q1,R1,0.93,match,name\n"
        "Q1,R2,0.60,review,name\n"
        "Q2,R3,0.70,review,name\n"
        "Q3,R4,0.50,review,name\n"
        "Q3,R5,0.91,match,name\n",
        encoding="utf-8",
    )
    output = read_output(out)
    assert output.decisions == {"Q1": "R1", "Q3": "R5"}
    assert len(output.candidates) == 5


def test_last_message_skips_box_drawing() -> None:
    stderr = "Usage: threadline match\n╭─ Error ─╮\n│ No such option: --stats │\n╰─────────╯\n"
    assert last_message(stderr) == "No such option: --stats"
    assert last_message("") == "(no message)"


def test_stats_line_is_found_among_other_output() -> None:
    stderr = 'progress 50%\n{"index_build_s": 1.5, "queries": 10, "queries_per_s": 20.0}\ndone\n'
    assert parse_stats(stderr) == {"index_build_s": 1.5, "queries": 10, "queries_per_s": 20.0}
    assert parse_stats("{not json\n") is None
    wrapped = '{"queries": 10, "match_s": 0.5,\n"queries_per_s": 20.0}\n'
    assert parse_stats(wrapped) == {"queries": 10, "match_s": 0.5, "queries_per_s": 20.0}


def test_run_process_reports_exit_status_memory_and_timeout(tmp_path: Path) -> None:
    ok = run_process(
        [sys.executable, "-c", "b = bytearray(60 * 2**20); print('x')"],
        tmp_path / "ok.out",
        timeout_s=60,
    )
    assert ok.returncode == 0 and ok.stopped == ""
    assert ok.peak_rss_mb > 60
    assert (tmp_path / "ok.out").read_text() == "x\n"
    slow = run_process(
        [sys.executable, "-c", "import time; time.sleep(30)"], tmp_path / "slow.out", timeout_s=0.5
    )
    assert slow.stopped == "timeout"
    assert slow.seconds < 10


def test_run_process_stops_a_child_that_takes_too_much_memory(tmp_path: Path) -> None:
    grows = "import time\nb = bytearray(300 * 2**20)\ntime.sleep(30)"
    result = run_process(
        [sys.executable, "-c", grows], tmp_path / "big.out", timeout_s=60, max_rss_mb=150
    )
    assert result.stopped == "memory"
    assert result.returncode != 0
    assert result.seconds < 10
