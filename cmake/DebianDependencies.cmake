# Finds every dependency among Debian's packages. A missing one stops the
# configure step with the name of the package that provides it.

function(abh_require_package name debian_package)
  find_package(${name} ${ARGN} QUIET)
  if(NOT ${name}_FOUND)
    message(FATAL_ERROR
      "${name} not found: install the Debian package '${debian_package}' "
      "(sudo apt-get install ${debian_package}) or run scripts/install-deps.sh")
  endif()
endfunction()

function(abh_require_pkgconfig module debian_package)
  pkg_check_modules(${module} QUIET IMPORTED_TARGET ${module})
  if(NOT ${module}_FOUND)
    message(FATAL_ERROR
      "${module} not found: install the Debian package '${debian_package}' "
      "(sudo apt-get install ${debian_package}) or run scripts/install-deps.sh")
  endif()
endfunction()

find_package(PkgConfig)
if(NOT PkgConfig_FOUND)
  message(FATAL_ERROR "pkg-config not found: install the Debian package 'pkg-config'")
endif()

abh_require_package(Eigen3 libeigen3-dev 3.4 NO_MODULE)
abh_require_package(OpenMP libgomp1)
# The trace's matrix products: OpenBLAS built with OpenMP, so that inside the
# trace's own parallel loop it stays on the calling thread (Debian installs
# it beside the default pthread build; core links it by its full path).
set(ENV{PKG_CONFIG_PATH}
    "/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/openblas-openmp/pkgconfig:$ENV{PKG_CONFIG_PATH}")
abh_require_pkgconfig(openblas libopenblas-openmp-dev)
abh_require_package(nlohmann_json nlohmann-json3-dev 3.10)
abh_require_package(CLI11 libcli11-dev)
abh_require_package(fmt libfmt-dev)
abh_require_pkgconfig(stb libstb-dev)
# Worksheets (PDF and SVG) need cairo, not GL: also in the build without a window.
abh_require_pkgconfig(cairo libcairo2-dev)
set(THREADS_PREFER_PTHREAD_FLAG ON)
abh_require_package(Threads libc6-dev)

if(ABH_BUILD_APP)
  abh_require_package(glfw3 libglfw3-dev 3.3)
  abh_require_package(OpenGL libgl-dev)
  abh_require_pkgconfig(imgui libimgui-dev)
  find_program(ABH_GLAD glad)
  if(NOT ABH_GLAD)
    message(FATAL_ERROR "glad not found: install the Debian package 'python3-glad'")
  endif()
endif()

if(ABH_BUILD_TESTS)
  abh_require_package(GTest googletest)
  abh_require_package(benchmark libbenchmark-dev)
endif()
