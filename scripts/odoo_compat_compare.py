"""Per-test results of an Odoo test log, and the regressions between two of them.

parse LOG OUT [KEY=VALUE ...]: write OUT, one line per test: status, test id, first error line
    (tab-separated; KEY=VALUE pairs are kept as "# KEY=VALUE" header lines). Exits 1 when the log
    does not show a finished post-install test run ("N post-tests in ...").
compare BASELINE WITH [RERUN]: print the tests that pass in BASELINE and fail, error or are
    missing in WITH (a class whose setUpClass errors counts all its tests as failed); exits 1 if
    any. A test that passes in RERUN (those tests run again with qms_customer) is only "flaky".
rerun-tags BASELINE WITH: the --test-tags that run again the tests failing on their own.

Reads what odoo/tests/result.py logs at --log-level=test: "Starting Class.method ..." (INFO,
under the test module's logger), "FAIL: Class.method" / "ERROR: Class.method" with the
traceback (ERROR), "skipped Class.method : reason" (INFO), and for class-level errors
"ERROR: setUpClass (odoo.addons.module.tests.file.Class)" under odoo.tests.suite. Any other
ERROR or CRITICAL line logged while a test runs marks that test "errlog" (a failure, as on
Odoo's runbot).
"""

import re
import sys
from collections import Counter, defaultdict

LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) \S+ (?P<logger>[\w.]+): (?P<msg>.*)$"
)
FLAVOUR = re.compile(r"^(?P<flavour>FAIL|ERROR): (?P<desc>.*)$")
HOLDER = re.compile(r"^(?P<what>setUpClass|tearDownClass|setUpModule|tearDownModule) \((?P<target>[\w.]+)\)$")
SUBTEST = re.compile(r"^Subtest (?P<test>\S+)")
FAILED = {"fail", "error", "errlog"}
# Worst first: a test logged twice (a retry, or a failing subtest and its test) keeps the worst.
RANK = {"error": 0, "fail": 1, "errlog": 2, "skip": 3, "pass": 4}


def _strip(logger):
    return logger.removeprefix("odoo.addons.")


def first_error_line(text):
    """The first line of the last exception of a traceback, else the first non-empty line."""
    lines = [line.rstrip() for line in text.splitlines()]
    start = max((i for i, line in enumerate(lines) if line.startswith("Traceback (")), default=None)
    if start is not None:
        for line in lines[start + 1 :]:
            if line and not line.startswith((" ", "\t")):
                return line.strip()
    return next((line.strip() for line in lines if line.strip()), "")


class Results:
    def __init__(self):
        self.tests = {}  # test id -> [status, first error line]
        self.logged = {}  # test id -> the first ERROR line it logged (a tour's failed step)
        self.holders = {}  # "module.tests.file.Class.setUpClass" -> [status, first error line]
        self.finished = False
        self.ran = None

    def set(self, table, key, status, message=""):
        old = table.get(key)
        if old is None or RANK[status] < RANK[old[0]]:
            table[key] = [status, message]


def parse(path):
    res = Results()
    current = None
    record = None  # (level, logger, [message lines])

    def flush(rec):
        nonlocal current
        if rec is None:
            return
        level, logger, lines = rec
        msg = lines[0]
        m = FLAVOUR.match(msg)
        if level == "INFO" and msg.startswith("Starting ") and msg.endswith(" ..."):
            current = f"{_strip(logger)}.{msg[len('Starting ') : -len(' ...')]}"
            res.set(res.tests, current, "pass")
        elif level == "INFO" and msg.startswith("skipped ") and " : " in msg:
            desc, reason = msg[len("skipped ") :].split(" : ", 1)
            h = HOLDER.match(desc)
            if h:
                res.set(res.holders, f"{_strip(h['target'])}.{h['what']}", "skip", reason)
            else:
                res.set(res.tests, f"{_strip(logger)}.{desc}", "skip", reason)
        elif level == "ERROR" and m:
            status = "fail" if m["flavour"] == "FAIL" else "error"
            text = first_error_line("\n".join(lines[1:]))
            h = HOLDER.match(m["desc"])
            if h:
                res.set(res.holders, f"{_strip(h['target'])}.{h['what']}", status, text)
            else:
                s = SUBTEST.match(m["desc"])
                test = s["test"] if s else m["desc"]
                res.set(res.tests, f"{_strip(logger)}.{test}", status, text)
        elif level == "ERROR" and logger == "odoo.tests.result" and "when loading database" in msg:
            pass  # the run's own summary: "N failed, N error(s) of N tests when loading database"
        elif level in ("ERROR", "CRITICAL"):
            if current is not None:
                text = first_error_line("\n".join(lines)) if len(lines) > 1 else msg
                res.logged.setdefault(current, f"{logger.rsplit('.', 1)[-1]}: {text}")
                res.set(res.tests, current, "errlog", f"{logger}: {text}")
            else:
                res.set(res.holders, f"(outside any test) {logger}", "errlog", msg)
        elif level == "INFO" and re.match(r"^\d+ post-tests in ", msg):
            res.finished = True
            res.ran = int(msg.split()[0])
            current = None

    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            line = raw.rstrip("\n")
            m = LINE.match(line)
            if m:
                flush(record)
                record = (m["level"], m["logger"], [m["msg"].rstrip()])
            elif record is not None:
                record[2].append(line)
    flush(record)
    return res


def write(res, out, meta):
    with open(out, "w", encoding="utf-8") as f:
        for item in meta:
            f.write(f"# {item}\n")
        for table in (res.tests, res.holders):
            for key in sorted(table):
                status, message = table[key]
                if message.startswith("AssertionError: The test code") and key in res.logged:
                    message = res.logged[key]  # the tour's failed step rather than "failed"
                f.write(f"{status}\t{key}\t{' '.join(message.split())}\n")


def read(path):
    tests, holders, meta = {}, {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# "):
                key, _, value = line[2:].partition("=")
                meta[key] = value
                continue
            status, key, message = line.split("\t", 2)
            holder = key.startswith("(") or key.rsplit(".", 1)[-1] in (
                "setUpClass",
                "tearDownClass",
                "setUpModule",
                "tearDownModule",
            )
            (holders if holder else tests)[key] = (status, message)
    return tests, holders, meta


def summary(tests):
    c = Counter(status for status, _ in tests.values())
    return ", ".join(f"{c[s]} {s}" for s in ("pass", "fail", "error", "errlog", "skip") if c[s])


def regressions(base_path, with_path):
    """(rows, count, info): rows of (test or class, status, first error line); count of tests."""
    base, base_holders, _ = read(base_path)
    ours, ours_holders, _ = read(with_path)
    class_errors = {
        key.rsplit(".", 1)[0]: msg
        for key, (status, msg) in ours_holders.items()
        if key.endswith(".setUpClass") and status in FAILED
    }
    rows, by_class = [], defaultdict(list)
    info = Counter()
    for test, (status, _) in sorted(base.items()):
        if status != "pass":
            if status in FAILED and ours.get(test, ("missing",))[0] in FAILED | {"missing"}:
                info["failing in both runs (ignored)"] += 1
            continue
        cls = test.rsplit(".", 1)[0]
        if test in ours:
            now, msg = ours[test]
            if now in FAILED:
                rows.append((test, now, msg))
            elif now == "skip":
                info["passing without qms_customer, skipped with it"] += 1
        elif cls in class_errors:
            by_class[cls].append(test)
        else:
            rows.append((test, "missing", "not run with qms_customer"))
    count = len(rows) + sum(len(tests) for tests in by_class.values())
    for cls, tests in sorted(by_class.items()):
        rows.append((f"{cls} ({len(tests)} tests)", "setUpClass", class_errors[cls]))
    # Class-level errors that are new and not already counted through their tests.
    for key, (status, msg) in sorted(ours_holders.items()):
        new = status in FAILED and base_holders.get(key, ("pass",))[0] not in FAILED
        if new and key.rsplit(".", 1)[0] not in by_class:
            rows.append((key, status, msg))
            count += 1
    if set(ours) - set(base):
        info["run with qms_customer only"] = len(set(ours) - set(base))
    return rows, count, (base, ours, info)


def rerun_tags(base_path, with_path):
    """--test-tags for the tests that regressed on their own (not through their class's setUp)."""
    rows, _, _ = regressions(base_path, with_path)
    tags = []
    for test, status, _ in rows:
        parts = test.split(".")
        if status in FAILED and len(parts) >= 5 and parts[1] == "tests":
            tags.append(f"/{parts[0]}:{parts[-2]}.{parts[-1]}")
    print(",".join(tags))
    return 0


def compare(base_path, with_path, rerun_path=None):
    rows, count, (base, ours, info) = regressions(base_path, with_path)
    print(f"baseline (without qms_customer): {len(base)} tests: {summary(base)}")
    print(f"with qms_customer:               {len(ours)} tests: {summary(ours)}")
    for what, n in info.items():
        print(f"{what}: {n}")
    if rerun_path:
        again, _, _ = read(rerun_path)
        flaky = [r for r in rows if again.get(r[0], ("",))[0] == "pass"]
        for test, status, msg in flaky:
            print(f"flaky: {test} ({status}: {msg[:200]}) passed when run again")
        rows = [r for r in rows if r not in flaky]
        count -= len(flaky)
    if not rows:
        print("no regression: every test that passes without qms_customer passes with it")
        return 0
    width = min(max(len(r[0]) for r in rows), 100)
    print(f"\nREGRESSIONS: {count} tests pass without qms_customer and fail with it")
    print(f"{'test':<{width}}  {'with qms':<10}  first error line")
    print(f"{'-' * width}  {'-' * 10}  {'-' * 16}")
    for test, status, msg in rows:
        print(f"{test:<{width}}  {status:<10}  {msg[:300]}")
    return 1


def main(argv):
    if len(argv) >= 3 and argv[0] == "parse":
        res = parse(argv[1])
        meta = list(argv[3:]) + [f"tests={len(res.tests)}", f"ran={res.ran}"]
        write(res, argv[2], meta)
        if not res.finished:
            print(f"{argv[1]}: no finished post-install test run in this log", file=sys.stderr)
            return 1
        print(f"{len(res.tests)} tests: {summary({k: tuple(v) for k, v in res.tests.items()})}")
        return 0
    if len(argv) in (3, 4) and argv[0] == "compare":
        return compare(*argv[1:])
    if len(argv) == 3 and argv[0] == "rerun-tags":
        return rerun_tags(argv[1], argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
