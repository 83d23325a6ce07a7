"""deploy/tailscale-acl.hujson: only the app host reaches MariaDB's 3306 on the tailnet.

No live tailnet here: the file is parsed as HuJSON and its rules evaluated with Tailscale's
ACL semantics (deny by default; a rule lets any of its sources reach any of its destinations;
"tag:x:22,80", "tag:x:1-1024", "*" ports). The evaluator refuses forms it does not model
(autogroups, IPs, host aliases, grants), so it can never pass a policy it misreads.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from tests.deploy import hujson

POLICY_FILE = Path(__file__).resolve().parents[2] / "deploy" / "tailscale-acl.hujson"
APP, DB = "tag:climaguru-app", "tag:climaguru-db"
PORTS = (22, 80, 443, 3306, 6379, 8000, 33060)


def _ports(spec: str) -> set[int] | None:
    """None means every port."""
    if spec == "*":
        return None
    found: set[int] = set()
    for part in spec.split(","):
        low, _, high = part.partition("-")
        found.update(range(int(low), int(high or low) + 1))
    return found


def _split(dst: str) -> tuple[str, set[int] | None]:
    host, _, ports = dst.rpartition(":")
    assert host == "*" or host.startswith("tag:"), f"unmodelled destination {dst!r}"
    return host, _ports(ports)


def _identities(policy: dict, src: str) -> set[str]:
    """What a test's (or a device's) source is: itself, and the groups a user belongs to."""
    groups = policy.get("groups", {})
    return {src} | {name for name, members in groups.items() if src in members}


def allowed(policy: dict, src: str, host: str, port: int) -> bool:
    who = _identities(policy, src)
    for rule in policy["acls"]:
        assert rule["action"] == "accept"
        for source in rule["src"]:
            assert source == "*" or source.startswith(("tag:", "group:")) or "@" in source
        if not (who & set(rule["src"]) or "*" in rule["src"]):
            continue
        for dst in rule["dst"]:
            dst_host, ports = _split(dst)
            if dst_host in ("*", host) and (ports is None or port in ports):
                return True
    return False


def violations(policy: dict) -> list[str]:
    """Everything wrong with a policy against the rule deploy/README states."""
    found = []
    if "grants" in policy:
        found.append("grants also open the network; keep the policy in acls")
    for rule in policy["acls"]:
        if "*" in rule["src"] or any(d.startswith("*:") for d in rule["dst"]):
            found.append(f"wildcard rule {rule}")
    users = {m for members in policy.get("groups", {}).values() for m in members}
    principals = set(policy["tagOwners"]) | set(policy.get("groups", {})) | users
    principals.add("stranger@example.net")  # any other login on the tailnet
    reach = {p for p in principals if allowed(policy, p, DB, 3306)}
    if reach != {APP}:
        found.append(f"{DB}:3306 reachable from {sorted(reach)}, expected only {APP}")
    extra = [p for p in PORTS if p != 3306 and allowed(policy, APP, DB, p)]
    if extra:
        found.append(f"{APP} also reaches {DB} on {extra}")
    return found


@pytest.fixture(scope="module")
def policy() -> dict:
    return hujson.loads(POLICY_FILE.read_text())


def test_the_file_is_hujson_with_comments_and_trailing_commas(policy):
    text = POLICY_FILE.read_text()
    assert "//" in text and ",\n\t}" in text  # really HuJSON, not plain JSON
    assert set(policy) <= {"groups", "tagOwners", "acls", "tests", "hosts", "ssh"}


def test_only_the_app_host_reaches_mariadb(policy):
    assert violations(policy) == []
    assert allowed(policy, APP, DB, 3306)


def test_every_tag_has_owners_that_exist(policy):
    owners = policy["tagOwners"]
    assert set(owners) == {APP, DB}
    used = {s for r in policy["acls"] for s in r["src"] if s.startswith("tag:")}
    used |= {d.rpartition(":")[0] for r in policy["acls"] for d in r["dst"]}
    used |= {t["src"] for t in policy["tests"] if t["src"].startswith("tag:")}
    assert used <= set(owners)
    for tag, who in owners.items():
        assert who, f"{tag} has no owner"
        assert all(o in policy["groups"] or "@" in o for o in who)


def test_the_policys_own_tests_pass_and_pin_the_rule(policy):
    tests = policy["tests"]
    for case in tests:
        for dst in case.get("accept", []):
            host, ports = _split(dst)
            assert all(allowed(policy, case["src"], host, p) for p in ports), (case, dst)
        for dst in case.get("deny", []):
            host, ports = _split(dst)
            assert not any(allowed(policy, case["src"], host, p) for p in ports), (case, dst)
    denied = {t["src"] for t in tests if f"{DB}:3306" in t.get("deny", [])}
    assert any(t["src"] == APP and f"{DB}:3306" in t.get("accept", []) for t in tests)
    assert denied == set(policy["groups"]) | {DB}  # every other source is pinned as denied


@pytest.mark.parametrize(
    "rule",
    [
        {"action": "accept", "src": ["*"], "dst": ["*:*"]},
        {"action": "accept", "src": ["group:climaguru-admins"], "dst": [f"{DB}:*"]},
        {"action": "accept", "src": ["stranger@example.net"], "dst": [f"{DB}:3000-4000"]},
        {"action": "accept", "src": [APP], "dst": [f"{DB}:22,3306,6379"]},
    ],
)
def test_a_wider_policy_is_caught(policy, rule):
    wider = copy.deepcopy(policy)
    wider["acls"].append(rule)
    assert violations(wider)


def test_the_reader_keeps_strings_and_refuses_non_json():
    text = '{"a": "http://x/*y*/", /* c */ "b": [1, 2,], // z\n "c": "\\"//",}'
    assert hujson.loads(text) == {"a": "http://x/*y*/", "b": [1, 2], "c": '"//'}
    for bad in ("{'a': 1}", "{a: 1}", '{"a": 1 /* open'):
        with pytest.raises(ValueError):
            hujson.loads(bad)
