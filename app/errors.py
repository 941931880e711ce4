"""Domain errors: each carries a machine code, the field it concerns and a message for people."""

from __future__ import annotations


class CertdeskError(Exception):
    """Base of every error certdesk explains to a user. ``message`` is Chinese, ready to print."""

    code = "error"
    exit_code = 2

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(CertdeskError):
    """Bad input from a person (a command-line argument, a form field)."""

    code = "invalid_input"


class BackupKeyNeeded(InvalidInput):
    """A backup under another data key: it opens with an officer's password as the backup knows
    it, or with the backup's recovery key."""

    code = "backup_key_needed"

    def __init__(self) -> None:
        super().__init__(
            "备份文件用另一把数据密钥加密(另一台电脑或重新设置的工作站)：请给出备份中本人的密码"
            "或该备份的恢复密钥",
            field="password",
        )


class CatalogError(CertdeskError):
    """A catalog file that is not valid. Names the file, the line and the reason."""

    code = "invalid_catalog"

    def __init__(self, file: str, problems: list[tuple[int | None, str]]) -> None:
        self.file = file
        self.problems = problems
        first_line, first_reason = problems[0]
        self.line = first_line
        self.reason = first_reason
        lines = [
            f"{file}:{line if line is not None else '?'}: {reason}" for line, reason in problems
        ]
        super().__init__("目录文件无效：\n" + "\n".join(lines))


class Refused(CertdeskError):
    """The request is valid but may not be done (not an issue outcome, not allowed …)."""

    code = "refused"
    exit_code = 3


class NotInitialised(CertdeskError):
    """No station is set up in this data dir yet."""

    code = "not_initialised"

    def __init__(self) -> None:
        super().__init__("本工作站尚未设置派出所信息", field="station")


class ApprovalRequired(CertdeskError):
    """The act needs a supervisor's approval (特事特办, a void, a refusal after investigation, a
    reprint), and none was given."""

    code = "approval_required"

    def __init__(self, message: str = "特事特办须经所领导审批：请给出审批的所领导警号") -> None:
        super().__init__(message, field="approved_by")


class NotSignedIn(CertdeskError):
    """No valid session: none, ended, idle too long or too old. Nothing was done."""

    code = "not_signed_in"
    exit_code = 5


class NotPermitted(CertdeskError):
    """The signed-in officer's role does not allow this (least privilege, separated duties)."""

    code = "not_permitted"
    exit_code = 5


class ApprovalRefused(CertdeskError):
    """The approver named cannot approve: wrong password, wrong role, disabled, locked, or the
    acting officer themself."""

    code = "approval_refused"
    exit_code = 5

    def __init__(self, message: str) -> None:
        super().__init__(message, field="approved_by")


class PasswordChangeRequired(CertdeskError):
    """An administrator set this password: the officer must choose their own first."""

    code = "password_change_required"
    exit_code = 5


class ClockBehind(CertdeskError):
    """The PC's clock is behind what is already recorded: it was set back, so nothing is dated by
    it until it is put right."""

    code = "clock_behind"
