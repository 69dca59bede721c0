"""A local double of the GitLab v4 endpoints the Code Reviewer uses: merge request, changes,
versions, discussions (positioned on diff lines) and notes."""

from __future__ import annotations

import re
from typing import Any

from tests.doubles.http import JsonHandler

TOKEN = "glpat-test-token"
PROJECT, IID = 7, 12
REFS = {"base_sha": "a" * 40, "start_sha": "a" * 40, "head_sha": "b" * 40}
_MR = re.compile(rf"^/api/v4/projects/{PROJECT}/merge_requests/{IID}(/[a-z_]+)?(?:/(\d+))?$")


def added_lines(diff: str) -> set[int]:
    """New-file numbers of the '+' lines of one file's diff body."""
    numbers: set[int] = set()
    line = 0
    for text in diff.splitlines():
        if text.startswith("@@"):
            line = int(re.match(r"@@ -\d+(?:,\d+)? \+(\d+)", text).group(1))  # type: ignore[union-attr]
        elif text.startswith("+"):
            numbers.add(line)
            line += 1
        elif not text.startswith("-"):
            line += 1
    return numbers


class GitlabHandler(JsonHandler):
    """``server.state``: ``changes`` (GitLab change dicts), ``discussions``, ``notes``, ``status`` (forced)."""

    def route(self, method: str, path: str, body: Any) -> None:
        state = self.server.state
        if self.headers.get("PRIVATE-TOKEN") != TOKEN:
            self.send_json(401, {"message": "401 Unauthorized"})
            return
        match = _MR.match(path.split("?")[0])
        if match is None or state.get("status") == 404:
            self.send_json(404, {"message": "404 Not found"})
            return
        tail, number = match.group(1) or "", match.group(2)
        mr = {"id": 99, "iid": IID, "project_id": PROJECT, "title": "Add app service", "sha": REFS["head_sha"],
              "web_url": f"https://git.example.org/infra/-/merge_requests/{IID}", "diff_refs": REFS}
        if method == "GET" and tail == "":
            self.send_json(200, mr)
        elif method == "GET" and tail == "/changes":
            self.send_json(200, {**mr, "changes": state["changes"]})
        elif method == "GET" and tail == "/versions":
            self.send_json(200, [{"id": 1, "head_commit_sha": REFS["head_sha"], **REFS}])
        elif method == "GET" and tail == "/discussions":
            self.send_json(200, state["discussions"])
        elif method == "POST" and tail == "/discussions":
            self.create_discussion(body)
        elif method == "GET" and tail == "/notes":
            self.send_json(200, state["notes"])
        elif method == "POST" and tail == "/notes":
            note = {"id": 500 + len(state["notes"]), "body": body["body"], "system": False}
            state["notes"].append(note)
            self.send_json(201, note)
        elif method == "PUT" and tail == "/notes" and number:
            note = next((n for n in state["notes"] if n["id"] == int(number)), None)
            if note is None:
                self.send_json(404, {"message": "404 Note Not Found"})
                return
            note["body"] = body["body"]
            state["updates"] = state.get("updates", 0) + 1
            self.send_json(200, note)
        else:
            self.send_json(404, {"message": f"no route {method} {path}"})

    def create_discussion(self, body: dict[str, Any]) -> None:
        state = self.server.state
        position = body.get("position")
        if position is not None:
            if {k: position.get(k) for k in REFS} != REFS or position.get("position_type") != "text":
                self.send_json(400, {"message": "400 Bad request - position is invalid"})
                return
            change = next((c for c in state["changes"] if c["new_path"] == position.get("new_path")), None)
            if change is None or position.get("new_line") not in added_lines(change["diff"]):
                self.send_json(400, {"message": "400 Bad request - line_code can't be blank"})
                return
        note = {"id": 1000 + len(state["discussions"]), "body": body["body"], "position": position}
        discussion = {"id": f"d{len(state['discussions'])}", "notes": [note]}
        state["discussions"].append(discussion)
        self.send_json(201, discussion)
