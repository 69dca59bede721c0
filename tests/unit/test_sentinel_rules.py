"""Parsing, templates, signals and clusters of the Log Sentinel: no model involved."""

from pathlib import Path

import pytest

from agents.sentinel.grouping import Cluster, burst_client, group_lines
from agents.sentinel.parsing import parse_line, template_of
from agents.sentinel.signals import Rule, RuleSet, default_rules

pytestmark = pytest.mark.unit
MIXED = Path(__file__).resolve().parents[1] / "data" / "nginx-mixed.log"


def error_line(message, path="/", client="203.0.113.9", extra=""):
    return (f'2024/11/20 10:01:02 [error] 123#123: *4 {message}, client: {client}, server: erp.example.org, '
            f'request: "GET {path} HTTP/1.1"{extra}, host: "erp.example.org"')


def test_error_line_fields():
    event = parse_line(error_line("upstream timed out (110: Connection timed out) while reading response header",
                                  "/compta", extra=', upstream: "http://127.0.0.1:8081/compta"'))
    assert (event.kind, event.level, event.client, event.method, event.path) == ("error", "error", "203.0.113.9",
                                                                                 "GET", "/compta")
    assert event.upstream == "http://127.0.0.1:8081/compta"
    assert event.host == "erp.example.org"
    assert event.message.startswith("upstream timed out (110")


@pytest.mark.parametrize("line", [
    '127.0.0.1 - - [29/Sep/2021:17:29:58 +0200] "GET /%2fetc%2fpasswd HTTP/1.1" 404 162 "-" "curl/7.68.0"',
    'Sep 15 16:13:46 host nginx[2869]: 127.0.0.1 - - [15/Sep/2021:16:13:46 +0000] "GET /%2fetc%2fpasswd HTTP/1.1" '
    '404 1 "-" "curl/7.68.0"',
    'memze.ro 127.0.0.1 - - [08/Oct/2021:17:09:03 +0200] "GET /%2fetc%2fpasswd HTTP/1.1" 404 166 "-" "curl/7.68.0" "-"',
])
def test_access_line_in_plain_syslog_and_vhost_forms(line):
    event = parse_line(line)
    assert (event.kind, event.client, event.method, event.path, event.status) == (
        "access", "127.0.0.1", "GET", "/%2fetc%2fpasswd", 404)
    assert event.user_agent == "curl/7.68.0"


@pytest.mark.parametrize("line", ["", "not a log line", "2024/11/20 garbage", "\x00\x01\xff", "x" * 1_000_000])
def test_lines_of_neither_format_are_none(line):
    assert parse_line(line) is None


def test_distinct_errors_keep_distinct_templates():
    messages = [
        'open() "/srv/a" failed (2: No such file or directory)',
        'open() "/srv/a" failed (13: Permission denied)',
        "client intended to send too large body: 7340032 bytes",
        "upstream timed out (110: Connection timed out) while reading response header from upstream",
        "connect() failed (111: Connection refused) while connecting to upstream",
    ]
    templates = {template_of(parse_line(error_line(m))) for m in messages}
    assert len(templates) == 5
    assert 'open() "<*>" failed (2: No such file or directory)' in templates
    assert "client intended to send too large body: <N> bytes" in templates


def test_one_template_is_split_into_attack_and_noise():
    lines = [error_line('open() "/var/www/html/.env" failed (2: No such file or directory)', "/.env"),
             error_line('open() "/var/www/html/favicon.ico" failed (2: No such file or directory)', "/favicon.ico"),
             error_line('open() "/var/www/html/.env" failed (2: No such file or directory)', "/.env")]
    clusters = group_lines(lines, default_rules()).clusters
    template = 'open() "<*>" failed (2: No such file or directory)'
    assert clusters[(template, "secret-file-probe")].count == 2
    assert clusters[(template, "browser-noise")].count == 1


@pytest.mark.parametrize(("path", "rule"), [
    ("/.git/config", "secret-file-probe"), ("/wp-login.php", "admin-panel-probe"),
    ("/phpmyadmin/index.php", "admin-panel-probe"), ("/..%2f..%2fetc%2fpasswd", "path-traversal"),
    ("/%252e%252e/%252e%252e/etc/shadow", "path-traversal"),
    ("/item?id=1%20UNION%20SELECT%20pass%20FROM%20users", "sql-injection"),
    ("/search?q=%3Cscript%3Ealert(1)%3C/script%3E", "xss-probe"), ("/favicon.ico", "browser-noise"),
])
def test_path_rules(path, rule):
    event = parse_line(f'1.2.3.4 - - [20/Nov/2024:10:00:00 +0000] "GET {path} HTTP/1.1" 404 1 "-" "Mozilla/5.0"')
    assert default_rules().match(event)[0] == rule


def test_missing_file_is_a_misconfiguration_only_when_our_own_page_links_to_it():
    message = 'open() "/var/www/html/css/app.css" failed (2: No such file or directory)'
    linked = parse_line(error_line(message, "/css/app.css", extra=', referrer: "https://erp.example.org/index.php"'))
    alone = parse_line(error_line(message, "/css/app.css"))
    elsewhere = parse_line(error_line(message, "/css/app.css", extra=', referrer: "https://evil.example/"'))
    assert default_rules().match(linked) == ("missing-referenced-file",)
    assert default_rules().match(alone) == ()
    assert default_rules().match(elsewhere) == ()


def test_rules_are_data_with_allowlists():
    rules = RuleSet([Rule(id="probe", category="attack", description="d", field="path", pattern="^/admin",
                          allowlist=["^/admin/health$"])])
    probe = parse_line('1.2.3.4 - - [20/Nov/2024:10:00:00 +0000] "GET /admin/x HTTP/1.1" 404 1 "-" "-"')
    health = parse_line('1.2.3.4 - - [20/Nov/2024:10:00:00 +0000] "GET /admin/health HTTP/1.1" 200 1 "-" "-"')
    assert rules.match(probe) == ("probe",)
    assert rules.match(health) == ()
    with pytest.raises(ValueError, match=r"does not compile"):
        Rule(id="bad", category="attack", description="d", field="path", pattern="(unclosed")


def test_burst_needs_many_events_from_one_client_in_a_short_time():
    fast = Cluster(template="t", signal="", count=60, first_seen="2024/11/20 10:00:00", last_seen="2024/11/20 10:00:30")
    fast.clients["203.0.113.1"] = 60
    slow = Cluster(template="t", signal="", count=60, first_seen="2024/11/20 10:00:00", last_seen="2024/11/20 20:00:00")
    slow.clients["203.0.113.1"] = 60
    assert burst_client(fast, min_events=50, window_seconds=60) == "203.0.113.1"
    assert burst_client(slow, min_events=50, window_seconds=60) is None


def test_unparsed_lines_are_counted_and_sampled_never_dropped():
    grouping = group_lines(MIXED.read_text(errors="replace").splitlines(), default_rules())
    assert grouping.lines == 47
    assert grouping.unparsed == 2
    assert grouping.unparsed_samples[0] == "this is not an nginx line at all"
    assert sum(c.count for c in grouping.clusters.values()) == 45


def test_grouping_in_parallel_slices_equals_one_pass(monkeypatch):
    from agents.sentinel import grouping as module

    lines = MIXED.read_text(errors="replace").splitlines() * 40
    monkeypatch.setattr(module, "PARALLEL_MIN_LINES", 0)
    one = group_lines(lines, default_rules())
    split = module.group_lines_parallel(lines, default_rules(), workers=3)

    def view(result):
        return {k: (c.count, c.first_seen, c.last_seen, dict(c.clients), dict(c.signals), c.samples)
                for k, c in result.clusters.items()}

    assert view(split) == view(one)
    assert (split.lines, split.unparsed, split.unparsed_samples) == (one.lines, one.unparsed, one.unparsed_samples)
