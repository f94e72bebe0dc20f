"""llama.cpp is built for a baseline x86-64 CPU, whatever CPU compiled it.

A `GGML_NATIVE=ON` build carries the building CPU's instructions (AVX-512, AMX tiles) and crashes
on other CPUs, or, with its AMX kernels, on the very CPU that built it. Set-up must pass flags that
exclude them, and the library it built must hold no AVX-512 or AMX instruction.
"""

from __future__ import annotations

import importlib.util
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SETUP = ROOT / "scripts" / "setup.sh"
NATIVE_ONLY = re.compile(r"-DGGML_(AVX512\w*|AMX_\w+|AVX_VNNI|NATIVE|BACKEND_DL|CPU_ALL_VARIANTS)=(\w+)")
# zmm registers are AVX-512 only; tmm registers and tile instructions are AMX only.
NATIVE_ONLY_CODE = re.compile(r"%zmm\d|%tmm\d|\b(ldtilecfg|tileloadd|tdpb\w+|tdpbf16ps|tilerelease)\b")


def _setup_flags() -> str:
    text = SETUP.read_text(encoding="utf-8")
    match = re.search(r'^LLAMA_CPU_FLAGS="(.*?)"', text, re.MULTILINE | re.DOTALL)
    assert match, "scripts/setup.sh must define LLAMA_CPU_FLAGS"
    return match.group(1).replace("\\\n", " ")


def test_setup_flags_switch_off_native_and_every_native_only_feature() -> None:
    flags = dict(NATIVE_ONLY.findall(_setup_flags()))
    assert flags.get("NATIVE") == "OFF"
    turned_on = sorted(name for name, value in flags.items() if value.upper() in ("ON", "1", "TRUE"))
    assert turned_on == [], f"setup.sh turns on native-only features: {turned_on}"
    for needed in ("AVX512", "AMX_TILE", "AMX_INT8", "AMX_BF16"):
        assert flags.get(needed) == "OFF", f"GGML_{needed} must be switched off explicitly"


def _llama_libraries() -> list[Path]:
    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or spec.origin is None:
        pytest.skip("llama-cpp-python is not installed (bash scripts/setup.sh installs it)")
    libs = sorted(Path(spec.origin).parent.glob("lib/*.so*"))
    assert libs, "llama-cpp-python is installed without its shared libraries"
    return libs


@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"), reason="x86-64 instruction check")
def test_the_installed_llama_cpp_holds_no_avx512_or_amx_code() -> None:
    objdump = shutil.which("objdump")
    if objdump is None:
        pytest.skip("objdump (binutils) is needed to read the library's instructions")
    found: dict[str, int] = {}
    for lib in _llama_libraries():
        listing = subprocess.run([objdump, "-d", "--no-show-raw-insn", str(lib)], capture_output=True,
                                 text=True, check=True).stdout
        hits = len(NATIVE_ONLY_CODE.findall(listing))
        if hits:
            found[lib.name] = hits
    assert found == {}, f"AVX-512/AMX instructions in {found}: llama-cpp-python was built natively; " \
                        "run `bash scripts/setup.sh`"


def test_the_installed_build_is_the_one_setup_makes() -> None:
    stamp = Path(sys.prefix) / ".qa-llama-build"
    if not stamp.is_file():
        pytest.skip("not a virtualenv made by scripts/setup.sh")
    assert "-DGGML_NATIVE=OFF" in stamp.read_text(encoding="utf-8")
    assert _setup_flags().split()[0] in stamp.read_text(encoding="utf-8")
