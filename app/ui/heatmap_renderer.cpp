#include "app/ui/heatmap_renderer.hpp"

#include <cstddef>
#include <cstdint>

#include "app/io/data_files.hpp"
#include "app/ui/gl.hpp"

namespace abh {

namespace {

GLuint compile(GLenum kind, const std::string& source, const std::string& name, std::string& error) {
  const GLuint shader = glCreateShader(kind);
  const char* text = source.c_str();
  glShaderSource(shader, 1, &text, nullptr);
  glCompileShader(shader);
  GLint ok = 0;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[512] = {};
    glGetShaderInfoLog(shader, sizeof log, nullptr, log);
    error = "shader " + name + " does not compile: " + std::string(log).substr(0, std::string(log).find('\n'));
    glDeleteShader(shader);
    return 0;
  }
  return shader;
}

GLuint make_lut(Colormap map) {
  GLuint texture = 0;
  glGenTextures(1, &texture);
  glBindTexture(GL_TEXTURE_2D, texture);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, 256, 1, 0, GL_RGBA, GL_UNSIGNED_BYTE,
               colormap_table(map).data());
  return texture;
}

} // namespace

HeatmapRenderer::HeatmapRenderer() {
  const std::string vert_path = data_path("shaders/heatmap.vert");
  const std::string frag_path = data_path("shaders/heatmap.frag");
  const auto vert_source = read_text_file(vert_path);
  const auto frag_source = read_text_file(frag_path);
  if (!vert_source || !frag_source) {
    error_ = "cannot read " + (vert_source ? frag_path : vert_path) +
             " (set ABH_DATA_DIR to the folder holding shaders/)";
    return;
  }
  const GLuint vert = compile(GL_VERTEX_SHADER, *vert_source, vert_path, error_);
  const GLuint frag = vert ? compile(GL_FRAGMENT_SHADER, *frag_source, frag_path, error_) : 0;
  if (!vert || !frag) {
    if (vert) glDeleteShader(vert);
    return;
  }
  const GLuint program = glCreateProgram();
  glAttachShader(program, vert);
  glAttachShader(program, frag);
  glLinkProgram(program);
  glDeleteShader(vert);
  glDeleteShader(frag);
  GLint linked = 0;
  glGetProgramiv(program, GL_LINK_STATUS, &linked);
  if (!linked) {
    error_ = "heatmap shaders do not link";
    glDeleteProgram(program);
    return;
  }
  program_ = program;
  loc_proj_ = glGetUniformLocation(program, "ProjMtx");
  loc_values_ = glGetUniformLocation(program, "Values");
  loc_colormap_ = glGetUniformLocation(program, "Colormap");
  loc_low_ = glGetUniformLocation(program, "Low");
  loc_high_ = glGetUniformLocation(program, "High");
  luts_[0] = make_lut(Colormap::diverging);
  luts_[1] = make_lut(Colormap::sequential);
}

HeatmapRenderer::~HeatmapRenderer() {
  if (program_) glDeleteProgram(program_);
  glDeleteTextures(2, luts_);
}

void HeatmapRenderer::use_program(const ImDrawList*, const ImDrawCmd* cmd) {
  const auto* u = static_cast<const Uniforms*>(cmd->UserCallbackData);
  const HeatmapRenderer& r = *u->self;
  const ImDrawData* data = ImGui::GetDrawData();
  const float L = data->DisplayPos.x, R = data->DisplayPos.x + data->DisplaySize.x;
  const float T = data->DisplayPos.y, B = data->DisplayPos.y + data->DisplaySize.y;
  const float ortho[4][4] = {
      {2.0f / (R - L), 0.0f, 0.0f, 0.0f},
      {0.0f, 2.0f / (T - B), 0.0f, 0.0f},
      {0.0f, 0.0f, -1.0f, 0.0f},
      {(R + L) / (L - R), (T + B) / (B - T), 0.0f, 1.0f},
  };
  glUseProgram(r.program_);
  glUniformMatrix4fv(r.loc_proj_, 1, GL_FALSE, &ortho[0][0]);
  glUniform1i(r.loc_values_, 0);
  glUniform1i(r.loc_colormap_, 1);
  glUniform1f(r.loc_low_, u->lo);
  glUniform1f(r.loc_high_, u->hi);
  glActiveTexture(GL_TEXTURE1);
  glBindTexture(GL_TEXTURE_2D, u->lut);
  glActiveTexture(GL_TEXTURE0);
  // ImGui's GLSL 130 shader leaves attribute locations to the linker; point
  // ours (0, 1, 2) at the bound vertex buffer. ResetRenderState redoes ImGui's.
  const auto stride = static_cast<GLsizei>(sizeof(ImDrawVert));
  for (GLuint i = 0; i < 3; ++i) glEnableVertexAttribArray(i);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride,
                        reinterpret_cast<const void*>(offsetof(ImDrawVert, pos)));
  glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride,
                        reinterpret_cast<const void*>(offsetof(ImDrawVert, uv)));
  glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride,
                        reinterpret_cast<const void*>(offsetof(ImDrawVert, col)));
}

void HeatmapRenderer::draw(ImDrawList* list, unsigned texture, Colormap map, float lo, float hi,
                           ImVec2 min, ImVec2 max) {
  if (!ok()) return;
  pending_.push_back({this, luts_[map == Colormap::diverging ? 0 : 1], lo, hi});
  list->AddCallback(&HeatmapRenderer::use_program, &pending_.back());
  // Texel x runs down the matrix rows and y along its columns (Eigen's
  // column-major storage uploaded as is), so the quad swaps u and v.
  const auto id = reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(texture));
  list->AddImageQuad(id, min, ImVec2(max.x, min.y), max, ImVec2(min.x, max.y), ImVec2(0, 0),
                     ImVec2(0, 1), ImVec2(1, 1), ImVec2(1, 0));
  list->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
}

} // namespace abh
