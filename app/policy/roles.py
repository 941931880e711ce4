"""Who may do what at a station: the roles an officer holds and the acts each role may perform.

A clerk (窗口民警) decides, issues and prints; a supervisor (所领导) also approves special cases,
voids certificates and watches the figures; an administrator (管理员) keeps the station and its
officers.
"""

from __future__ import annotations

ROLES = ("clerk", "supervisor", "admin")
ROLE_NAMES = {"clerk": "窗口民警", "supervisor": "所领导", "admin": "管理员"}
APPROVERS = ("supervisor",)  # special cases (特事特办) and voids
SUPERVISION = ("supervisor", "admin")  # statistics and oversight
