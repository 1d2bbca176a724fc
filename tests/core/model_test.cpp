// Whole-model figures from a list of layer kinds, by hand-checked arithmetic:
// GQA, a 5:1 sliding/global pattern with shared KV and non-attention layers,
// and MLA; and the inconsistencies a model is refused for.

#include <string>

#include <gtest/gtest.h>

#include "core/counts.hpp"
#include "core/model.hpp"

namespace abh {
namespace {

LayerKind attention_kind(LayerType type, std::int64_t count, std::int64_t H, std::int64_t Hkv,
                         std::int64_t dh) {
  LayerKind k;
  k.type = type;
  k.count = count;
  k.heads = H;
  k.kv_heads = Hkv;
  k.head_dim = dh;
  return k;
}

Model hybrid() {
  Model m{"tiny-hybrid", "Tiny Hybrid", 32, 8, 4096, true, {}};
  LayerKind sliding = attention_kind(LayerType::sliding, 5, 4, 1, 8);
  sliding.window = 512;
  sliding.kv_shared_layers = 2;
  LayerKind global = attention_kind(LayerType::global, 1, 4, 2, 8);
  global.v_head_dim = 16;
  LayerKind linear;
  linear.type = LayerType::linear;
  linear.count = 2;
  m.layer_kinds = {sliding, global, linear};
  return m;
}

Model mla() {
  Model m{"tiny-mla", "Tiny MLA", 48, 2, 2048, true, {}};
  LayerKind k = attention_kind(LayerType::global, 2, 4, 4, 12);
  k.v_head_dim = 8;
  k.mla = {16, 10, 4, MlaForm::naive};
  m.layer_kinds = {k};
  return m;
}

TEST(Model, GqaFigures) {
  const Model m{"tiny-gqa", "Tiny GQA", 64, 4, 1024, true,
                {attention_kind(LayerType::global, 4, 8, 2, 16)}};
  ASSERT_NO_THROW(validate_model(m));
  const ModelFigures f = model_figures(m);
  EXPECT_EQ(f.attention_layers, 4);
  EXPECT_EQ(f.kv_cache_per_token, 4 * 2 * 2 * 16);
  EXPECT_EQ(f.attention_params, 4 * ((8 * 16 + 2 * 2 * 16) * 64 + 64 * 8 * 16));
  EXPECT_EQ(dtype_bytes(f.kv_cache_per_token), (DtypeBytes{1024, 512, 256}));
  EXPECT_EQ(f.kv_cache_at_context, 4 * 2 * 2 * 16 * 1024);
}

// Sliding layers at full per-token cost, shared-KV layers and linear layers not counted.
TEST(Model, HybridFiguresCountOnlyLayersThatKeepACache) {
  const Model m = hybrid();
  ASSERT_NO_THROW(validate_model(m));
  const ModelFigures f = model_figures(m);
  EXPECT_EQ(f.layers, 8);
  EXPECT_EQ(f.attention_layers, 6);
  EXPECT_EQ(f.kv_cache_per_token, (5 - 2) * 1 * (8 + 8) + 1 * 2 * (8 + 16));
  EXPECT_EQ(f.attention_params, 5 * ((32 + 16) * 32 + 32 * 32) + ((32 + 2 * 24) * 32 + 32 * 64));
  EXPECT_EQ(f.context, 4096);
  const Shape s = layer_shape(m, 0, Shape{});
  EXPECT_EQ(s.window, 512);
  EXPECT_EQ(s.kv_heads, 1);
  EXPECT_EQ(layer_shape(m, 1, Shape{}).window, 0);
  EXPECT_THROW(layer_shape(m, 2, Shape{}), ShapeError);
  EXPECT_EQ(first_attention_kind(m), 0u);
}

TEST(Model, MlaFiguresCountTheLatent) {
  const Model m = mla();
  ASSERT_NO_THROW(validate_model(m));
  const ModelFigures f = model_figures(m);
  EXPECT_EQ(f.kv_cache_per_token, 2 * (10 + 4));
  // Wd (dq+dc+dr)·d, Wuq H·dh·dq, Wuk and Wuv H·(dn+dv)·dc, Wo d·H·dv.
  EXPECT_EQ(f.attention_params, 2 * ((16 + 10 + 4) * 48 + 48 * 16 + 4 * (8 + 8) * 10 + 48 * 32));
  Shape base;
  base.mla.form = MlaForm::absorbed;
  const Shape s = layer_shape(m, 0, base);
  EXPECT_TRUE(s.is_mla());
  EXPECT_EQ(s.mla.form, MlaForm::absorbed); // the form comes from the base shape
  EXPECT_EQ(count(s).params.wqkv + count(s).params.wo, f.attention_params / 2);
}

TEST(Model, InconsistentModelsAreRefusedInOneLine) {
  struct Bad {
    const char* name;
    Model model;
    const char* says;
  };
  std::vector<Bad> bad;
  auto changed = [](Model m, auto change) {
    change(m);
    return m;
  };
  bad.push_back({"Hkv not dividing H", changed(hybrid(), [](Model& m) { m.layer_kinds[1].kv_heads = 3; }),
                 "does not divide"});
  bad.push_back({"window over context", changed(hybrid(), [](Model& m) { m.layer_kinds[0].window = 5000; }),
                 "larger than the context"});
  bad.push_back({"sliding without window", changed(hybrid(), [](Model& m) { m.layer_kinds[0].window = 0; }),
                 "window must be at least 1"});
  bad.push_back({"counts not summing", changed(hybrid(), [](Model& m) { m.layers = 9; }), "sum to 8"});
  bad.push_back({"zero kv rank", changed(mla(), [](Model& m) { m.layer_kinds[0].mla.kv_rank = 0; }),
                 "kv_rank"});
  bad.push_back({"zero rope rank", changed(mla(), [](Model& m) { m.layer_kinds[0].mla.rope_dim = 0; }),
                 "rope_dim"});
  bad.push_back({"MLA with GQA", changed(mla(), [](Model& m) { m.layer_kinds[0].kv_heads = 2; }),
                 "kv_heads must equal heads"});
  bad.push_back({"too many shared", changed(hybrid(), [](Model& m) { m.layer_kinds[0].kv_shared_layers = 6; }),
                 "kv_shared_layers"});
  bad.push_back({"linear with heads", changed(hybrid(), [](Model& m) { m.layer_kinds[2].heads = 4; }),
                 "linear"});
  bad.push_back({"only linear", changed(hybrid(), [](Model& m) {
                   m.layer_kinds = {m.layer_kinds[2]};
                   m.layers = 2;
                 }),
                 "no attention"});
  for (const Bad& b : bad) {
    SCOPED_TRACE(b.name);
    try {
      validate_model(b.model);
      ADD_FAILURE() << "accepted";
    } catch (const ShapeError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(b.says), std::string::npos) << what;
      EXPECT_NE(what.find(b.model.key), std::string::npos) << what;
      EXPECT_EQ(what.find('\n'), std::string::npos);
    }
  }
}

} // namespace
} // namespace abh
