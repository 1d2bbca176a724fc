#include "app/ui/wrap_at_spaces.hpp"

#include <imgui.h>

namespace abh {

void text_wrapped_at_spaces(const std::string& text, float width) {
  const auto measure = [](const std::string& s) { return ImGui::CalcTextSize(s.c_str()).x; };
  for (const std::string& line : lines_at_spaces(text, width, measure)) ImGui::TextUnformatted(line.c_str());
}

} // namespace abh
