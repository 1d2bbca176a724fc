# abh_set_warnings(target): the project's warning set, per target; errors
# when ABH_WARNINGS_AS_ERRORS is on (the CI presets).
option(ABH_WARNINGS_AS_ERRORS "Treat compiler warnings as errors" OFF)

function(abh_set_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual
    # GCC 12 reports false overlaps and overflows in inlined std::string
    # copies at -O3 (PR105651, PR105329).
    -Wno-restrict -Wno-stringop-overflow)
  if(ABH_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
