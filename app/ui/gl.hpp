#pragma once
// Our own OpenGL calls go through glad (generated at configure time); Dear
// ImGui's backend keeps its own loader, so both coexist.
#include <glad/gl.h>
