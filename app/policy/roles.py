"""Who may do what at a station: the roles an officer holds and the acts each role may perform
(等保 2.0 level 3: least privilege, the administrator, the operator and the auditor apart).

- A clerk (窗口民警) decides, issues, prints and hands over at the counter, and finds the
  certificates issued.
- A supervisor (所领导) does the same, approves with their own password (特事特办, voids, refusals
  after investigation, reprints), and watches the figures and the oversight flags.
- An administrator (管理员) keeps the station: its officers, settings, enrolment with the province,
  backups and catalogs. An administrator does not issue, approve or read citizens' records.
- An auditor (审计员) reads the audit trail and exports it, and changes nothing.

The services check these themselves (``Change.act_as``); the window only hides what a role cannot
use.
"""

from __future__ import annotations

ROLES = ("clerk", "supervisor", "admin", "auditor")
ROLE_NAMES = {"clerk": "窗口民警", "supervisor": "所领导", "admin": "管理员", "auditor": "审计员"}
COUNTER = ("clerk", "supervisor")  # counter work, and the citizens' records it reads
APPROVERS = ("supervisor",)  # 特事特办, voids, refusals after investigation, reprints
SUPERVISION = ("supervisor",)  # statistics and oversight
ADMINISTRATION = ("admin",)  # officers, station settings, enrolment, backup and restore, catalogs
AUDIT = ("auditor", "supervisor")  # the audit trail: verified and exported
SYNC = ("clerk", "supervisor", "admin")  # a round with the province
