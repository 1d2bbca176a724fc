// The controls' model picker and prefill / decode switch: a gallery model
// sets the shape through the same undoable change as the sliders.

#include <string>

#include <imgui.h>

#include "app/session/model_pick.hpp"
#include "app/ui/panels/controls_panel.hpp"
#include "app/ui/theme.hpp"

namespace abh {

namespace {

void tooltip(const PanelContext& ctx, const char* text) {
  if (ImGui::IsItemHovered() && !ctx.exporting) ImGui::SetTooltip("%s", text);
}

constexpr const char* model_help =
    "Sets d_model, H, Hkv, dh (and the window and MLA ranks) from the model's config.json. "
    "seq n stays as set, so the counts follow the chosen seq, not the model's context.";

} // namespace

void ControlsPanel::model_row(PanelContext& ctx) {
  const std::vector<GalleryModel> none;
  const std::vector<GalleryModel>& models = ctx.gallery ? ctx.gallery->models : none;
  const ModelPick shown = shown_pick(models, ctx.state.shape, ctx.state.model);
  ctx.state.model = shown;
  const GalleryModel* chosen = model_by_key(models, shown.key);

  if (ctx.gallery && !ctx.gallery->error.empty()) {
    next_in_row(em(16));
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(muted_colour()), "no models: %s",
                       ctx.gallery->error.c_str());
    record_item(ctx, "model_error");
  } else if (!models.empty()) {
    next_in_row(em(15));
    ImGui::SetNextItemWidth(em(10));
    if (ImGui::BeginCombo("model", chosen ? chosen->model.name.c_str() : "custom",
                          ImGuiComboFlags_HeightLargest)) {
      for (const GalleryModel& g : models) {
        if (ImGui::Selectable(g.model.name.c_str(), chosen == &g)) {
          try {
            const std::size_t kind = first_attention_kind(g.model);
            propose(ctx, picked_shape(g.model, kind, ctx.state.shape));
            if (ctx.session.refusal.empty())
              ctx.state.model = {g.model.key, static_cast<std::int64_t>(kind)};
          } catch (const ShapeError& e) {
            ctx.session.refusal = e.what();
          }
        }
        record_item(ctx, "model:" + g.model.key);
      }
      ImGui::EndCombo();
    }
    record_item(ctx, "model");
    tooltip(ctx, model_help);
  }

  if (chosen) {
    const Model& m = chosen->model;
    int attention_kinds = 0;
    for (const LayerKind& k : m.layer_kinds) attention_kinds += k.attention() ? 1 : 0;
    if (attention_kinds > 1) {
      next_in_row(em(17));
      ImGui::SetNextItemWidth(em(12));
      const auto index = static_cast<std::size_t>(shown.layer_kind);
      if (ImGui::BeginCombo("layers", describe_layer_kind(m.layer_kinds[index]).c_str(),
                            ImGuiComboFlags_HeightLargest)) {
        for (std::size_t k = 0; k < m.layer_kinds.size(); ++k) {
          if (!m.layer_kinds[k].attention()) continue;
          if (ImGui::Selectable(describe_layer_kind(m.layer_kinds[k]).c_str(), k == index)) {
            propose(ctx, picked_shape(m, k, ctx.state.shape));
            if (ctx.session.refusal.empty()) ctx.state.model = {m.key, static_cast<std::int64_t>(k)};
          }
          record_item(ctx, "layer_kind:" + std::to_string(k));
        }
        ImGui::EndCombo();
      }
      record_item(ctx, "layer_kind");
      tooltip(ctx, "Which kind of this model's attention layers the panels and counts show");
    }
  }

  const Shape& s = ctx.state.shape;
  next_in_row(em(10));
  if (ImGui::RadioButton("prefill", s.queries == 0 || s.queries == s.seq)) {
    Shape t = s;
    t.queries = 0;
    propose(ctx, t);
  }
  record_item(ctx, "prefill");
  tooltip(ctx, "Prefill: all n tokens query all n keys (n_q = n)");
  ImGui::SameLine();
  if (ImGui::RadioButton("decode", s.queries == 1 && s.seq > 1)) {
    Shape t = s;
    t.queries = 1;
    propose(ctx, t);
  }
  record_item(ctx, "decode");
  tooltip(ctx, "A decode step: one new token's query (n_q = 1) against a KV cache of n = seq tokens");
}

} // namespace abh
