#pragma once
// Which gallery model the current shape is: the model picker shows it, the
// counts panel gives its whole-model figures, the state file keeps its key.
// Derived from the shape, so undo and redo bring the model back with it.

#include <vector>

#include "app/io/app_state.hpp"
#include "app/io/models_json.hpp"

namespace abh {

// Layer kind `kind` of `model` over `shape`: the model sets d, H, Hkv, dh, dv,
// w, the MLA ranks and causal; n, n_q, B and the MLA form stay (the counts
// follow the seq on screen, not the model's context).
Shape picked_shape(const Model& model, std::size_t kind, const Shape& shape);

// `preferred` when its layer shape is `shape`; else the first model and
// attention kind whose layer shape is; else custom ({}).
ModelPick shown_pick(const std::vector<GalleryModel>& models, const Shape& shape,
                     const ModelPick& preferred);

} // namespace abh
