#include "app/ui/panels/hardware_spec_editor.hpp"

#include <filesystem>

#include <imgui.h>

#include "app/io/data_files.hpp"
#include "app/io/hardware_specs_json.hpp"
#include "app/io/host_cpu.hpp"
#include "app/ui/theme.hpp"

namespace abh {

void reload_specs(SpecBook& book) {
  try {
    LoadedSpecs loaded = load_app_hardware_specs();
    book.specs = std::move(loaded.specs);
    book.status = "specs from " + loaded.path;
    book.warning = loaded.warning;
  } catch (const std::exception& e) {
    book.status = e.what();
    book.warning.clear();
  }
  book.this_cpu = host_cpu_spec();
  ++book.version;
}

void SpecEditor::draw(SpecBook& book) {
  if (ImGui::Button("Reload specs")) {
    reload_specs(book);
    refusal_.clear();
  }
  ImGui::SameLine();
  if (ImGui::Button("Save specs")) {
    try {
      std::error_code ec;
      std::filesystem::create_directories(config_dir(), ec);
      // The user's file that failed to load is kept beside the new one.
      const std::string kept = book.warning.empty() ? "" : keep_unloadable_copy(user_hardware_specs_path());
      save_hardware_specs(user_hardware_specs_path(), book.specs);
      book.status = "saved " + user_hardware_specs_path() + " (the app and --hardware-report now use it)" +
                    (kept.empty() ? "" : "; the file that failed to load is kept as " + kept);
      book.warning.clear();
    } catch (const std::exception& e) {
      book.status = e.what();
    }
  }
  ImGui::SameLine();
  ImGui::TextDisabled("%s", book.status.c_str());
  if (!refusal_.empty())
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(error_colour()), "%s", refusal_.c_str());
  for (HardwareSpec& s : book.specs) {
    ImGui::PushID(s.chip.c_str());
    if (ImGui::TreeNode(s.chip.c_str())) {
      // `unit` scales the shown number (1e12: TFLOP/s); `field` and the range,
      // in SI units, are what a refusal names.
      auto edit = [&](const std::string& label, const std::string& field, Figure& f, double unit,
                      const FigureRange& range) {
        double shown = f.value / unit;
        ImGui::SetNextItemWidth(em(8));
        if (ImGui::InputDouble(label.c_str(), &shown, 0, 0, "%.4g", ImGuiInputTextFlags_EnterReturnsTrue)) {
          const std::string problem = set_figure(f, s.chip, field, shown * unit, range);
          refusal_ = problem;
          if (problem.empty()) ++book.version;
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("source: %s", f.source.c_str());
      };
      for (const char* key : {"peak_fp32", "peak_bf16", "peak_int8"}) {
        const FigureField& field = *find_figure_field(key);
        edit(std::string(key).substr(5) + (key[5] == 'i' ? " TOPS" : " TFLOP/s"), key, s.*field.member,
             1e12, field.range);
      }
      for (MemoryLevel& level : s.memory)
        edit(level.name + " GB/s", "memory " + level.name + " bandwidth", level.bandwidth, 1e9, bandwidth_range);
      if (s.power) edit("power W", "power", *s.power, 1, power_range);
      ImGui::TreePop();
    }
    ImGui::PopID();
  }
}

} // namespace abh
