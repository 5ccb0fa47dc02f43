"""JUnit XML of a run, for CI: one test case for the run itself, one per threshold and one
per check, in the shape Jenkins, GitLab and GitHub display (testsuites > testsuite >
testcase, a <failure> in each failed one)."""

from __future__ import annotations

import re
import socket
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

from loadgui.engine.stats.report import Report

# Characters XML 1.0 cannot hold at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def junit_xml(report: Report, *, name: str) -> bytes:
    """The report as a JUnit document (UTF-8, with its XML declaration)."""
    started = datetime.now(UTC) - timedelta(seconds=max(report.elapsed, 0.0))
    suite = ET.Element("testsuite", name=_text(f"loadgui run {name}"),
                       timestamp=started.isoformat(timespec="seconds"),
                       hostname=_text(socket.gethostname()), time=_seconds(report.elapsed))
    properties = ET.SubElement(suite, "properties")
    for key, value in (("target", report.target), ("mode", report.mode),
                       ("state", report.state), ("requests", str(report.requests)),
                       ("error_rate", f"{report.error_rate:.6f}"),
                       ("rps", f"{report.rps:.2f}")):
        ET.SubElement(properties, "property", name=key, value=_text(value))
    _case(suite, "loadgui.run", "the run completes", report.elapsed,
          None if report.state == "completed"
          else f"the run {report.state}: {report.reason or 'no reason given'}")
    for result in report.thresholds:
        _case(suite, "loadgui.thresholds", result.expression, 0.0,
              None if result.passed else result.detail, detail=result.detail)
    for check in report.checks:
        total = check.passes + check.fails
        detail = f"{check.passes:,} of {total:,} responses passed"
        _case(suite, f"loadgui.checks.{check.request}", check.name, 0.0,
              f"{check.fails:,} of {total:,} responses failed the check" if check.fails
              else None, detail=detail)
    cases = suite.findall("testcase")
    failures = sum(case.find("failure") is not None for case in cases)
    for key, count in (("tests", len(cases)), ("failures", failures), ("errors", 0),
                       ("skipped", 0)):
        suite.set(key, str(count))
    root = ET.Element("testsuites", name="loadgui", tests=str(len(cases)),
                      failures=str(failures), errors="0", time=_seconds(report.elapsed))
    root.append(suite)
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def write_junit(report: Report, path: str | Path, *, name: str) -> Path:
    """Write the document to `path`; OSError when it cannot be."""
    target = Path(path)
    target.write_bytes(junit_xml(report, name=name))
    return target


def _case(suite: ET.Element, classname: str, name: str, seconds: float,
          failure: str | None, detail: str | None = None) -> None:
    case = ET.SubElement(suite, "testcase", classname=_text(classname), name=_text(name),
                         time=_seconds(seconds))
    if failure is not None:
        element = ET.SubElement(case, "failure", message=_text(failure), type="AssertionError")
        element.text = _text(failure)
    elif detail is not None:
        ET.SubElement(case, "system-out").text = _text(detail)


def _seconds(value: float) -> str:
    return f"{max(value, 0.0):.3f}"


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)
