"""Builds the watchword Python package with the project's CMake.

`pip install --no-build-isolation ./bindings/python` runs this: it configures
the repository's top-level CMakeLists.txt with WATCHWORD_BUILD_PYTHON=ON in
a private build directory, builds the `watchword_python` target (the C++
library, the pybind11 extension and the generated *_pb2 modules) and copies
the assembled package, <build>/python/watchword/, into the wheel. Logic lives
in C++ and in CMake; this file only runs them.

`python3 -m build --sdist --no-isolation bindings/python` (or `setup.py
sdist`) makes an sdist that carries the C++ tree it needs under cpp/
(CMakeLists.txt, cmake/, include/, src/, proto/, rulesets/ and
bindings/python/), so `pip install --no-build-isolation watchword-X.tar.gz`
builds it anywhere the C++ dependencies are installed.

Environment:
  WATCHWORD_CMAKE_ARGS  extra arguments for the CMake configure step, e.g.
                        "-DWATCHWORD_WITH_HYPERSCAN=OFF"
  CMAKE_BUILD_PARALLEL_LEVEL  build jobs (default: number of CPUs)
  CCACHE_BASEDIR        if unset, or not a parent of both the sources and
                        the build, their common parent, so that ccache (used
                        when CMake finds it) hits across unpacked copies of
                        one sdist
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
from setuptools.command.sdist import sdist

HERE = pathlib.Path(__file__).resolve().parent
# The C++ tree: cpp/ in an unpacked sdist, else the repository around
# bindings/python/.
ROOT = HERE / "cpp" if (HERE / "cpp" / "CMakeLists.txt").is_file() else HERE.parent.parent

# What the sdist carries of the repository: all a build of the
# `watchword_python` target reads, with tests and benchmarks off.
SDIST_TREE = ["CMakeLists.txt", "README.md", "cmake", "include", "src",
              "proto", "rulesets", "bindings/python/_watchword.cc",
              "bindings/python/watchword"]
SDIST_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", "build", "dist",
                                    "*.egg-info", "*.so", "*_pb2.py",
                                    "*_pb2.pyi")


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
        env = dict(os.environ)
        # ccache hits need paths relative to a base directory that holds
        # the sources and the build; pip unpacks an sdist into a new
        # temporary directory each time, which an inherited CCACHE_BASEDIR
        # (e.g. a checkout's) does not hold.
        base = os.path.commonpath([str(ROOT), str(build_dir)])
        inherited = env.get("CCACHE_BASEDIR")
        if not inherited or os.path.commonpath([inherited, base]) != inherited:
            env["CCACHE_BASEDIR"] = base
        subprocess.run(configure, check=True, env=env)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 1))
        subprocess.run(["cmake", "--build", str(build_dir), "--target",
                        "watchword_python", "-j", jobs], check=True, env=env)

        # The assembled package: _watchword*.so, *.py, *.pyi, py.typed,
        # v1/*_pb2.py(i) and rulesets/<name>/*. Copied over what build_py
        # put in build_lib.
        package = build_dir / "python" / "watchword"
        target = pathlib.Path(self.build_lib) / "watchword"
        if self.inplace:
            target = HERE / "watchword"
        shutil.copytree(package, target, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__"))


class SdistWithSources(sdist):
    """Adds the C++ tree (SDIST_TREE) to the sdist, under cpp/."""

    def make_release_tree(self, base_dir, files):
        super().make_release_tree(base_dir, files)
        if ROOT == HERE / "cpp":
            source = ROOT  # An sdist of an unpacked sdist.
        else:
            source = HERE.parent.parent
        target = pathlib.Path(base_dir) / "cpp"
        for name in SDIST_TREE:
            path = source / name
            if path.is_dir():
                shutil.copytree(path, target / name, ignore=SDIST_SKIP,
                                dirs_exist_ok=True)
            else:
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target / name)


setup(
    version=project_version(),
    packages=["watchword", "watchword.v1", "watchword.rulesets"],
    # The bundled rulesets are copied in by CMake (see CMakeBuild).
    package_data={"watchword": ["*.pyi", "py.typed"],
                  "watchword.rulesets": ["*/*"]},
    ext_modules=[Extension("watchword._watchword", sources=[])],
    cmdclass={"build_ext": CMakeBuild, "sdist": SdistWithSources},
    zip_safe=False,
)
