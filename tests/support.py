"""Constants the tests share: the set-up station's officers and a filled kinship form."""

from __future__ import annotations

CLERK, SUPERVISOR, ADMIN = "100001", "200001", "300001"
PASSWORD = "counter-pass-1"
KINSHIP = {
    "applicant_name": "王𪚥",
    "applicant_id": "11010519491231002X",
    "relative_name": "王小明",
    "relative_id": "110105491231002",
    "relation": "父子",
    "usage": "银行开户",
}
