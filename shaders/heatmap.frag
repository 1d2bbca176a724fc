#version 330 core
// Heatmap: one float per cell (R32F), mapped through a 256-entry colormap
// table (app/ui/colormap.cpp) by nearest entry, so the CPU and GPU agree.
in vec2 Frag_UV;
uniform sampler2D Values;   // unit 0: matrix values, nearest filtering
uniform sampler2D Colormap; // unit 1: 256 × 1 RGBA8 table
uniform float Low;
uniform float High;
out vec4 Out_Color;
void main() {
  float v = texture(Values, Frag_UV).r;
  float t = High > Low ? clamp((v - Low) / (High - Low), 0.0, 1.0) : 0.5;
  float index = floor(t * 255.0 + 0.5);
  Out_Color = texelFetch(Colormap, ivec2(int(index), 0), 0);
}
