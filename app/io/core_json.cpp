#include "app/io/core_json.hpp"

namespace abh {

nlohmann::json shape_json(const Shape& s) {
  nlohmann::json j = {{"seq", s.seq},           {"d_model", s.d_model},   {"heads", s.heads},
                      {"head_dim", s.head_dim}, {"kv_heads", s.kv_heads}, {"causal", s.causal}};
  // The variants appear only when they differ from the default program.
  if (s.queries > 0) j["queries"] = s.queries;
  if (s.batch != 1) j["batch"] = s.batch;
  if (s.window > 0) j["window"] = s.window;
  if (s.v_head_dim > 0) j["v_head_dim"] = s.v_head_dim;
  if (s.is_mla())
    j["mla"] = {{"q_rank", s.mla.q_rank},
                {"kv_rank", s.mla.kv_rank},
                {"rope_dim", s.mla.rope_dim},
                {"form", mla_form_key(s.mla.form)}};
  return j;
}

} // namespace abh
