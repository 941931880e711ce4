"""Words for the codes the records carry (outcomes, days left), shared by every window."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.protocol.status import CaseStatus, CertificateStatus


def outcome_name(code: str) -> str:
    names = {
        "abolished": QCoreApplication.translate("Labels", "不予出具"),
        "exchange": QCoreApplication.translate("Labels", "信息交换"),
        "issue": QCoreApplication.translate("Labels", "出具"),
    }
    return names.get(code, code)


def days_left(days: int) -> str:
    """Working days left, or how many overdue."""
    if days < 0:
        return QCoreApplication.translate("Labels", "逾期 {0} 个工作日").format(-days)
    return str(days)


def case_status_name(code: str) -> str:
    names = {
        CaseStatus.DECIDED: QCoreApplication.translate("Labels", "已判断"),
        CaseStatus.NOTICE_PRINTED: QCoreApplication.translate("Labels", "已出具告知书"),
        CaseStatus.ISSUED: QCoreApplication.translate("Labels", "已出具"),
        CaseStatus.PENDING_INVESTIGATION: QCoreApplication.translate("Labels", "调查中"),
        CaseStatus.REFUSED: QCoreApplication.translate("Labels", "不予出具", "case status"),
        CaseStatus.VOIDED: QCoreApplication.translate("Labels", "已作废"),
        CaseStatus.REFERRED: QCoreApplication.translate("Labels", "已告知办理地点"),
    }
    return str(names.get(CaseStatus(code), code)) if code in CaseStatus else code


def role_name(code: str) -> str:
    names = {
        "clerk": QCoreApplication.translate("Labels", "窗口民警"),
        "supervisor": QCoreApplication.translate("Labels", "所领导"),
        "admin": QCoreApplication.translate("Labels", "管理员"),
        "auditor": QCoreApplication.translate("Labels", "审计员"),
    }
    return names.get(code, code)


def certificate_status_name(code: str) -> str:
    if code == CertificateStatus.VOID:
        return QCoreApplication.translate("Labels", "作废")
    return QCoreApplication.translate("Labels", "有效")


def error_text(error: BaseException) -> str:
    """An error as the window words it for its clerk: the services' domain errors carry a code;
    the ones a clerk meets at the counter get the window's own words (in the window's language),
    the rest the service's message, which names the field."""
    words = {
        "approval_required": QCoreApplication.translate(
            "Labels", "须经所领导审批：请所领导在审批窗口中选择本人姓名并输入密码"
        ),
        "not_initialised": QCoreApplication.translate("Labels", "本工作站尚未设置派出所信息"),
        "clock_behind": QCoreApplication.translate(
            "Labels", "本机时钟比已有记录的时间早(时钟可能被调回)：请先校正时钟再办理"
        ),
        "not_enrolled": QCoreApplication.translate("Labels", "本站尚未登记到省级服务器"),
        "backup_key_needed": QCoreApplication.translate(
            "Labels", "该备份用另一把数据密钥加密：请输入本人在备份中的密码，或用恢复密钥恢复"
        ),
        "offline": QCoreApplication.translate(
            "Labels", "省级服务器暂时无法连接：记录已保存在本机，联网后自动上报"
        ),
    }
    code = getattr(error, "code", None)
    return words[code] if code in words else str(getattr(error, "message", error))
