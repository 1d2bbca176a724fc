#include "app/ui/fonts.hpp"

#include <imgui.h>
#include <backends/imgui_impl_opengl3.h>

#include <cstdio>
#include <utility>

#include "app/io/data_files.hpp"
#include "app/io/one_line.hpp"

namespace abh {

const ImWchar* ui_glyph_ranges() {
  // Latin, and the symbols the counts and titles use: × · ² √ ᵀ − … ▲ ▼ → ⁰-⁹.
  static const ImWchar ranges[] = {
      0x0020, 0x00FF, // Basic Latin, Latin-1 (× · ² ³)
      0x1D00, 0x1DBF, // phonetic extensions (ᵀ)
      0x2010, 0x206F, // punctuation (… – —)
      0x2070, 0x209F, // superscripts and subscripts
      0x2190, 0x21FF, // arrows
      0x2200, 0x22FF, // mathematical operators (√ − ·)
      0x25A0, 0x25FF, // geometric shapes (▲ ▼)
      0,
  };
  return ranges;
}

bool rebuild_font_atlas(float pixel_size) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  bool loaded = false;
  const std::string path = find_ui_font();
  if (!path.empty()) {
    ImFontConfig config;
    config.OversampleH = 2;
    loaded = io.Fonts->AddFontFromFileTTF(path.c_str(), pixel_size, &config, ui_glyph_ranges()) != nullptr;
  }
  if (!loaded) {
    static bool said = false; // once a run, not at every size change
    if (!std::exchange(said, true))
      std::fprintf(stderr,
                   "attention-by-hand: cannot load the UI font %s: symbols such as × · √ will show "
                   "as boxes (set ABH_DATA_DIR to the folder holding assets/fonts/)\n",
                   one_line(ui_font_path()).c_str());
    ImFontConfig config;
    config.SizePixels = pixel_size;
    io.Fonts->AddFontDefault(&config);
  }
  io.Fonts->Build();
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  return loaded;
}

} // namespace abh
