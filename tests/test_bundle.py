"""The PyInstaller one-folder bundle (build.spec): built here, then started as a station would
start it — the counter window offscreen (--selftest), a new station set up (the migrations run
from the bundle), a certificate issued and printed with its fonts embedded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import ADMIN, CLERK, KINSHIP, PASSWORD, field_args

ROOT = Path(__file__).resolve().parents[1]
MAX_BUNDLE_MB = 320  # README states the size; 72 MB of it are the CJK fonts


SERVER_STACK = ("fastapi", "starlette", "uvicorn", "uvloop", "psycopg", "pydantic_settings")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundle")
    pyinstaller = str(Path(sys.executable).parent / "pyinstaller")
    places = ["--distpath", str(out / "dist"), "--workpath", str(out / "work")]
    subprocess.run(
        [pyinstaller, "--noconfirm", "--log-level", "ERROR", *places, "build.spec"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=900,
    )
    return out / "dist" / "certdesk"


def start(
    bundle: Path, data: Path, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "CERTDESK_DATA_DIR": str(data),
        "CERTDESK_CACHE_DIR": str(data / "cache"),
    }
    return subprocess.run(
        [str(bundle / "certdesk"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        input=stdin,
    )


@pytest.mark.slow
def test_bundle_starts_sets_up_and_prints(bundle: Path, station_dir: Path, tmp_path: Path) -> None:
    files = [f for f in bundle.rglob("*") if f.is_file() and not f.is_symlink()]
    size_mb = sum(f.stat().st_size for f in files) / 2**20
    assert size_mb < MAX_BUNDLE_MB, size_mb
    names = {f.name for f in bundle.rglob("*")}
    assert not any("WebEngine" in n or "Qt6Qml" in n or "Qt6Quick" in n for n in names)
    assert "certdesk_en.qm" in names and "qtbase_zh_CN.qm" in names and "uming.ttc" in names
    # the modules PyInstaller put in (its analysis, beside the bundle): none of the server's stack
    [toc] = (bundle.parents[1] / "work").rglob("Analysis-00.toc")
    modules = {
        entry.split("'")[1].split(".")[0]
        for entry in toc.read_text().split("(")[1:]
        if "'" in entry
    }
    assert "app" in modules and not modules & {*SERVER_STACK, "server"}, modules & {
        *SERVER_STACK,
        "server",
    }

    assert start(bundle, station_dir, "gui", "--selftest").returncode == 0
    new = tmp_path / "new-station"
    made = start(
        bundle,
        new,
        "init",
        "--station-code",
        "220102002",
        "--station-name",
        "长春市南关区测试派出所",
        "--workstation",
        "01",
        "--admin-code",
        ADMIN,
        "--admin-name",
        "赵管理",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert made.returncode == 0, made.stderr
    assert start(bundle, new, "gui", "--selftest").returncode == 0

    pdf = tmp_path / "kinship.pdf"
    signed_in = start(
        bundle, station_dir, "login", "--officer", CLERK, "--password-stdin", stdin=PASSWORD
    )
    assert signed_in.returncode == 0, signed_in.stderr
    issued = start(
        bundle,
        station_dir,
        "issue",
        "--kind",
        "qsgx",
        "--requester",
        "bank",
        "--purpose",
        "in_province",
        "--officer",
        CLERK,
        "--output",
        str(pdf),
        *field_args(KINSHIP),
    )
    assert issued.returncode == 0, issued.stderr
    # the bundle opened an encrypted station: its database is no SQLite file in the clear
    assert (station_dir / "certdesk.keys").exists() and "sqlcipher3" in modules
    assert not (station_dir / "certdesk.db").read_bytes().startswith(b"SQLite format 3")
    assert not (new / "certdesk.db").read_bytes().startswith(b"SQLite format 3")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    embedded = [line for line in fonts.stdout.splitlines()[2:] if line.strip()]
    assert embedded and all(" yes " in line for line in embedded), fonts.stdout


def needed(library: Path) -> list[str]:
    """The shared libraries ``library`` names as NEEDED (readelf)."""
    dynamic = subprocess.run(
        ["readelf", "-d", str(library)], capture_output=True, text=True, check=True
    ).stdout
    return [
        line.split("[", 1)[1].rstrip("]") for line in dynamic.splitlines() if "(NEEDED)" in line
    ]


def package_of(soname: str) -> str:
    """The Debian package that provides ``soname`` on this machine."""
    found = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    paths = [
        line.split(" => ")[1]
        for line in found.splitlines()
        if line.strip().startswith(soname + " ")
    ]
    assert paths, f"{soname} is not on this machine"
    path = str(Path(paths[0]).resolve())
    for candidate in (path, path.removeprefix("/usr")):  # (dpkg knows /lib/… on a merged /usr)
        owner = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True).stdout
        if owner:
            break
    assert owner, f"no package owns {path}"
    return owner.split(":")[0]


@pytest.mark.slow
def test_deb_package_declares_installs_and_starts_on_xcb(
    bundle: Path, station_dir: Path, tmp_path: Path
) -> None:
    """make deb's package: its control data, its files, every X library Qt's xcb platform loads
    from the system declared, and the unpacked launcher starting the window on a real X server."""
    from xvfb import xvfb

    import app

    deb = tmp_path / "certdesk.deb"
    subprocess.run(
        [
            "sh",
            str(ROOT / "resources" / "debian" / "build-deb.sh"),
            str(bundle),
            str(deb),
            app.__version__,
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    info = subprocess.run(
        ["dpkg-deb", "--info", str(deb)], capture_output=True, text=True, check=True
    ).stdout
    fields = dict(
        line.strip().split(": ", 1)
        for line in info.splitlines()
        if line.startswith(" ") and ": " in line
    )
    assert fields["Package"] == "certdesk" and fields["Version"] == app.__version__
    assert (
        fields["Architecture"]
        == subprocess.run(
            ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    declared = {
        name.strip().split(" ")[0]
        for part in fields["Depends"].split(",")
        for name in part.split("|")
    }
    for group in fields["Depends"].split(","):  # each group names a package apt knows here
        names = [name.strip().split(" ")[0] for name in group.split("|")]
        known = [
            n
            for n in names
            if subprocess.run(["apt-cache", "show", n], capture_output=True).returncode == 0
        ]
        assert known, f"no package of “{group.strip()}” is known to apt"
    # every library the xcb platform and the Qt libraries name, that the bundle does not carry,
    # comes from a declared package
    internal = bundle / "_internal"
    carried = {f.name for f in internal.rglob("*.so*")}
    qt = [internal / "PySide6" / "Qt" / "plugins" / "platforms" / "libqxcb.so"] + [
        internal / f"libQt6{name}.so.6"
        for name in ("Core", "Gui", "Widgets", "XcbQpa", "PrintSupport", "DBus")
    ]
    system = {soname for library in qt for soname in needed(library)} - carried
    system |= {"libxcb-cursor.so.0"}  # loaded by the xcb plugin at run time (dlopen), not NEEDED
    assert system, "the Qt libraries name no system library: readelf found nothing"
    undeclared = {
        soname: package
        for soname in system
        if (package := package_of(soname)) not in declared
        and package.replace("t64", "") not in declared
    }
    assert not undeclared, undeclared

    contents = subprocess.run(
        ["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True, check=True
    ).stdout
    for path in (
        "./opt/certdesk/certdesk",
        "./usr/bin/certdesk",
        "./usr/share/applications/certdesk.desktop",
        "./usr/share/icons/hicolor/scalable/apps/certdesk.svg",
        "./usr/share/doc/certdesk/copyright",
    ):
        assert f" {path}\n" in contents + "\n" or f" {path} " in contents, path
    assert "root/root" in contents  # owned by root once installed, not by whoever built it

    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    desktop = (root / "usr/share/applications/certdesk.desktop").read_text(encoding="utf-8")
    assert "Exec=certdesk gui" in desktop and "Icon=certdesk" in desktop
    assert "Name[zh_CN]=派出所证明工作台" in desktop
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    with xvfb() as display:
        started = subprocess.run(
            [
                str(root / "usr" / "bin" / "certdesk"),
                "--data-dir",
                str(station_dir),
                "gui",
                "--selftest",
            ],
            env={**env, "QT_QPA_PLATFORM": "xcb", "DISPLAY": display},
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert started.returncode == 0, started.stderr
    assert "Could not load the Qt platform plugin" not in started.stderr
