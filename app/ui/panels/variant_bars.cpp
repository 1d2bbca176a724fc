#include "app/ui/panels/variant_bars.hpp"

#include <algorithm>

#include <imgui.h>

#include "app/cli/variant_report.hpp" // per_token_text
#include "app/session/model_pick.hpp"
#include "app/ui/theme.hpp"
#include "core/model.hpp"
#include "core/number_format.hpp"

namespace abh {

namespace {

// One bar of a group: its name in the left column, the bar, its label.
struct Bar {
  std::string name;  // "GQA", "Llama 3 8B"
  double value = 0;  // what the bar's length shows
  std::string label; // "4.00 KiB · Hkv 8"
  bool highlighted = false;
};

// A titled group of horizontal bars on one scale: the largest fills the room
// its label leaves. `key` names the group's lines in `shown`.
void bar_group(PanelContext& ctx, const std::string& title, const char* key,
               const std::vector<Bar>& bars, std::vector<std::string>& shown) {
  ImGui::TextWrapped("%s", title.c_str());
  ImDrawList* list = ImGui::GetWindowDrawList();
  float name_w = 0, label_w = 0;
  double top = 0;
  for (const Bar& b : bars) {
    name_w = std::max(name_w, ImGui::CalcTextSize(("▶ " + b.name).c_str()).x);
    label_w = std::max(label_w, ImGui::CalcTextSize(b.label.c_str()).x);
    top = std::max(top, b.value);
  }
  const float gap = em(0.4f), line_h = ImGui::GetFontSize();
  const float bar_room = std::max(em(2.5f), ImGui::GetContentRegionAvail().x - name_w - label_w - 3 * gap);
  const float bar_h = em(0.6f);
  for (const Bar& b : bars) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const ImU32 name_colour = b.highlighted ? mark_source_colour() : text_colour();
    list->AddText(ImVec2(p.x + em(0.3f), p.y), name_colour, ((b.highlighted ? "▶ " : "   ") + b.name).c_str());
    const float x0 = p.x + em(0.3f) + name_w + gap;
    const float w = top > 0 ? std::max(1.0f, static_cast<float>(b.value / top) * bar_room) : 1.0f;
    const float y0 = p.y + (line_h - bar_h) / 2;
    list->AddRectFilled(ImVec2(x0, y0), ImVec2(x0 + w, y0 + bar_h),
                        b.highlighted ? mark_source_colour() : muted_colour());
    const ImVec2 label_at(x0 + w + gap, p.y);
    const ImVec2 label_size = ImGui::CalcTextSize(b.label.c_str());
    list->AddText(label_at, text_colour(), b.label.c_str());
    ImGui::Dummy(ImVec2(label_at.x + label_size.x - p.x, line_h + em(0.15f)));
    if (ctx.probe)
      ctx.probe->control_rects[std::string(key) + ":" + b.name] = {label_at.x, label_at.y, label_at.x + label_size.x,
                                                                 label_at.y + label_size.y};
    shown.push_back(std::string(key) + ": " + b.name + " " + b.label);
  }
  ImGui::Spacing();
}

// "Hkv 8" or "dc 512 · dr 64": what sets the variant's KV cache, short enough
// for a bar's label (the ranks in full are in the line above the bars).
std::string kv_side(const VariantFigures& f) {
  if (!f.shape.is_mla()) return "Hkv " + std::to_string(f.shape.kv_heads);
  return "dc " + std::to_string(f.shape.mla.kv_rank) + " · dr " + std::to_string(f.shape.mla.rope_dim);
}

constexpr const char* section_help =
    "The same d, H, dh and tokens, with only the key/value side changed: MHA (Hkv = H), GQA (groups of "
    "query heads share a k and v), MQA (Hkv = 1) and MLA (a cached latent of dc + dr, DeepSeek's ratios "
    "unless the shape is MLA already). GQA and MQA shrink the KV cache and Wqkv; no variant changes "
    "the score dot products or the score memory.";

} // namespace

void VariantBars::draw(PanelContext& ctx, std::vector<std::string>& shown) {
  ImGui::SetNextItemOpen(ctx.state.view.compare_variants, ImGuiCond_Always);
  ctx.state.view.compare_variants =
      ImGui::CollapsingHeader("Compare MHA · GQA · MQA · MLA at this width###compare_variants");
  record_item(ctx, "compare_variants");
  if (ImGui::IsItemHovered() && !ctx.exporting) ImGui::SetTooltip("%s", section_help);
  if (!ctx.state.view.compare_variants) return;

  const Shape& shape = ctx.state.shape;
  if (!(shape == compared_)) {
    try {
      comparison_ = compare_variants(shape);
      refused_.clear();
    } catch (const ShapeError& e) {
      comparison_ = {};
      refused_ = e.what();
    }
    compared_ = shape;
  }
  if (!refused_.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, error_colour());
    ImGui::TextWrapped("Not compared: %s", refused_.c_str());
    ImGui::PopStyleColor();
    shown.push_back("compare refused: " + refused_);
    return;
  }
  ImGui::PushStyleColor(ImGuiCol_Text, muted_colour());
  for (const VariantFigures& f : comparison_.variants)
    if (f.shape.is_mla())
      ImGui::TextWrapped("▶ this shape.  MLA: %s, %s form", f.detail.c_str(), mla_form_key(f.shape.mla.form));
  ImGui::PopStyleColor();
  if (!comparison_.absent.empty()) {
    ImGui::TextWrapped("%s", comparison_.absent.c_str());
    shown.push_back("compare absent: " + comparison_.absent);
  }

  std::vector<Bar> kv, multiplies, scores;
  for (const VariantFigures& f : comparison_.variants) {
    const std::string name = variant_name(f.variant);
    const double bf16 = static_cast<double>(f.kv_cache_bytes_per_token.bf16);
    kv.push_back({name, bf16, bytes_text(bf16) + " · " + kv_side(f), f.current});
    multiplies.push_back({name, f.multiplies_per_token, per_token_text(f.multiplies_per_token), f.current});
    scores.push_back({name, static_cast<double>(f.score_memory), compact_count_text(f.score_memory), f.current});
  }
  bar_group(ctx, "KV cache per token, one layer (bf16)", "compare kv", kv, shown);
  bar_group(ctx, "Multiplies per token", "compare multiplies", multiplies, shown);
  const std::string dots = comparison_.variants.empty()
                               ? std::string()
                               : compact_count_text(comparison_.variants.front().score_dot_products);
  bar_group(ctx, "Score memory (elements): the same for every variant, as are the score dot products (" +
                dots + ")",
            "compare scores", scores, shown);
  shown.push_back("compare score dot products: " + dots);
  draw_models(ctx, shown);
}

// The picked model beside another gallery model, as whole models.
void VariantBars::draw_models(PanelContext& ctx, std::vector<std::string>& shown) {
  if (!ctx.gallery || ctx.gallery->models.empty()) return;
  const std::vector<GalleryModel>& models = ctx.gallery->models;
  const ModelPick pick = shown_pick(models, ctx.state.shape, ctx.state.model);
  const GalleryModel* picked = model_by_key(models, pick.key);
  if (!picked) return;
  const GalleryModel* other = model_by_key(models, ctx.state.view.compare_model);
  if (other == picked) other = nullptr;

  ImGui::Separator();
  ImGui::Text("Compare %s with", picked->model.name.c_str());
  ImGui::SameLine();
  ImGui::SetNextItemWidth(em(10));
  if (ImGui::BeginCombo("##compare_model", other ? other->model.name.c_str() : "a model…",
                        ImGuiComboFlags_HeightLargest)) {
    for (const GalleryModel& g : models) {
      if (&g == picked) continue;
      if (ImGui::Selectable(g.model.name.c_str(), &g == other)) ctx.state.view.compare_model = g.model.key;
      record_item(ctx, "compare_model:" + g.model.key);
    }
    ImGui::EndCombo();
  }
  record_item(ctx, "compare_model");
  if (!other) return;

  std::vector<Bar> kv, params;
  for (const GalleryModel* g : {picked, other}) {
    const ModelFigures f = model_figures(g->model);
    const double bf16 = static_cast<double>(dtype_bytes(f.kv_cache_per_token).bf16);
    kv.push_back({g->model.name, bf16,
                  bytes_text(bf16) + " · " + std::to_string(f.attention_layers) + " attention layers",
                  g == picked});
    params.push_back({g->model.name, static_cast<double>(f.attention_params),
                      compact_count_text(f.attention_params), g == picked});
  }
  bar_group(ctx, "Whole model: KV cache per token (bf16)", "compare model kv", kv, shown);
  bar_group(ctx, "Whole model: attention parameters", "compare model params", params, shown);
}

} // namespace abh
