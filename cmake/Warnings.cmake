# abh_set_warnings(target): the project's warning set, per target.
function(abh_set_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual
    # GCC 12 reports false overlaps in inlined std::string copies (PR105651).
    -Wno-restrict)
endfunction()
