"""One clock: the application reads time only through ``ipcase.core.clock``, and tests only through
the frozen clock of ``tests/conftest.py`` (``clock.now()``, the ``instant`` and ``frozen_now``
fixtures), never the wall clock."""

import ast
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ipcase.core import clock

ROOT = Path(__file__).resolve().parent.parent
#: the one module allowed to ask the system for the time, and this test, which reads the wall
#: clock on purpose to show that it is frozen
ALLOWED = {ROOT / "ipcase" / "core" / "clock.py", Path(__file__).resolve()}
#: calls that read the wall clock: (receiver, attribute)
WALL_CLOCK = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "localtime"),
    ("time", "gmtime"),
    ("time", "ctime"),
    ("time", "asctime"),
}


def wall_clock_reads(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        receiver = node.func.value
        name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", None)
        if (name, node.func.attr) in WALL_CLOCK:
            where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
            found.append(f"{where}:{node.lineno}: {name}.{node.func.attr}()")
    return found


def sources() -> list[Path]:
    return sorted(p for folder in ("ipcase", "tests") for p in (ROOT / folder).rglob("*.py") if p not in ALLOWED)


def test_nothing_reads_the_wall_clock_but_the_clock_module() -> None:
    offenders = [line for path in sources() for line in wall_clock_reads(path)]
    assert not offenders, "read the time through ipcase.core.clock instead:\n" + "\n".join(offenders)


#: SQL that would read the database server's clock, which no frozen clock reaches
SQL_CLOCK = re.compile(
    r"func\.(now|current_date|current_timestamp|localtimestamp)\b|"
    r"\b(CURRENT_DATE|CURRENT_TIMESTAMP|LOCALTIMESTAMP)\b|(?<![\w.])now\(\)|'now'"
)


def test_no_sql_reads_the_database_servers_clock() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for folder in ("ipcase", "migrations")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path not in ALLOWED
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SQL_CLOCK.search(line)
    ]
    assert not offenders, "pass clock.now() as a parameter instead:\n" + "\n".join(offenders)


def test_the_sql_checker_finds_server_clock_reads() -> None:
    assert SQL_CLOCK.search("sa.func.now()")
    assert SQL_CLOCK.search("WHERE due_at < now()")
    assert SQL_CLOCK.search("server_default=sa.text('CURRENT_TIMESTAMP')")
    assert not SQL_CLOCK.search("at = clock.now()")


def test_the_checker_finds_a_wall_clock_read(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import datetime, time\nx = datetime.datetime.now()\ny = time.time()\nz = date.today()\n")
    assert [line.split(": ", 1)[1] for line in wall_clock_reads(sample)] == [
        "datetime.now()",
        "time.time()",
        "date.today()",
    ]


def test_the_whole_process_stands_at_the_runs_instant(instant: datetime) -> None:
    # the wall clock itself is frozen, not only the app's clock: a library or a forgotten
    # datetime.now() gets the same instant
    assert datetime.now(UTC) == instant
    assert clock.now() == instant
    assert date.today() == datetime.now().date()


def test_frozen_now_moves_every_clock_and_the_next_test_starts_over(frozen_now, instant: datetime) -> None:
    later = frozen_now(datetime(2030, 1, 2, 3, 4, tzinfo=UTC))
    assert clock.now() == later == datetime.now(UTC)
    with pytest.raises(ValueError, match="aware"):
        frozen_now(datetime(2030, 1, 2))


def test_after_a_move_the_clock_is_back_at_the_instant(instant: datetime) -> None:
    assert clock.now() == instant
