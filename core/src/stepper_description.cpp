// Stepper::describe: one panel's current step in names, numbers and words,
// with values from derive_cell when a trace of the panel's shape is given.

#include <cmath>
#include <cstdio>

#include "core/stepper.hpp"

#include "core/number_format.hpp"

namespace abh {

namespace {

std::string matrix_name(const MatrixRef& output, std::int64_t head) {
  std::string name(output.name);
  if (output.scope != HeadScope::none) name += "_" + std::to_string(head + 1);
  return name;
}

void add_values(StepDescription& d, const StageWalk& walk, const Shape& shape,
                const AttentionTrace& trace, const NamedMatrix& matrix) {
  const StepperCell& cell = *d.position.cell;
  const CellDerivation& derivation = d.derivation.emplace(derive_cell(trace, matrix, cell.row, cell.col));
  if (!derivation.meaning.empty()) d.lines.push_back(derivation.meaning);
  const std::string root = "√" + std::to_string(shape.head_dim);
  switch (walk.kind) {
  case StageKind::matmul: {
    const auto shown = static_cast<std::size_t>(cell.terms_done);
    if (derivation.terms.size() < shown) break;
    const DerivationTerm& term = d.term.emplace(derivation.terms[shown - 1]);
    double sum = 0;
    for (std::size_t i = 0; i < shown; ++i) sum += derivation.terms[i].left * derivation.terms[i].right;
    d.running_sum = sum;
    d.running_sum_text = running_sum_text(derivation.terms, shown);
    d.lines.push_back("term " + std::to_string(cell.terms_done) + " of " +
                      std::to_string(cell.terms) + ": " + running_sum_text({term}, 1));
    d.lines.push_back(d.running_sum_text);
    break;
  }
  case StageKind::elementwise: {
    if (!derivation.scaled) break;
    const ScaleStep& s = d.scale.emplace(
        ScaleStep{derivation.value, std::sqrt(static_cast<double>(shape.head_dim)), *derivation.scaled});
    d.lines.push_back(d.cell_name + " / " + root + " = " + value_text(s.score) + " / " +
                      value_text(s.root_dh) + " = " + value_text(s.scaled));
    break;
  }
  case StageKind::reduction: {
    if (derivation.exps.empty()) break;
    const SoftmaxStep& s = d.softmax.emplace(
        SoftmaxStep{derivation.exps[static_cast<std::size_t>(derivation.exp_index)],
                    derivation.exp_sum, derivation.value,
                    static_cast<std::int64_t>(derivation.exps.size())});
    d.lines.push_back("exp(score/" + root + " − column max) = " + value_text(s.exp));
    d.lines.push_back("column sum of " + std::to_string(s.keys) + " exps = " + value_text(s.column_sum));
    d.lines.push_back(value_text(s.exp) + " / " + value_text(s.column_sum) + " = " + value_text(s.weight));
    break;
  }
  case StageKind::fused: break;
  }
}

} // namespace

StepDescription Stepper::describe(StepPanel panel, const AttentionTrace* trace) const {
  StepDescription d;
  d.panel = panel;
  d.position = position(panel);
  d.waiting = waiting(panel);
  d.stage_title = stage_title(d.position.stage);
  const StageWalk& w = walk(panel, d.position.stage);
  const Shape& s = shape(panel);
  d.matrix = matrix_name(w.output, d.position.cell ? d.position.cell->head : 0);
  if (!d.position.cell) {
    d.lines.push_back(std::string(d.stage_title) + ": nothing computed yet");
    return d;
  }
  const StepperCell& cell = *d.position.cell;
  d.cell_name = d.matrix + "[" + std::to_string(cell.row + 1) + ", " + std::to_string(cell.col + 1) + "]";
  d.lines.push_back(std::string(d.stage_title) + ": " + d.cell_name);
  if (trace && trace->shape == s)
    if (const NamedMatrix* m = find_matrix(*trace, d.matrix)) add_values(d, w, s, *trace, *m);
  if (w.kind == StageKind::matmul && !d.term)
    d.lines.push_back("term " + std::to_string(cell.terms_done) + " of " + std::to_string(cell.terms));
  if (d.waiting)
    d.lines.push_back("finished " + std::string(d.stage_title) + "; waiting for the other panel");
  return d;
}

} // namespace abh
