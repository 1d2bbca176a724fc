#include "app/session/model_pick.hpp"

namespace abh {

Shape picked_shape(const Model& model, std::size_t kind, const Shape& shape) {
  Shape s = layer_shape(model, kind, shape);
  s.causal = model.causal;
  return s;
}

namespace {

bool is_shape_of(const Model& model, std::size_t kind, const Shape& shape) {
  return kind < model.layer_kinds.size() && model.layer_kinds[kind].attention() &&
         picked_shape(model, kind, shape) == shape;
}

} // namespace

ModelPick shown_pick(const std::vector<GalleryModel>& models, const Shape& shape,
                     const ModelPick& preferred) {
  if (const GalleryModel* g = model_by_key(models, preferred.key);
      g && preferred.layer_kind >= 0 &&
      is_shape_of(g->model, static_cast<std::size_t>(preferred.layer_kind), shape))
    return preferred;
  for (const GalleryModel& g : models)
    for (std::size_t k = 0; k < g.model.layer_kinds.size(); ++k)
      if (is_shape_of(g.model, k, shape)) return {g.model.key, static_cast<std::int64_t>(k)};
  return {};
}

} // namespace abh
