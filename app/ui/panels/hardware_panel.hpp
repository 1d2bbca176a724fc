#pragma once
// Five machines run the current attention shape: each drawn as its structure
// and animated by replaying the schedule its cost model in core produced.
// The panel owns the playback clock and the loaded specs; the schedules come
// from core's ScheduleCache (recomputed only when their inputs change), the
// drawing of one machine from hardware_machine_view.hpp.

#include <optional>
#include <string>

#include "app/ui/panels/hardware_measured_here.hpp"
#include "app/ui/panels/hardware_spec_editor.hpp"
#include "app/ui/panels/panel_context.hpp"
#include "core/hardware/playback.hpp"
#include "core/hardware/schedule_set.hpp"
#include "core/hardware/whole_model.hpp"

namespace abh {

class HardwarePanel {
public:
  HardwarePanel();
  void draw(PanelContext& ctx, float delta_seconds);

  // Replay position, 0 … 1 of the common time axis (tests, exports).
  float playhead() const { return playhead_; }
  void set_playhead(float p) { playhead_ = p; }

private:
  void toolbar(PanelContext& ctx, float delta_seconds, const PlaybackAxis& axis);
  void chip_chooser(PanelContext& ctx, const Schedule& schedule, float width);
  const HardwareSpec* spec_of(const Schedule& schedule) const; // null: not among the loaded specs
  void machine_column(PanelContext& ctx, std::size_t index, const PlaybackAxis& axis, float x0,
                      float width, float origin_y);

  SpecBook book_;
  SpecEditor editor_;
  ScheduleCache cache_;
  MeasuredHere measured_;
  Shape shape_; // what the machines run this frame: the main shape or its what-if
  // With a gallery model picked: its name and every attention layer's bytes,
  // worked out again only when what they depend on changes.
  struct WholeModelKey {
    Shape main_shape, shape; // the model is the main shape's; the machines run `shape`
    ModelPick pick;
    Dtype dtype = Dtype::fp32;
    bool fused = false;
    bool operator==(const WholeModelKey&) const = default;
  };
  void update_whole_model(const PanelContext& ctx, Dtype dtype, bool fused);
  std::optional<WholeModelKey> whole_model_key_;
  std::string model_name_;
  std::optional<WholeModelBytes> whole_model_;
  float playhead_ = 0;
  bool playing_ = true;
  bool edit_specs_ = false;
};

} // namespace abh
