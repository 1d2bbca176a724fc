#include "app/ui/panels/counts_panel.hpp"

#include <algorithm>

#include <imgui.h>

#include "app/session/model_pick.hpp"
#include "app/ui/theme.hpp"
#include "core/number_format.hpp"

namespace abh {

namespace {

ImVec4 u32(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

const char* verdict(std::int64_t single, std::int64_t multi) {
  if (single == multi) return "= same";
  return multi > single ? "▲ grows with H" : "▼ fewer";
}

ImU32 verdict_colour(std::int64_t single, std::int64_t multi) {
  return single == multi ? same_colour() : grows_colour();
}

// Two bars, one head and H heads, on a common scale.
void compare_bars(const char* label, std::int64_t single, std::int64_t multi, std::int64_t heads) {
  ImDrawList* list = ImGui::GetWindowDrawList();
  const float width = ImGui::GetContentRegionAvail().x - em(0.5f);
  const float bar_h = em(0.55f);
  const auto top = static_cast<double>(std::max<std::int64_t>({single, multi, 1}));
  ImGui::TextUnformatted(label);
  ImGui::SameLine(width * 0.55f);
  ImGui::TextColored(u32(verdict_colour(single, multi)), "%s", verdict(single, multi));
  for (int i = 0; i < 2; ++i) {
    const std::int64_t value = i == 0 ? single : multi;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float bar_w = std::max(1.0f, static_cast<float>(static_cast<double>(value) / top) * width * 0.4f);
    list->AddRectFilled(p, ImVec2(p.x + bar_w, p.y + bar_h),
                        i == 0 ? muted_colour() : verdict_colour(single, multi));
    // Compact: the bar's label must fit beside it.
    const std::string text = (i == 0 ? std::string("1 head: ") : std::to_string(heads) + " heads: ") +
                             compact_count_text(value);
    list->AddText(ImVec2(p.x + bar_w + em(0.4f), p.y + (bar_h - ImGui::GetFontSize()) / 2),
                  text_colour(), text.c_str());
    ImGui::Dummy(ImVec2(width, std::max(bar_h, ImGui::GetFontSize()) + em(0.1f)));
  }
}

// The lesson as this shape tells it.
std::string headline(const Shape& s) {
  if (s.heads == 1)
    return "One head: both panels run the same computation. Add heads to slice the same Wqkv "
           "into thinner heads.";
  if (s.kv_heads == s.heads)
    return "Same Wqkv, sliced differently: matmul multiplies stay the same, while scaling, "
           "softmax and score memory grow with H.";
  const std::int64_t group = s.queries_per_kv_head();
  return "Wqkv shrinks: " + std::to_string(group) + " query heads share one k and v (" +
         std::to_string(s.kv_heads) + " kv " + (s.kv_heads == 1 ? "head" : "heads") +
         "), so the projection and the KV cache shrink; score dot products, scaling and "
         "softmax still grow with H.";
}

// The chosen model as a whole: its attention layers, KV cache per token and
// at full context (bf16), and the parameters of its attention projections.
std::string model_block(const GalleryModel& g) {
  const Model& m = g.model;
  const ModelFigures f = model_figures(m);
  const DtypeBytes per_token = dtype_bytes(f.kv_cache_per_token);
  const DtypeBytes full = dtype_bytes(f.kv_cache_at_context);
  return m.name + ": " + std::to_string(f.attention_layers) + " attention layers of " +
         std::to_string(f.layers) + "; KV cache per token " + bytes_text(static_cast<double>(per_token.bf16)) +
         " (bf16), at full context " + with_separators(f.context) + " tokens: " +
         bytes_text(static_cast<double>(full.bf16)) + "; attention projection parameters " +
         count_text(f.attention_params) + ".";
}

} // namespace

std::string CountsPanel::title(const PanelContext&) const {
  return "Counts: one head vs H heads###counts";
}

void CountsPanel::draw(PanelContext& ctx) {
  // The counts are instant: they follow the controls in the same frame.
  const Shape& shape = ctx.state.shape;
  const Shape single_shape = single_head_of(shape);
  if (!(shape == counted_)) {
    single_ = count(single_shape);
    multi_ = count(shape);
    stages_.clear();
    for (const StageSpec& stage : attention_program(shape).stages) {
      stages_.push_back(stage.id);
      single_formulas_[static_cast<std::size_t>(stage.id)] = explain(single_shape, stage.id);
      multi_formulas_[static_cast<std::size_t>(stage.id)] = explain(shape, stage.id);
    }
    counted_ = shape;
  }
  std::vector<std::string> shown; // the totals as drawn, for a test driver
  const std::string heads_label = std::to_string(shape.heads) + (shape.heads == 1 ? " head" : " heads");

  ImGui::TextWrapped("%s", headline(shape).c_str());
  if (ctx.gallery) {
    const ModelPick pick = shown_pick(ctx.gallery->models, shape, ctx.state.model);
    if (!(pick == block_pick_)) {
      const GalleryModel* g = model_by_key(ctx.gallery->models, pick.key);
      block_ = g ? model_block(*g) : "";
      block_pick_ = pick;
    }
    if (!block_.empty()) {
      ImGui::TextWrapped("%s", block_.c_str());
      shown.push_back("model: " + block_);
    }
  }
  // The variant comparison, while open, takes the place of these bars so
  // that it fits on one screen.
  if (!ctx.state.view.compare_variants) {
    compare_bars("Matmul multiplies", single_.totals.matmul_multiplies,
                 multi_.totals.matmul_multiplies, shape.heads);
    compare_bars("Score dot products", single_[Stage::scores].dot_products,
                 multi_[Stage::scores].dot_products, shape.heads);
    compare_bars("Softmax exps", single_.totals.exps, multi_.totals.exps, shape.heads);
    compare_bars("Score memory (elements)", single_.memory.scores_elements,
                 multi_.memory.scores_elements, shape.heads);
  }
  shown.push_back("matmul multiplies: " + count_text(single_.totals.matmul_multiplies) +
                                 " / " + count_text(multi_.totals.matmul_multiplies));
  shown.push_back("score dot products: " + count_text(single_[Stage::scores].dot_products) +
                                 " / " + count_text(multi_[Stage::scores].dot_products));
  ImGui::Separator();

  ImGui::BeginChild("stages", ImVec2(0, 0), false);
  variant_bars_.draw(ctx, shown);
  for (Stage stage : stages_) {
    ImGui::TextUnformatted(std::string(stage_title(stage)).c_str());
    const auto& singles = single_formulas_[static_cast<std::size_t>(stage)];
    const auto& multis = multi_formulas_[static_cast<std::size_t>(stage)];
    ImGui::Indent(em(0.8f));
    for (std::size_t i = 0; i < multis.size(); ++i) {
      const CountFormula& s = singles[i];
      const CountFormula& m = multis[i];
      ImGui::TextColored(u32(muted_colour()), "%s  %s", m.label.c_str(), m.symbols.c_str());
      ImGui::SameLine(ImGui::GetContentRegionMax().x - em(7.5f));
      ImGui::TextColored(u32(verdict_colour(s.value, m.value)), "%s", verdict(s.value, m.value));
      ImGui::Indent(em(0.8f));
      ImGui::Text("1 head:");
      ImGui::SameLine(em(6));
      ImGui::Text("%s = %s", s.substituted.c_str(), with_separators(s.value).c_str());
      ImGui::Text("%s:", heads_label.c_str());
      ImGui::SameLine(em(6));
      ImGui::Text("%s = %s", m.substituted.c_str(), with_separators(m.value).c_str());
      ImGui::Unindent(em(0.8f));
      shown.push_back(std::string(stage_key(stage)) + " " + m.label + ": " +
                                     count_text(s.value) + " / " + count_text(m.value));
    }
    ImGui::Unindent(em(0.8f));
  }
  ImGui::Separator();
  ImGui::Text("Totals: flops (× and +) %s vs %s", count_text(single_.totals.flops).c_str(),
              count_text(multi_.totals.flops).c_str());
  ImGui::Text("Parameters: Wqkv %s vs %s, Wo %s", count_text(single_.params.wqkv).c_str(),
              count_text(multi_.params.wqkv).c_str(), count_text(multi_.params.wo).c_str());
  ImGui::Text("KV cache: %s vs %s elements", count_text(single_.memory.kv_cache_elements).c_str(),
              count_text(multi_.memory.kv_cache_elements).c_str());
  ImGui::EndChild();
  if (ctx.probe) ctx.probe->displayed_counts = std::move(shown);
}

} // namespace abh
