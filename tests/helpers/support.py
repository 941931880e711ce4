"""Constants the tests share: the set-up station's officers and a filled kinship form."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

CERTDESK = Path(sys.executable).parent / "certdesk"

CLERK, SUPERVISOR, ADMIN = "100001", "200001", "300001"
PASSWORD = "counter-pass-1"
UNNATURAL = {  # 非正常死亡证明: a kind that needs investigation
    "applicant_name": "王一",
    "applicant_id": "11010519491231002X",
    "deceased_name": "王二",
    "death_date": "2026-10-01",
    "death_place": "南关区",
    "cause": "溺水",
    "usage": "保险理赔",
}
KINSHIP = {
    "applicant_name": "王𪚥",
    "applicant_id": "11010519491231002X",
    "relative_name": "王小明",
    "relative_id": "110105491231002",
    "relation": "父子",
    "usage": "银行开户",
}


def run(data: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The certdesk command in a subprocess, on the data dir ``data``."""
    env = {**os.environ, "CERTDESK_DATA_DIR": str(data)}
    return subprocess.run(
        [str(CERTDESK), *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=120,
        check=False,
    )


def js(result: subprocess.CompletedProcess[str]) -> Any:
    """The JSON a command printed (failing the test with its stderr when it printed none)."""
    assert result.stdout, result.stderr
    return json.loads(result.stdout)


def ime_commit(widget: Any, text: str) -> None:
    """Type Chinese as an input method delivers it (a committed string, not key presses:
    QTest.keyClicks only knows ASCII and aborts on other characters)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QInputMethodEvent

    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QCoreApplication.sendEvent(widget, event)


def field_args(values: dict[str, str]) -> list[str]:
    """``--field NAME=VALUE`` for every value, as the issue command takes them."""
    return [arg for name, value in values.items() for arg in ("--field", f"{name}={value}")]
