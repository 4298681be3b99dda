"""Tests (bundle): dist/mesodesk, built by `make dist`, runs in a bare environment, no Python."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest
from pypdf import PdfReader

from mesodesk import __version__
from tests.mesodesk_app.test_cli_french import english_fragments

pytestmark = pytest.mark.dist

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "dist" / "mesodesk"
PROGRAM = FOLDER / "mesodesk"
PASSPHRASE = "cheval correct pile agrafe"
LOG_IN = {"MESODESK_USER": "demo", "MESODESK_PASSWORD": PASSPHRASE}
BUDGET_MB = 250


@pytest.fixture(scope="module")
def bundle() -> Path:
    """`make dist` (nothing to do when the bundle is newer than the sources)."""
    done = subprocess.run(
        ["make", "-C", str(ROOT), "dist"], capture_output=True, text=True, timeout=3000
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return PROGRAM


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home")


def bare(
    home: Path, *args: str, env: dict[str, str] | None = None, wrapper: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """The bundle as a fresh session starts it: `env -i HOME=… PATH=/usr/bin:/bin …`."""
    settings = [f"HOME={home}", "PATH=/usr/bin:/bin"] + [f"{k}={v}" for k, v in (env or {}).items()]
    return subprocess.run(
        ["env", "-i", *settings, *wrapper, str(PROGRAM), *args],
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def test_version_and_help_in_french(bundle: Path, home: Path) -> None:
    version = bare(home, "--version")
    assert version.returncode == 0 and version.stdout.strip() == f"mesodesk {__version__}"
    helped = bare(home, "--help")
    assert helped.stdout.startswith("utilisation : mesodesk")
    assert not [f for f in english_fragments() if f in helped.stdout]
    wrong = bare(home, "patients", "show", "abc")
    assert wrong.returncode == 2 and "nombre entier attendu" in wrong.stderr


def test_demo_then_check_then_a_pdf_with_its_fonts(bundle: Path, home: Path) -> None:
    secret = {"MESODESK_PASSPHRASE": PASSPHRASE, **LOG_IN}
    demo = bare(home, "demo", "--patients", "30", "--days", "3", env=secret)
    assert demo.returncode == 0, demo.stderr
    assert str(home / ".local" / "share" / "mesodesk" / "mesodesk.sqlite") in demo.stdout
    check = bare(home, "check", env=secret)
    assert check.returncode == 0, check.stderr
    assert "chiffrement vérifié" in check.stdout and "intacte" in check.stdout
    pdf = home / "registre.pdf"
    printed = bare(home, "day", "pdf", "-o", str(pdf), env=secret)
    assert printed.returncode == 0, printed.stderr
    page = PdfReader(pdf).pages[0]
    assert "Registre des séances" in page.extract_text()
    fonts = {str(font.get_object()["/BaseFont"]) for font in page["/Resources"]["/Font"].values()}
    assert any("DejaVu" in name for name in fonts), fonts


def test_the_server_link_is_in_the_bundle(bundle: Path, home: Path) -> None:
    """psycopg and its libpq are packed: a server address is tried, and refused in French."""
    gone = bare(home, "--db", "postgresql://cabinet@127.0.0.1:1/mesodesk", "patients", "search")
    assert gone.returncode == 1
    assert "aucun serveur n'écoute" in gone.stderr, gone.stderr
    plain = bare(home, "--db", "postgresql://cabinet@10.9.8.7/mesodesk?sslmode=disable", "check")
    assert plain.returncode == 1 and "non chiffrée refusée" in plain.stderr, plain.stderr


def _window(home: Path, wrapper: tuple[str, ...], env: dict[str, str]) -> str:
    shot = home / f"window-{len(wrapper)}.png"
    done = bare(
        home,
        "selftest",
        "--screenshot",
        str(shot),
        env={"MESODESK_PASSPHRASE": PASSPHRASE, **LOG_IN, **env},
        wrapper=wrapper,
    )
    assert done.returncode == 0, done.stderr
    assert "Traductions de Qt : françaises." in done.stdout
    assert "Icône : présente." in done.stdout
    assert "Detected locale" not in done.stderr and "Traceback" not in done.stderr
    assert shot.stat().st_size > 10_000  # a real picture of the window, not an empty grab
    return done.stdout


def test_the_window_opens_offscreen(bundle: Path, home: Path) -> None:
    bare(home, "demo", "--patients", "10", "--days", "1", env={"MESODESK_PASSPHRASE": PASSPHRASE, **LOG_IN})
    out = _window(home, (), {"QT_QPA_PLATFORM": "offscreen"})
    assert "plateforme offscreen" in out


def test_the_window_opens_on_a_virtual_screen(bundle: Path, home: Path) -> None:
    """Under Xvfb, through Qt's xcb plugin and the system's X libraries (scripts/system-libs.sh
    --xvfb installs them; make dist-test runs it)."""
    bare(home, "demo", "--patients", "10", "--days", "1", env={"MESODESK_PASSPHRASE": PASSPHRASE, **LOG_IN})
    out = _window(home, ("xvfb-run", "-a", "-s", "-screen 0 1366x768x24"), {})
    assert "plateforme xcb" in out


def test_size_budget_and_contents(bundle: Path) -> None:
    size = sum(f.stat().st_size for f in FOLDER.rglob("*") if f.is_file() and not f.is_symlink())
    print(f"bundle: {size / 2**20:.0f} MiB unpacked")
    assert size <= BUDGET_MB * 2**20
    inside = FOLDER / "_internal"
    assert (inside / "mesodesk_app" / "locale" / "fr" / "LC_MESSAGES" / "argparse.mo").is_file()
    assert (inside / "reports" / "fonts" / "DejaVuSans.ttf").is_file()
    assert (inside / "licences" / "LGPL-3.0.txt").is_file()
    assert (inside / "ui" / "docs" / "guide.md").is_file()
    assert list(inside.glob("sqlcipher3/_sqlite3*.so"))  # SQLCipher is statically inside
    # The system keyring (server password): its backends are found through its metadata.
    assert list(inside.glob("keyring-*.dist-info")) and list(inside.glob("jeepney-*.dist-info"))
    translations = {p.name for p in inside.rglob("*.qm")}
    assert "qtbase_fr.qm" in translations and "qtbase_de.qm" not in translations
    assert (FOLDER / "mesodesk.desktop").is_file() and (FOLDER / "installer.sh").is_file()
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for package, patterns in config["tool"]["setuptools"]["package-data"].items():
        folder = ROOT.joinpath(*package.split("."))
        for pattern in patterns:
            for path in folder.glob(pattern):
                assert (inside / path.relative_to(ROOT)).is_file(), path
    assert list((ROOT / "dist").glob(f"mesodesk-{__version__}-linux-*.tar.gz"))
