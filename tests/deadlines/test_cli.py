"""flask ipcase calc-deadline / sweep / sync-calendar, and the embedded sweeper."""

import pytest

from ipcase.deadlines.forms import MAX_LENGTH


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=["ipcase", *args])


@pytest.mark.parametrize(
    ("args", "first_line"),
    [
        (["--from", "2026-09-30", "--working-days", "5"], "2026-10-13"),
        (["--from", "2026-01-31", "--months", "1"], "2026-02-28"),
        (["--from", "2026-09-20", "--days", "15"], "2026-10-08"),
        (["--from", "2026-09-30 18:00", "--hours", "48"], "2026-10-02 18:00"),
        (["--from", "2026-09-30T23:30", "--hours", "24"], "2026-10-01 23:30"),
        # an instant with an offset: its day in China is the event's day (P1)
        (["--from", "2024-10-11T16:20+00:00", "--days", "1"], "2024-10-14"),
        (["--from", "2024-10-11 16:20Z", "--days", "1"], "2024-10-14"),
        (["--from", "2024-10-11T15:59+00:00", "--days", "1"], "2024-10-12"),  # 23:59 in China: still 10-11
        (["--from", "2024-10-11T16:20+00:00", "--hours", "2"], "2024-10-12 02:20"),
        # years (P2): corresponding day; 29 February → 28 February; then P3
        (["--from", "2021-02-26", "--years", "3"], "2024-02-26"),
        (["--from", "2020-02-29", "--years", "1"], "2021-03-01"),
        (["--from", "2024-02-29", "--years", "1"], "2025-02-28"),
    ],
)
def test_calc_deadline_prints_the_due_date_first(cli, args, first_line):
    result = cli("calc-deadline", *args)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == first_line


def test_calc_deadline_explains(cli):
    result = cli("calc-deadline", "--from", "2026-09-30", "--working-days", "5", "--explain")
    lines = result.output.splitlines()
    assert lines[0] == "2026-10-13"
    assert "2026-10-01: not counted — holiday (国庆节)" in lines
    assert lines[-1] == "2026-10-13: due"


@pytest.mark.parametrize(
    "args",
    [
        ["--from", "2026-13-01", "--days", "3"],
        ["--from", "tomorrow", "--days", "3"],
        ["--from", "2026-09-30", "--days", "-3"],
        ["--from", "2026-09-30", "--days", "0"],
        ["--from", "2026-09-30"],
        ["--from", "2026-09-30", "--days", "3", "--months", "1"],
        ["--from", "2026-09-30", "--years", "0"],
        ["--from", "2026-09-30", "--working-days", "100000000"],
        ["--from", "2026-09-30", "--days", "99999999999"],
        ["--from", "2026-09-30", "--months", "121"],
        ["--from", "2026-09-30", "--years", "11"],
        ["--from", "2026-09-30", "--hours", "8785"],
        ["--from", "9999-12-31", "--days", "3"],
        ["--from", "9999-12-31 23:00", "--hours", "24"],
        ["--from", "2026-09-30", "--days", "abc"],
    ],
)
def test_calc_deadline_refuses_bad_input(cli, args):
    result = cli("calc-deadline", *args)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output


def test_calc_deadline_caps_are_the_web_calculators(cli):
    """The longest lengths accepted are those of the web calculator (forms.MAX_LENGTH)."""
    for unit, limit in MAX_LENGTH.items():
        option = f"--{unit.value.replace('_', '-')}"
        start = "2026-09-30 10:00" if unit == "hours" else "2026-09-30"
        assert cli("calc-deadline", "--from", start, option, str(limit)).exit_code == 0, unit
        refused = cli("calc-deadline", "--from", start, option, str(limit + 1))
        assert refused.exit_code == 2 and f"at most {limit}" in refused.output, unit


def test_sync_calendar_is_idempotent(cli):
    first = cli("sync-calendar")
    assert first.exit_code == 0 and "confirmed=0" in first.output  # the test database is already synced


def test_sweep_command_reports_counts(cli):
    result = cli("sweep")
    assert result.exit_code == 0 and "breached=" in result.output and "reminded=" in result.output
