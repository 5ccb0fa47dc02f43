"""`loadgui import` as a user runs it: what it writes, what it says, and what it refuses."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from loadgui.profile import Profile

TOKEN = "s3cr3t-t0ken-1234"
CURL = f"curl https://api.example.com/v1/items -H 'Authorization: Bearer {TOKEN}' -b 'sid=42'"


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def usual_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def test_curl_to_a_file_keeps_the_key_out_and_says_so(loadgui_import, tmp_path: Path) -> None:
    out = tmp_path / "p.json"
    code, stdout, stderr = loadgui_import("curl", CURL, "-o", str(out))
    assert (code, stdout) == (0, "")
    assert stderr.splitlines() == [
        f"loadgui: imported 1 request into {out}",
        "loadgui: API key: the bearer token in Authorization (Bearer ••••1234), in GET "
        "/v1/items became the profile's API key, not written: give it when running "
        "(loadgui run -k) or import with --store-keys",
        "loadgui: left out: the cookies in Cookie (sid=••••), in GET /v1/items "
        "(--keep-cookies keeps it)",
    ]
    profile = Profile.read(out)
    assert (profile.url(), profile.keys.keys, profile.target.headers) == (
        "https://api.example.com/v1/items", [], {})
    assert TOKEN not in out.read_text(encoding="utf-8")
    assert mode_of(out) == usual_mode()


def test_store_keys_writes_them_with_mode_0600_and_one_warning(loadgui_import,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "p.json"
    code, _, stderr = loadgui_import("curl", CURL, "-o", str(out), "--store-keys")
    assert code == 0
    assert Profile.read(out).keys.keys == [TOKEN]
    assert mode_of(out) == 0o600
    warnings = [line for line in stderr.splitlines() if line.startswith("loadgui: warning:")]
    assert warnings == [f"loadgui: warning: {out} holds 1 API key in clear (written with mode "
                        f"0600): keep it out of version control"]


def test_kept_cookies_make_the_file_private_too(loadgui_import, tmp_path: Path) -> None:
    out = tmp_path / "p.json"
    assert loadgui_import("curl", CURL, "-o", str(out), "--keep-cookies")[0] == 0
    assert Profile.read(out).target.headers == {"Cookie": "sid=42"}
    assert mode_of(out) == 0o600


def test_without_output_the_profile_is_printed(loadgui_import) -> None:
    code, stdout, stderr = loadgui_import("curl", "curl -X DELETE http://127.0.0.1:8000/items/3")
    assert code == 0
    profile = Profile.from_dict(json.loads(stdout))
    assert (profile.target.method, profile.url()) == ("DELETE",
                                                      "http://127.0.0.1:8000/items/3")
    assert stderr == "loadgui: imported 1 request\n"


def test_a_command_on_standard_input(tmp_path: Path) -> None:
    out = tmp_path / "p.json"
    runner = ("import sys\n"
              "from loadgui.commands.common import OneLineParser\n"
              "from loadgui.commands.import_cmd import add_import_arguments, run_import\n"
              "parser = OneLineParser(prog='loadgui')\n"
              "commands = parser.add_subparsers(dest='command', parser_class=OneLineParser)\n"
              "add_import_arguments(commands.add_parser('import'))\n"
              "sys.exit(run_import(parser.parse_args(sys.argv[1:])))\n")
    finished = subprocess.run(
        [sys.executable, "-c", runner, "import", "curl", "-", "-o", str(out)],
        input="curl 'http://127.0.0.1:8000/echo' \\\n  --data-raw 'x=1'\n", text=True,
        capture_output=True, timeout=60, cwd=Path(__file__).parents[2])
    assert finished.returncode == 0, finished.stderr
    assert Profile.read(out).target.body == "x=1"


def test_har_options(loadgui_import, data: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.json"
    code, _, stderr = loadgui_import(
        "har", str(data / "spec_example.har"), "-o", str(out), "--include-static",
        "--keep-auth", "--weight", "POST /login=0.25", "--base-url", "http://127.0.0.1:8000")
    assert code == 0, stderr
    profile = Profile.read(out)
    assert len(profile.requests) == 9
    assert profile.requests[-1].weight == 0.25
    assert profile.base_urls() == ["http://127.0.0.1:8000"]
    assert (profile.keys.header, profile.keys.scheme, profile.keys.keys) == (
        "Authorization", "Bearer", [])
    assert stderr.splitlines()[0] == f"loadgui: imported 9 requests into {out}"


def test_openapi_operations_are_picked(loadgui_import, data: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.json"
    code, _, stderr = loadgui_import("openapi", str(data / "bookshop.yaml"), "-o", str(out),
                                     "--operation", "getBook", "--operation", "deleteBook")
    assert code == 0, stderr
    assert [r.name for r in Profile.read(out).requests] == ["GET /books/{bookId}",
                                                            "DELETE /books/{bookId}"]
    assert stderr.splitlines()[0] == f"loadgui: imported 2 requests (7 left out) into {out}"


def test_postman_variables(loadgui_import, data: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.json"
    code, _, stderr = loadgui_import("postman", str(data / "shop_collection_v21.json"), "-o",
                                     str(out), "--var", "baseUrl=http://127.0.0.1:8000/api")
    assert code == 0, stderr
    assert Profile.read(out).base_urls() == ["http://127.0.0.1:8000"]


@pytest.mark.parametrize(("args", "message"), [
    (["curl", "curl -F a=@b http://x.example/"],
     "unsupported cURL flag -F: loadgui does not import multipart form uploads"),
    (["curl", "http GET http://x.example/"], "not a cURL command: it starts with 'http', not "
                                             "curl"),
    (["har", "{data}/truncated.har"], "the HAR file is cut short: it ends before its JSON does"),
    (["har", "{data}/missing.har"], "cannot read the HAR file {data}/missing.har: no such "
                                    "file"),
    (["openapi", "{data}/ref_cycle.yaml"],
     "the document's $ref chain loops: #/components/schemas/Node → #/components/schemas/Link "
     "→ #/components/schemas/Node"),
    (["openapi", "{data}/bookshop.yaml", "--operation", "nope"],
     "the document has no operation 'nope' (name one by its operationId or as 'METHOD "
     "/path')"),
    (["postman", "{data}/shop_collection_v1.json"],
     "Postman collection v1 is not supported: export it again from Postman as Collection "
     "v2.1"),
    (["har", "{data}/spec_example.har", "--weight", "POST /login"],
     "--weight 'POST /login' must look like NAME=NUMBER"),
    (["har", "{data}/spec_example.har", "--weight", "GET /nope=2"],
     "no imported request is named 'GET /nope' (for its weight)"),
    (["postman", "{data}/shop_collection_v21.json", "--var", "baseUrl"],
     "--var 'baseUrl' must look like NAME=VALUE"),
])
def test_bad_input_is_one_line_exit_2_and_no_file(loadgui_import, data: Path, tmp_path: Path,
                                                  args: list[str], message: str) -> None:
    (tmp_path / "truncated.har").write_bytes((data / "spec_example.har").read_bytes()[:5000])
    for name in ("ref_cycle.yaml", "bookshop.yaml", "shop_collection_v1.json",
                 "shop_collection_v21.json", "spec_example.har"):
        (tmp_path / name).write_bytes((data / name).read_bytes())
    out = tmp_path / "out" / "p.json"
    out.parent.mkdir()
    filled = [arg.replace("{data}", str(tmp_path)) for arg in args]
    code, stdout, stderr = loadgui_import(*filled, "-o", str(out))
    assert (code, stdout) == (2, "")
    assert stderr == f"loadgui: error: {message.replace('{data}', str(tmp_path))}\n"
    assert list(out.parent.iterdir()) == []


def test_bad_input_leaves_an_existing_profile_alone(loadgui_import, tmp_path: Path) -> None:
    out = tmp_path / "p.json"
    out.write_text("{}\n", encoding="utf-8")
    assert loadgui_import("curl", "curl --proxy x http://x.example/", "-o", str(out))[0] == 2
    assert out.read_text(encoding="utf-8") == "{}\n"


def test_a_file_that_cannot_be_written_fails_with_exit_1(loadgui_import, tmp_path: Path) -> None:
    out = tmp_path / "no such folder" / "p.json"
    code, _, stderr = loadgui_import("curl", "curl http://x.example/", "-o", str(out))
    assert code == 1
    assert stderr.splitlines()[-1] == (f"loadgui: error: cannot write {out}: No such file or "
                                       f"directory")


def test_usage_errors_are_one_line(loadgui_import) -> None:
    code, _, stderr = loadgui_import("yaml", "x")
    assert code == 2
    assert stderr == ("loadgui import: error: argument FORMAT: invalid choice: 'yaml' (choose "
                      "from 'curl', 'har', 'openapi', 'postman') (see loadgui import --help)\n")
