#pragma once
// Per stage, one head vs H heads: formula, numbers substituted, result; which
// totals stay equal and which grow with H, as text and as bars.

#include <array>
#include <string>
#include <vector>

#include "app/ui/panels/panel.hpp"
#include "app/ui/panels/variant_bars.hpp"
#include "core/counts.hpp"

namespace abh {

class CountsPanel : public Panel {
public:
  const char* name() const override { return "counts"; }
  std::string title(const PanelContext& ctx) const override;
  void draw(PanelContext& ctx) override;

private:
  // Counts are recomputed only when the shape changes (they are instant anyway).
  Shape counted_ = [] { Shape s; s.seq = 0; return s; }(); // no real shape has n = 0
  Counts single_, multi_;
  std::vector<Stage> stages_; // of the program, in order
  std::array<std::vector<CountFormula>, stage_count> single_formulas_, multi_formulas_; // per Stage
  // The chosen model's whole-model block, rebuilt when the pick changes.
  ModelPick block_pick_;
  std::string block_;
  VariantBars variant_bars_; // the MHA · GQA · MQA · MLA section
};

} // namespace abh
