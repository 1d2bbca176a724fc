#include "core/variant_comparison.hpp"

#include <cstdlib>
#include <optional>

#include "core/checked_int.hpp"
#include "core/counts.hpp"
#include "core/program.hpp"

namespace abh {

const char* variant_name(AttentionVariant variant) {
  switch (variant) {
  case AttentionVariant::mha: return "MHA";
  case AttentionVariant::gqa: return "GQA";
  case AttentionVariant::mqa: return "MQA";
  case AttentionVariant::mla: return "MLA";
  }
  return "";
}

namespace {

// The shape with a plain (not latent) key/value side of `kv_heads` heads:
// an MLA shape loses its RoPE part and keeps its v width.
Shape plain_variant(const Shape& shape, std::int64_t kv_heads) {
  Shape v = shape;
  v.kv_heads = kv_heads;
  if (shape.is_mla()) {
    v.head_dim = shape.head_dim - shape.mla.rope_dim;
    v.v_head_dim = shape.value_dim();
    v.mla = MlaRanks{};
  }
  return v;
}

// The divisor of H strictly between 1 and H nearest H/4, a tie to the larger.
std::optional<std::int64_t> gqa_kv_heads(std::int64_t heads) {
  std::optional<std::int64_t> best;
  for (std::int64_t k = 2; k < heads; ++k) {
    if (heads % k != 0) continue;
    if (!best || std::llabs(4 * k - heads) <= std::llabs(4 * *best - heads)) best = k;
  }
  return best;
}

Shape mla_variant(const Shape& shape) {
  if (shape.is_mla()) return shape;
  Shape v = shape;
  const std::int64_t dh = shape.head_dim; // the no-RoPE width
  v.kv_heads = shape.heads;
  v.mla.kv_rank = checked_mul(4, dh);
  v.mla.rope_dim = dh / 2;
  const std::int64_t dq = checked_mul(12, dh);
  v.mla.q_rank = dq < shape.d_model ? dq : 0;
  v.mla.form = MlaForm::absorbed;
  v.head_dim = checked_add(dh, v.mla.rope_dim);
  v.v_head_dim = shape.value_dim();
  return v;
}

std::string detail_of(const Shape& v) {
  if (!v.is_mla()) return "Hkv " + std::to_string(v.kv_heads);
  std::string s = "dc " + std::to_string(v.mla.kv_rank) + " · dr " + std::to_string(v.mla.rope_dim);
  if (v.mla.q_rank > 0) s += " · dq " + std::to_string(v.mla.q_rank);
  if (v.mla.form == MlaForm::naive) s += " (naive)";
  return s;
}

std::int64_t score_dot_products(const Shape& v, const Counts& c) {
  for (Stage stage : program_stages(v))
    if (stage == Stage::scores || stage == Stage::latent_scores) return c[stage].dot_products;
  return 0;
}

VariantFigures figures(AttentionVariant variant, const Shape& v, const Shape& compared) {
  try {
    validate(v);
  } catch (const ShapeError& e) {
    throw ShapeError(std::string(variant_name(variant)) + " at this width: " + e.what());
  }
  const Counts c = count(v);
  VariantFigures f;
  f.variant = variant;
  f.shape = v;
  f.current = v == compared;
  f.detail = detail_of(v);
  f.kv_cache_per_token = c.memory.kv_cache_per_token;
  f.kv_cache_bytes_per_token = dtype_bytes(c.memory.kv_cache_per_token);
  f.multiplies = c.totals.multiplies;
  f.tokens = checked_mul(v.query_count(), v.batch);
  f.multiplies_per_token = static_cast<double>(f.multiplies) / static_cast<double>(f.tokens);
  f.score_dot_products = score_dot_products(v, c);
  f.score_memory = c.memory.scores_elements;
  f.attention_params = checked_add(c.params.wqkv, c.params.wo);
  return f;
}

} // namespace

VariantComparison compare_variants(const Shape& shape) {
  validate(shape);
  VariantComparison out;
  out.variants.push_back(figures(AttentionVariant::mha, plain_variant(shape, shape.heads), shape));
  const bool own_gqa = !shape.is_mla() && shape.kv_heads > 1 && shape.kv_heads < shape.heads;
  if (const std::optional<std::int64_t> kv = own_gqa ? shape.kv_heads : gqa_kv_heads(shape.heads))
    out.variants.push_back(figures(AttentionVariant::gqa, plain_variant(shape, *kv), shape));
  else
    out.absent = "GQA: H = " + std::to_string(shape.heads) +
                 " has no divisor between 1 and H, so no group of query heads can share a k and v";
  out.variants.push_back(figures(AttentionVariant::mqa, plain_variant(shape, 1), shape));
  out.variants.push_back(figures(AttentionVariant::mla, mla_variant(shape), shape));
  return out;
}

} // namespace abh
