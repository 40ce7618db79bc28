"""Benchmark official documents as PDFs (issue 5).

Renders a typical 2-page Chinese notice (the defence notice, 答辩通知书) and its Latin
twin (the same page with every Chinese character replaced by two Latin letters, so the layout
and the amount of text stay alike) ``--repeat`` times each after a warm-up, and prints the
median of each (wall clock and CPU time: the CPU time is what a busy machine does not distort),
their ratio, the PDF size and the peak memory of the rendering; then issues ``--batch`` hearing
notices (with their reply slips) as one batch the way the web page does since issue 15: the
request stores the batch and its numbers and enqueues it; ``--workers`` consumer processes
(``flask ipcase worker --worker-type process`` as deployed, here started from this script on the
same database) issue it in chunks and build the combined PDF. Printed: the time from the request
to the batch complete, and the peak memory of this process. The queue is a SQLite file (the
embedded default) unless ``--queue-url`` (e.g. ``redis://127.0.0.1:6379/14``) is given.
Targets: Chinese < 2 × Latin and < 0.2 s; the batch of 100 < 15 s; a 2-page notice < 300 KB;
peak memory < 300 MB.

    python bench/pdf.py
    python bench/pdf.py --repeat 50 --batch 100 --workers 2
"""

import argparse
import os
import re
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ipcase import create_app
from ipcase.auth.models import Role, User
from ipcase.cases.enums import AgentAuthority, AssignmentRole, CaseSource, Channel, PartyKind, PartyRole, RightType
from ipcase.cases.models import Agent, Assignment, Case
from ipcase.cases.operations import open_case
from ipcase.core.extensions import db
from ipcase.documents import operations as ops
from ipcase.documents import render
from ipcase.documents.models import BatchStatus, DocumentBatch
from ipcase.documents.registry import get_kind
from ipcase.documents.snapshots import build_snapshot
from ipcase.organisations.models import Organisation, OrgKind
from ipcase.tasks.worker import run_worker

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2014\u201c\u201d]")
LATIN = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor"


def latin_twin(html: str) -> str:
    """The same page in Latin letters: each Chinese character in the text becomes two letters."""
    letters = LATIN.replace(" ", "")
    counter = iter(range(10**9))

    def swap(match: re.Match[str]) -> str:
        i = next(counter) * 2 % (len(letters) - 1)
        return letters[i : i + 2]

    def text_only(match: re.Match[str]) -> str:
        return ">" + CJK.sub(swap, match.group(1)) + "<"

    twin = re.sub(r">([^<]+)<", text_only, html)
    return twin.replace('lang="zh-CN"', 'lang="en"')


def bench_config(database: Path, queue_url: str) -> dict[str, Any]:
    """The app's settings: the SQLite file, and the queue the workers share (not inline)."""
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "TESTING": True,
        "SECRET_KEY": "bench",
        "DOCUMENT_VERIFY_URL": "https://ipcase.example.cn/verify",
        "DOCUMENT_BATCH_MAX": 1000,
        "QUEUE_IMMEDIATE": False,
        "QUEUE_URL": queue_url,
    }


def build(database: Path, cases: int, queue_url: str) -> Any:
    """The app on a fresh SQLite file with one office, its staff, and ``cases`` cases."""
    app = create_app(bench_config(database, queue_url))
    with app.app_context():
        db.create_all()
        org = Organisation(
            code="cdip",
            name="成都市知识产权局",
            abbr="成知",
            kind=OrgKind.ip_office,
            region_code="510100",
            region_name="成都市",
            address="成都市锦江区某某路88号",
            postcode="610000",
            phone="028-12345678",
        )
        db.session.add(org)
        for name, role in (("director", Role.director), ("examiner", Role.examiner), ("examiner2", Role.examiner)):
            db.session.add(
                User(username=name, display_name=name.title(), role=role, organisation=org, password_hash="!")  # noqa: S106  (no login in a benchmark)
            )
        db.session.commit()
        add_cases(cases)
    return app


def add_cases(count: int) -> list[int]:
    """``count`` adjudication cases in the evidence stage, each with an agent and a panel."""
    org = db.session.scalars(sa.select(Organisation)).one()
    users = {u.username: u for u in db.session.scalars(sa.select(User))}
    received = datetime.now(UTC) - timedelta(days=30)
    ids = []
    for i in range(count):
        requester = f"成都某某家居科技有限公司{i + 1}"
        case = open_case(
            channel=Channel.adjudication,
            organisation=org,
            actor=users["examiner"],
            source=CaseSource.walk_in,
            title="“一种折叠椅”实用新型专利侵权纠纷",
            received_at=received,
            parties=[
                {
                    "role": PartyRole.requester,
                    "kind": PartyKind.legal_person,
                    "name": requester,
                    "legal_rep_name": "张三",
                    "legal_rep_title": "总经理",
                    "address": "成都市高新区天府大道北段100号",
                },
                {
                    "role": PartyRole.respondent,
                    "kind": PartyKind.legal_person,
                    "name": f"四川某某商贸有限公司{i + 1}",
                    "legal_rep_name": "李四",
                    "address": "成都市武侯区人民南路四段1号",
                },
            ],
            rights=[
                {
                    "right_type": RightType.patent,
                    "number": "ZL201710601862.3",
                    "title": "一种折叠椅",
                    "holder": requester,
                }
            ],
        )
        case.state = "evidence"
        db.session.add(
            Agent(
                party=case.requesters[0],
                position=1,
                name="王律师",
                firm="四川某某律师事务所",
                authority=AgentAuthority.special,
            )
        )
        db.session.add(Assignment(case=case, user=users["director"], role=AssignmentRole.panel_leader))
        db.session.add(Assignment(case=case, user=users["examiner2"], role=AssignmentRole.panel_member))
        ids.append(case.id)
    db.session.commit()
    return ids


HEARING = {
    "addressee": 0,
    "hearing_at": "2026-12-15T09:30",
    "place": "成都市知识产权局第一审理庭（成都市锦江区某某路88号三楼）",
    "is_online": False,
    "is_public": True,
    "bring": "身份证明、法定代表人身份证明书、授权委托书原件，证据原件及副本，专利权有效的证明，被诉侵权产品实物",
}


DEFENCE = {
    "addressee": None,
    "docketed_on": None,
    "note": "请你方在答辩期限内一并提交被诉侵权产品的来源证明、合法取得的证据及相关技术资料。",
}


def medians(fn: Any, repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of ``fn`` after one warm-up (fonts, caches)."""
    fn()
    wall, cpu = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def start_workers(database: Path, queue_url: str, workers: int) -> subprocess.Popen[bytes]:
    """The consumer as deployed: ``workers`` worker processes on the bench's database and queue."""
    command = [sys.executable, __file__, "--consume", str(database), "--queue-url", queue_url]
    command += ["--workers", str(workers)]
    return subprocess.Popen(command)  # noqa: S603  (this script, this interpreter)


def consume(database: Path, queue_url: str, workers: int) -> int:
    """``--consume``: run the queue's consumer with process workers until SIGINT."""
    app = create_app(bench_config(database, queue_url))
    run_worker(app, workers=workers, worker_type="process", periodic=False)
    return 0


def issue_through_the_queue(app: Any, ids: list[int], timeout: float = 600) -> tuple[dict[str, float], DocumentBatch]:
    """Issue the batch as the web page does (store, commit, enqueue) and wait until the workers
    complete it. Seconds from the request's start: ``request`` (the request's own work),
    ``issued`` (every notice issued), ``total`` (the combined PDF stored)."""
    cases = [db.session.get(Case, i) for i in ids]
    started = time.perf_counter()
    batch = ops.issue_batch(cases, "hearing_notice", HEARING, actor=None)
    db.session.commit()
    ops.start_batch(batch)
    times = {"request": time.perf_counter() - started}
    batch_id, count = batch.id, batch.count
    while time.perf_counter() - started < timeout:
        db.session.remove()
        status, done = db.session.execute(
            sa.select(DocumentBatch.status, DocumentBatch.done).where(DocumentBatch.id == batch_id)
        ).one()
        if done == count and "issued" not in times:
            times["issued"] = time.perf_counter() - started
        if status != BatchStatus.queued:
            break
        time.sleep(0.05)
    times["total"] = time.perf_counter() - started
    db.session.remove()
    batch = db.session.get(DocumentBatch, batch_id)
    if batch.status != BatchStatus.complete:
        raise SystemExit(f"batch {batch_id}: {batch.status} after {times['total']:.0f} s: {batch.error}")
    return times, batch


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2, help="consumer worker processes for the batch")
    parser.add_argument("--queue-url", default="", help="the queue (default: a SQLite file beside the database)")
    parser.add_argument("--consume", metavar="DATABASE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.consume:
        return consume(Path(args.consume), args.queue_url, args.workers)

    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "bench.sqlite"
        queue_url = args.queue_url or f"sqlite:///{Path(tmp) / 'queue.sqlite'}"
        app = build(database, 1, queue_url)
        with app.test_request_context():
            report = render.subsetter_report()
            print(
                f"subsetter: {report['subsetter']} (HarfBuzz {report['harfbuzz_version'] or '?'}), "
                f"WeasyPrint {report['weasyprint_version']}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
            )
            case = db.session.scalars(sa.select(Case)).one()
            kind = get_kind("defence_notice")
            fields = DEFENCE | {
                "addressee": case.respondents[0].id,
                "docketed_on": datetime.now(UTC).date().isoformat(),
            }
            snapshot = build_snapshot(case, kind, fields, issued_on=datetime.now(UTC).date())
            snapshot["meta"] = {
                "number": "成知答〔2026〕88号",
                "verify_code": "K7M2Q9XP",
                "verify_page": "https://ipcase.example.cn/verify",
                "verify_url": "https://ipcase.example.cn/verify?number=x&code=K7M2Q9XP",
                "corrects": None,
            }
            html = render.render_html(kind.template_file, snapshot)
            twin = latin_twin(html)
            chinese_pdf = render.html_to_pdf(html)
            latin_pdf = render.html_to_pdf(twin)
            pages = len(render.render_document(html).pages)

            zh, zh_cpu = medians(lambda: render.html_to_pdf(html), args.repeat)
            en, en_cpu = medians(lambda: render.html_to_pdf(twin), args.repeat)
            tracemalloc.start()
            render.html_to_pdf(html)
            _current, traced_peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            render_peak = rss_mb()

            print(
                f"Chinese notice: median {zh * 1000:.0f} ms wall, {zh_cpu * 1000:.0f} ms CPU "
                f"(over {args.repeat}), {pages} pages, {len(chinese_pdf) / 1024:.0f} KB"
            )
            print(
                f"Latin twin:     median {en * 1000:.0f} ms wall, {en_cpu * 1000:.0f} ms CPU, "
                f"{len(latin_pdf) / 1024:.0f} KB"
            )
            print(f"ratio Chinese/Latin: {zh / en:.2f} wall, {zh_cpu / en_cpu:.2f} CPU")
            print(
                f"peak memory while rendering: {render_peak:.0f} MB resident (whole process), "
                f"{traced_peak / 1024 / 1024:.1f} MB Python heap in one render"
            )

            ids = add_cases(args.batch)
            db.session.remove()
            workers = start_workers(database, queue_url, args.workers)
            try:
                time.sleep(2)  # the consumer and its workers have started (as they have when deployed)
                times, batch = issue_through_the_queue(app, ids)
            finally:
                workers.send_signal(signal.SIGINT)
                try:
                    workers.wait(30)
                except subprocess.TimeoutExpired:
                    workers.kill()
            # the consumer waited for its worker processes: their CPU time is counted in its own
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            worker_cpu = children.ru_utime + children.ru_stime
            total = times["total"]
            print(
                f"batch of {batch.count} hearing notices through the queue, {args.workers} worker processes: "
                f"{total:.1f} s wall from the request to the combined PDF (target < 15 s): the request "
                f"{times['request'] * 1000:.0f} ms, every notice issued at {times.get('issued', total):.1f} s; "
                f"{worker_cpu:.1f} s CPU in the workers ({worker_cpu / batch.count * 1000:.0f} ms a notice), "
                f"load {os.getloadavg()[0]:.1f}; combined PDF {batch.size / 1024 / 1024:.1f} MB; "
                f"peak memory of this process {rss_mb():.0f} MB"
            )

        checks = [
            ("Chinese < 2 x Latin", zh < 2 * en),
            ("Chinese < 0.2 s", zh < 0.2),
            (f"batch of {batch.count} < 15 s", total < 15 * batch.count / 100),
            (f"{pages}-page notice < 300 KB", len(chinese_pdf) < 300 * 1024),
            ("peak memory while rendering < 300 MB", render_peak < 300),
        ]
        for label, ok in checks:
            print(f"  [{'ok' if ok else 'MISSED'}] {label}")
        return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
