#pragma once
// The counts panel's comparison section: MHA, GQA, MQA and MLA at the
// shape's width as three groups of bars (KV cache per token in bf16,
// multiplies per token, score memory), the shape's own variant highlighted;
// and, when a gallery model is picked, that model beside another as bars of
// whole-model KV cache per token and attention parameters. Every figure is
// core's (compare_variants, model_figures); this file only draws them.

#include <string>
#include <vector>

#include "app/ui/panels/panel_context.hpp"
#include "core/variant_comparison.hpp"

namespace abh {

class VariantBars {
public:
  // Draws the collapsing section inside the caller's window; its open state
  // is state.view.compare_variants. Appends one line per bar drawn to `shown`
  // ("compare kv: GQA 4.00 KiB · Hkv 8").
  void draw(PanelContext& ctx, std::vector<std::string>& shown);

private:
  void draw_models(PanelContext& ctx, std::vector<std::string>& shown);

  // Recomputed only when the shape changes.
  Shape compared_ = [] { Shape s; s.seq = 0; return s; }(); // no real shape has n = 0
  VariantComparison comparison_;
  std::string refused_; // the comparison's one-line refusal, or ""
};

} // namespace abh
