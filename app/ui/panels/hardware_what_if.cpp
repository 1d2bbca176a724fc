#include "app/ui/panels/hardware_what_if.hpp"

#include <imgui.h>

#include "app/ui/panels/hardware_teaching.hpp"
#include "app/ui/theme.hpp"
#include "core/hardware/stage_work.hpp"
#include "core/hardware/what_if.hpp"
#include "core/number_format.hpp"

namespace abh {

namespace {

// The shape with the what-if applied, or nothing when it does not apply.
std::optional<Shape> try_what_if(const Shape& main, WhatIfPhase phase, WhatIfHeads heads) {
  try {
    return what_if_shape(main, phase, heads);
  } catch (const ShapeError&) {
    return std::nullopt;
  }
}

// One radio button of the row; disabled when its shape does not exist
// (GQA at H = 3). Returns true when clicked.
bool choice(PanelContext& ctx, const char* label, const char* control, bool active, bool possible) {
  ImGui::SameLine();
  if (!possible) ImGui::BeginDisabled();
  const bool clicked = ImGui::RadioButton(label, active);
  if (!possible) ImGui::EndDisabled();
  record_item(ctx, control);
  return clicked && possible;
}

} // namespace

std::optional<Shape> what_if_of(const AppState& state) {
  return try_what_if(state.shape,
                     parse_what_if_phase(state.hardware.what_if_phase).value_or(WhatIfPhase::follow),
                     parse_what_if_heads(state.hardware.what_if_heads).value_or(WhatIfHeads::follow));
}

void what_if_row(PanelContext& ctx, const std::optional<Shape>& chosen, Dtype dtype) {
  HardwareOptions& o = ctx.state.hardware;
  const Shape& main = ctx.state.shape;
  const WhatIfPhase phase = parse_what_if_phase(o.what_if_phase).value_or(WhatIfPhase::follow);
  const WhatIfHeads heads = parse_what_if_heads(o.what_if_heads).value_or(WhatIfHeads::follow);
  const Shape& shown = chosen ? *chosen : main;

  ImGui::TextUnformatted("what if:");
  item_tooltip(ctx, "Change the shape these machines run, not the main shape: a decode step asks one "
                    "query against the whole cache; GQA and MQA share K and V between query heads.");
  const WhatIfPhase now = phase_of(shown);
  if (choice(ctx, "prefill##what-if", "hardware what-if prefill", now == WhatIfPhase::prefill, true))
    o.what_if_phase = what_if_key(WhatIfPhase::prefill);
  if (choice(ctx, "decode step##what-if", "hardware what-if decode", now == WhatIfPhase::decode, main.seq > 1))
    o.what_if_phase = what_if_key(WhatIfPhase::decode);
  ImGui::SameLine(0, em(1.2f));
  ImGui::TextDisabled("|");
  const std::optional<WhatIfHeads> kv = heads_of(shown);
  const struct {
    WhatIfHeads heads;
    const char* label;
    const char* control;
  } kinds[] = {{WhatIfHeads::mha, "MHA##what-if", "hardware what-if mha"},
               {WhatIfHeads::gqa, "GQA##what-if", "hardware what-if gqa"},
               {WhatIfHeads::mqa, "MQA##what-if", "hardware what-if mqa"}};
  for (const auto& k : kinds)
    if (choice(ctx, k.label, k.control, kv == k.heads, try_what_if(main, phase, k.heads).has_value()))
      o.what_if_heads = what_if_key(k.heads);
  if (phase != WhatIfPhase::follow || heads != WhatIfHeads::follow) {
    const char* follow = "follow the main shape";
    ImGui::SameLine(0, em(1.2f));
    if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize(follow).x + 2 * ImGui::GetStyle().FramePadding.x)
      ImGui::NewLine();
    if (ImGui::SmallButton(follow)) {
      o.what_if_phase = what_if_key(WhatIfPhase::follow);
      o.what_if_heads = what_if_key(WhatIfHeads::follow);
    }
    record_item(ctx, "hardware what-if follow");
  }

  const double kv_bytes = kv_cache_elements(shown) * dtype_bytes(dtype);
  std::string line = what_if_text(main, shown) + " · K and V cache read: " + bytes_text(kv_bytes) + " at " +
                     std::string(dtype_key(dtype));
  if (!chosen)
    line = "the what-if does not apply to this shape (" +
           std::string(heads == WhatIfHeads::gqa ? "no GQA at this H" : "no such shape") +
           "), so the machines run the main shape · K and V cache read: " + bytes_text(kv_bytes);
  // Beside the toggles where it fits, else under them.
  ImGui::SameLine(0, em(1.2f));
  if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize(line.c_str()).x) ImGui::NewLine();
  ImGui::PushTextWrapPos(0);
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(muted_colour()), "%s", line.c_str());
  ImGui::PopTextWrapPos();
  if (ctx.probe) ctx.probe->hardware_lines.push_back(line);
}

} // namespace abh
