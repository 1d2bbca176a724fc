#include "app/worksheet/run_worksheet.hpp"

#include "app/worksheet/cairo_worksheet.hpp"
#include "app/worksheet/page_layout.hpp"
#include "app/worksheet/worksheet_content.hpp"
#include "core/example_sentence.hpp"

namespace abh {

void run_worksheet(const Shape& shape, const TraceOptions& options,
                   const WorksheetRequest& request) {
  sheet_format_of(request.path);
  const Paper paper = paper_named(request.paper);
  check_sheet_dimensions(shape, paper); // before materialising anything large
  const AttentionTrace trace = compute_trace(shape, options);
  SheetLabels labels;
  if (options.values == ValueMode::sentence) {
    labels.tokens = example_sentence().tokens;
    labels.features = example_sentence().features;
  }
  write_worksheet(make_worksheet(trace, single_head_of(shape), request.answers, labels),
                  request.path, paper);
}

} // namespace abh
