#pragma once
// What a test driver injects and observes, attached to the App only by tests
// (App::attach_probe). Panels record into it when it is present.

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace abh {

struct UiProbe {
  // [Input] injected each frame after the backend's NewFrame (ImGui 1.86).
  bool mouse = false;       // = false // true: the fields below replace the real mouse
  float mouse_x = 0, mouse_y = 0;
  bool mouse_down = false;  // left button
  float wheel = 0;          // notches for the next frame only (+ zooms in)
  // Seconds on a test's clock: the hardware panel's "measured here" times
  // core's trace with it instead of the host's (empty: the host's). Called
  // from the timing thread.
  std::function<double()> clock;

  // [Output] as last drawn.
  std::map<std::string, std::array<float, 4>> control_rects; // "heads" → x0, y0, x1, y1
  std::vector<std::string> displayed_counts;                 // the counts panel's lines
  std::vector<std::string> tooltips;                         // hover texts shown this frame
  std::map<std::string, std::vector<std::string>> step_lines; // per slicing panel, in step mode
  struct Matrix {
    std::array<float, 4> rect{};     // x0, y0, x1, y1 of its cells
    std::int64_t rows = 0, cols = 0;
  };
  struct Cell {
    std::string matrix; // "" when the pointer is over no cell
    std::int64_t row = -1, col = -1;
  };
  std::map<std::string, std::map<std::string, Matrix>> matrices; // per slicing panel, by matrix name
  std::map<std::string, Cell> hovered_cells;                     // per slicing panel
  // Per slicing panel: its cells outlined as the other panel's hovered cell.
  std::map<std::string, std::vector<Cell>> linked_cells;
  // Per slicing panel: the rectangles shaded as masked, by matrix name.
  std::map<std::string, std::map<std::string, std::vector<std::array<float, 4>>>> shades;
  // Per slicing panel: how the drawing differs from the shape counted ("" when it does not).
  std::map<std::string, std::string> drawn_lines;
  // The hardware panel's lines as last drawn: its what-if line, "bound GPU: memory"
  // per machine, and "measured <stage>: …" per stage measured here.
  std::vector<std::string> hardware_lines;
};

} // namespace abh
