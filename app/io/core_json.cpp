#include "app/io/core_json.hpp"

namespace abh {

nlohmann::json shape_json(const Shape& s) {
  return {{"seq", s.seq},           {"d_model", s.d_model},   {"heads", s.heads},
          {"head_dim", s.head_dim}, {"kv_heads", s.kv_heads}, {"causal", s.causal}};
}

} // namespace abh
