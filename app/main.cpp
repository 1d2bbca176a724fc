// attention-by-hand: the command line, then the window.

#include <cstdio>
#include <iostream>

#include "app/cli/command_line.hpp"
#include "app/cli/count_report.hpp"

int main(int argc, char** argv) {
  using namespace abh;
  const ParseOutcome parsed = parse_command_line(argc, argv);
  if (!parsed.request) {
    (parsed.exit_code == 0 ? std::cout : std::cerr) << parsed.message
                                                    << (parsed.exit_code ? "\n" : "");
    return parsed.exit_code;
  }
  const LaunchRequest& request = *parsed.request;
  switch (request.mode) {
  case Mode::report:
    if (request.json) std::cout << count_report_json(request.shape).dump(2) << "\n";
    else std::cout << count_report_text(request.shape);
    return 0;
  default:
    std::cerr << "attention-by-hand: the window is not built yet\n";
    return 2;
  }
}
