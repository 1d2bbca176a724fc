#include "app/ui/panel_registry.hpp"

#include "app/ui/panels/controls_panel.hpp"
#include "app/ui/panels/counts_panel.hpp"
#include "app/ui/panels/hardware_panel.hpp"
#include "app/ui/panels/slicing_panel.hpp"

namespace abh {

namespace {

// The hardware panel's replay runs on the frame clock it is given.
class HardwareView : public Panel {
public:
  const char* name() const override { return "hardware"; }
  std::string title(const PanelContext&) const override {
    return "Five machines run this attention (cost models, replayed)###hardware";
  }
  void draw(PanelContext& ctx) override { panel_.draw(ctx, ctx.delta_seconds); }

private:
  HardwarePanel panel_;
};

} // namespace

PanelRegistry::PanelRegistry() {
  auto layouts = std::make_shared<SlicingLayouts>();
  auto link = std::make_shared<SlicingHoverLink>();
  auto controls = std::make_unique<ControlsPanel>();
  ControlsPanel& controls_panel = *controls;
  panels_.push_back(std::move(controls));
  panels_.push_back(std::make_unique<SlicingPanel>(false, layouts, link));
  panels_.push_back(std::make_unique<SlicingPanel>(true, layouts, link));
  panels_.push_back(std::make_unique<CountsPanel>());
  panels_.push_back(std::make_unique<HardwareView>());
  std::vector<std::string> exportable = names();
  exportable.emplace_back(comparison_panel);
  controls_panel.set_export_panels(std::move(exportable));
}

Panel* PanelRegistry::find(const std::string& name) const {
  for (const auto& p : panels_)
    if (name == p->name()) return p.get();
  return nullptr;
}

std::vector<std::string> PanelRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& p : panels_) out.emplace_back(p->name());
  return out;
}

std::string PanelRegistry::names_text() const {
  std::string out;
  for (std::size_t i = 0; i < panels_.size(); ++i) {
    if (i) out += i + 1 == panels_.size() ? " or " : ", ";
    out += panels_[i]->name();
  }
  return out;
}

} // namespace abh
