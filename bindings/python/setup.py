"""Builds the watchword Python package with the project's CMake.

`pip install --no-build-isolation ./bindings/python` runs this: it configures
the repository's top-level CMakeLists.txt with WATCHWORD_BUILD_PYTHON=ON in
a private build directory, builds the `watchword_python` target (the C++
library, the pybind11 extension and the generated *_pb2 modules) and copies
the assembled package, <build>/python/watchword/, into the wheel. Logic lives
in C++ and in CMake; this file only runs them.

Environment:
  WATCHWORD_CMAKE_ARGS  extra arguments for the CMake configure step, e.g.
                        "-DWATCHWORD_WITH_HYPERSCAN=OFF"
  CMAKE_BUILD_PARALLEL_LEVEL  build jobs (default: number of CPUs)
"""

import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent  # The repository: bindings/python/../..


def project_version() -> str:
    cmake = (ROOT / "CMakeLists.txt").read_text(encoding="utf-8")
    return re.search(r"project\(watchword VERSION ([0-9.]+)", cmake).group(1)


class CMakeBuild(build_ext):
    """Builds every extension of the package with one CMake run."""

    def run(self):
        build_dir = pathlib.Path(self.build_temp).resolve() / "cmake"
        configure = [
            "cmake", "-S", str(ROOT), "-B", str(build_dir),
            "-DCMAKE_BUILD_TYPE=Release",
            "-DWATCHWORD_BUILD_PYTHON=ON",
            "-DWATCHWORD_BUILD_TESTS=OFF",
            f"-DPython3_EXECUTABLE={sys.executable}",
        ]
        if shutil.which("ninja") and not (build_dir / "CMakeCache.txt").exists():
            configure += ["-G", "Ninja"]
        configure += shlex.split(os.environ.get("WATCHWORD_CMAKE_ARGS", ""))
        subprocess.run(configure, check=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 1))
        subprocess.run(["cmake", "--build", str(build_dir), "--target",
                        "watchword_python", "-j", jobs], check=True)

        # The assembled package: _watchword*.so, *.py, *.pyi, py.typed,
        # v1/*_pb2.py(i) and rulesets/<name>/*. Copied over what build_py
        # put in build_lib.
        package = build_dir / "python" / "watchword"
        target = pathlib.Path(self.build_lib) / "watchword"
        if self.inplace:
            target = HERE / "watchword"
        shutil.copytree(package, target, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__"))


setup(
    version=project_version(),
    packages=["watchword", "watchword.v1", "watchword.rulesets"],
    # The bundled rulesets are copied in by CMake (see CMakeBuild).
    package_data={"watchword": ["*.pyi", "py.typed"],
                  "watchword.rulesets": ["*/*"]},
    ext_modules=[Extension("watchword._watchword", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
)
