#pragma once
// Five machines run the current attention shape: each drawn as its structure
// and animated by replaying the schedule its cost model in core produced.
// The panel owns the playback clock and the loaded specs; the numbers are
// the models'.

#include <optional>
#include <string>
#include <vector>

#include "app/ui/panels/panel_context.hpp"
#include "core/hardware/models.hpp"

namespace abh {

class HardwarePanel {
public:
  HardwarePanel();
  void draw(PanelContext& ctx, float delta_seconds);

  // Replay position, 0 … 1 of the common time axis (tests, exports).
  float playhead() const { return playhead_; }
  void set_playhead(float p) { playhead_ = p; }

private:
  // What the schedules depend on (not the replay or axis options).
  struct Key {
    Shape shape;
    std::string dtype;
    bool fused = false, single_head = false;
    std::vector<std::string> chips;
    std::size_t specs_version = 0;
    bool operator==(const Key&) const = default;
  };
  void reload_specs();
  void recompute(const PanelContext& ctx);
  void toolbar(PanelContext& ctx, float delta_seconds);
  void spec_editor();
  void measured_here(const PanelContext& ctx);
  void chip_chooser(PanelContext& ctx, const Schedule& schedule, float width);
  // Model time shown at the playhead (linear or log axis).
  double time_at(float playhead) const;
  float playhead_at(double seconds) const;

  std::vector<HardwareSpec> specs_;
  std::size_t specs_version_ = 0;
  std::string specs_path_, specs_status_;
  Key computed_{};
  bool computed_once_ = false;
  std::vector<Schedule> schedules_, single_schedules_;
  std::optional<Schedule> this_cpu_schedule_; // the trace's shape on this CPU, fp32, unfused
  std::string model_error_;
  HardwareSpec this_cpu_;
  float playhead_ = 0;
  bool log_scale_ = true; // the time axis, from HardwareOptions each frame
  bool playing_ = true;
  bool edit_specs_ = false;
};

} // namespace abh
