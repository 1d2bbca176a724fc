#pragma once
// Draws float textures through the colormap shader inside an ImGui draw list:
// a draw callback switches to our program, the image quad is drawn, and
// ImDrawCallback_ResetRenderState gives the state back to ImGui.

#include <deque>
#include <string>

#include <imgui.h>

#include "app/session/colormap.hpp"

namespace abh {

class HeatmapRenderer {
public:
  // Loads shaders/heatmap.{vert,frag}; on failure ok() is false and error()
  // says why (the app then refuses to start with that one line).
  HeatmapRenderer();
  ~HeatmapRenderer();
  HeatmapRenderer(const HeatmapRenderer&) = delete;
  HeatmapRenderer& operator=(const HeatmapRenderer&) = delete;

  bool ok() const { return program_ != 0; }
  const std::string& error() const { return error_; }

  // Adds to `list` a quad showing `texture` (R32F, texel x = matrix row,
  // texel y = matrix column) over the screen rectangle [min, max].
  void draw(ImDrawList* list, unsigned texture, Colormap map, float lo, float hi, ImVec2 min,
            ImVec2 max);

  // Call once per frame before drawing: forgets last frame's uniforms.
  void begin_frame() { pending_.clear(); }

private:
  struct Uniforms {
    HeatmapRenderer* self;
    unsigned lut;
    float lo, hi;
  };
  static void use_program(const ImDrawList* list, const ImDrawCmd* cmd);

  unsigned program_ = 0;
  unsigned luts_[2] = {0, 0};
  int loc_proj_ = -1, loc_values_ = -1, loc_colormap_ = -1, loc_low_ = -1, loc_high_ = -1;
  std::deque<Uniforms> pending_; // stable addresses for this frame's callbacks
  std::string error_;
};

} // namespace abh
