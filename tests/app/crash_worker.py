"""Issues kinship certificates until ``target`` exist; the crash test SIGKILLs it at random."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import func, select
from support import CLERK, KINSHIP, as_officer

from app.context import Context
from app.policy.decision import Request
from app.records.db.models import Certificate
from app.services.counter import issue


def main(data_dir: str, target: int) -> int:
    ctx = Context(Path(data_dir))
    request = Request("亲属关系证明", "bank", "in_province")
    as_officer(ctx, CLERK)  # (signing in opens the station's data)
    while True:
        with ctx.db.reading() as session:
            done = int(session.scalar(select(func.count()).select_from(Certificate)) or 0)
        if done >= target:
            return 0
        issue(ctx, request=request, officer=as_officer(ctx, CLERK), values=KINSHIP)
        print(done + 1, flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
