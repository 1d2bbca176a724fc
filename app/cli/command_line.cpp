#include "app/cli/command_line.hpp"

#include <CLI/CLI.hpp>

#include "app/io/enum_json.hpp"
#include "app/io/one_line.hpp"
#include "core/checked_int.hpp"
#include "core/example_sentence.hpp"

namespace abh {

namespace {

const char* const program_name = "attention-by-hand";

// Whole numbers are written in decimal: "010" is ten. (CLI11 on its own would
// read a leading 0 as octal and 0x as hexadecimal.)
std::string decimal_integer(std::string text) {
  const bool negative = !text.empty() && text[0] == '-';
  std::string digits = negative ? text.substr(1) : text;
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos)
    throw CLI::ValidationError("'" + text + "' is not a whole number");
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size() - 1));
  if (digits.size() > 18) throw CLI::ValidationError("'" + text + "' is too large");
  return negative ? "-" + digits : digits;
}

std::string non_negative_integer(std::string text) {
  if (!text.empty() && text[0] == '-')
    throw CLI::ValidationError("'" + text + "' must not be negative");
  return decimal_integer(std::move(text));
}

// A value-taking option never takes a flag as its value: "--panel --json"
// is a forgotten value, not a panel named "--json".
std::string not_a_flag(const std::string& value) {
  if (value.rfind("--", 0) == 0) return "needs a value, got the flag " + value;
  return "";
}

// A caption is one line of the picture: a line break in it is refused.
std::string one_line_caption(const std::string& value) {
  if (value.find_first_of("\r\n") != std::string::npos) return "must be one line (no line breaks)";
  return "";
}

// A CLI11 message as one line: trailing newlines dropped, others shown.
std::string message_line(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return one_line(text);
}

// --trace, --worksheet and --example: what they need and what they exclude.
// --example sets the shape and the values, so flags that set either conflict.
// Sets the mode to trace_json or worksheet when asked (`modes`: how many
// other modes were asked). Returns "" or one line saying what is wrong.
std::string check_exercise_flags(const CLI::App& cli, LaunchRequest& r, bool trace,
                                 const CLI::Option* example, int modes) {
  const bool worksheet = !r.worksheet_path.empty();
  if (modes + int{trace} + int{worksheet} > 1 && (trace || worksheet))
    return "choose one of --report, --hardware-report, --export, --bench-frames, --trace, "
           "--worksheet";
  if (trace && !r.json) return "--trace prints JSON: add --json";
  if (trace) r.mode = Mode::trace_json;
  if (worksheet) r.mode = Mode::worksheet;
  if (r.answers && r.worksheet_path.empty()) return "--answers needs --worksheet PATH";
  if (cli.get_option("--paper")->count() > 0 && r.worksheet_path.empty())
    return "--paper needs --worksheet PATH";
  if (example->count() == 0) return "";
  for (const char* flag : {"--seq", "--d-model", "--heads", "--head-dim", "--kv-heads", "--causal",
                           "--values", "--seed", "--queries", "--batch", "--window", "--v-head-dim",
                           "--mla-q-rank", "--mla-kv-rank", "--mla-rope-dim", "--mla-form", "--model"})
    if (cli.get_option(flag)->count() > 0)
      return std::string("--example ") + r.example + " sets the shape and values: drop " + flag;
  const ExampleSentence& sentence = example_sentence();
  r.shape = sentence.shape;
  r.options.values = ValueMode::sentence;
  return "";
}

} // namespace

ParseOutcome parse_command_line(int argc, const char* const* argv) {
  CLI::App cli{"Attention by Hand: multi-head attention has the same weights as single-head "
               "attention, sliced differently.",
               program_name};
  LaunchRequest r;
  std::optional<std::int64_t> kv_heads;
  bool report = false, hardware_report = false;

  // An enum option: one of its spellings (enum_json.hpp), mapped to the
  // value. CLI11 runs the transform added last first: check, then map.
  const auto choice = [&](const std::string& name, auto& into, const std::string& help,
                          const auto& values) {
    const auto names = spellings(values);
    std::vector<std::string> keys;
    for (const auto& entry : names) keys.push_back(entry.first);
    return cli.add_option(name, into, help)
        ->transform(CLI::Transformer(names).description(""))
        ->transform(CLI::IsMember(keys));
  };

  auto* seq = cli.add_option("--seq", r.shape.seq, "sequence length n (tokens)")
                  ->transform(decimal_integer);
  auto* d_model = cli.add_option("--d-model", r.shape.d_model, "model width d (columns of Wqkv)")
                      ->transform(decimal_integer);
  auto* heads =
      cli.add_option("--heads", r.shape.heads, "query heads H")->transform(decimal_integer);
  auto* head_dim = cli.add_option("--head-dim", r.shape.head_dim, "head dimension dh")
                       ->transform(decimal_integer);
  auto* kv = cli.add_option("--kv-heads", kv_heads, "key/value heads (default: --heads)")
                 ->transform(decimal_integer);
  auto* causal = cli.add_flag("--causal", r.shape.causal, "mask keys after each query");
  // Variants (docs/design.md): decode steps, batches, windows, v width, MLA.
  auto* queries = cli.add_option("--queries", r.shape.queries,
                                 "queries n_q, the last n_q of --seq tokens (1: a decode step)")
                      ->transform(decimal_integer);
  auto* batch = cli.add_option("--batch", r.shape.batch, "batch B: sequences computed together")
                    ->transform(decimal_integer);
  auto* window = cli.add_option("--window", r.shape.window, "sliding window w: keys each query sees")
                     ->transform(decimal_integer);
  auto* v_head_dim = cli.add_option("--v-head-dim", r.shape.v_head_dim, "v head width dv (default: --head-dim)")
                         ->transform(decimal_integer);
  auto* mla_q = cli.add_option("--mla-q-rank", r.shape.mla.q_rank, "MLA query rank dq (0: not compressed)")
                    ->transform(decimal_integer);
  auto* mla_kv = cli.add_option("--mla-kv-rank", r.shape.mla.kv_rank, "MLA KV latent rank dc (MLA when > 0)")
                     ->transform(decimal_integer);
  auto* mla_rope = cli.add_option("--mla-rope-dim", r.shape.mla.rope_dim, "MLA RoPE width dr")
                       ->transform(decimal_integer);
  std::string mla_form = "naive";
  auto* mla_form_option = cli.add_option("--mla-form", mla_form, "MLA form: naive | absorbed")
                              ->check(CLI::IsMember({"naive", "absorbed"}));
  cli.add_option("--model", r.model, "set the shape from a model of assets/models.json (any case, a unique part)");
  cli.add_option("--layer-kind", r.layer_kind, "with --model: layer kind N (from 1), global or sliding");
  cli.add_flag("--list-models", r.list_models, "print the models' names (--json: with their figures)");
  cli.add_option("--models", r.models_path, "read the model gallery from FILE (default assets/models.json)");
  choice("--values", r.options.values, "by_hand | small_integers | gaussian | sentence",
         all_value_modes);
  cli.add_option("--seed", r.options.seed, "seed of the values")->transform(non_negative_integer);
  choice("--layout", r.options.layout, "Wqkv rows: triples | blocks", all_layouts);

  cli.add_flag("--report", report, "print the counts and exit (no window)");
  cli.add_flag("--json", r.json, "with a report: print JSON");
  cli.add_option("--export", r.export_path, "render one frame off-screen, write PNG and JSON");
  cli.add_option("--scale", r.scale, "export scale: 1, 2 or 3")
      ->transform(decimal_integer)
      ->check(CLI::Range(1, 3));
  cli.add_option("--panel", r.panel, "export only this panel, or comparison: both slicing panels, 16:9");
  cli.add_option("--caption", r.caption_text, "export: this line under the image (default: the shape)")
      ->check(CLI::Validator(one_line_caption, "TEXT", "one line"));
  cli.add_flag("--counts", r.counts, "with --panel comparison: the counts panel on the right");
  cli.add_option("--load", r.load_path, "open a saved state (.json beside an export)");
  cli.add_option("--bench-frames", r.bench_frames, "render N frames while sweeping, print timings")
      ->transform(decimal_integer)
      ->check(CLI::Range(1, 1000000));
  cli.add_flag("--hardware-report", hardware_report, "print the hardware models' schedules");
  cli.add_option("--dtype", r.dtype, "hardware datatype: fp32 | bf16 | int8")
      ->check(CLI::IsMember({"fp32", "bf16", "int8"}));
  cli.add_flag("--fused", r.fused, "hardware: fused attention (scores stay on chip)");
  cli.add_option("--chip", r.chips, "hardware: use this chip for its kind (repeatable)");
  cli.set_version_flag("--version", "attention-by-hand 0.1.0");
  // Every option that takes a value refuses a flag as one, before any other
  // check (a transform added last runs first).
  for (CLI::Option* option : cli.get_options())
    if (option->get_type_size() != 0)
      option->transform(CLI::Validator(not_a_flag, "", "not a flag"));

  // Exercises on paper: --trace --json, --worksheet, --example.
  bool trace = false;
  cli.add_flag("--trace", trace, "with --json: print every matrix of both computations");
  cli.add_option("--worksheet", r.worksheet_path, "write a printable exercise: out.pdf or out.svg");
  cli.add_flag("--answers", r.answers, "with --worksheet: fill in every result");
  cli.add_option("--paper", r.paper, "worksheet paper: a4 | letter")
      ->check(CLI::IsMember({"a4", "letter"}));
  auto* example = cli.add_option("--example", r.example, "sentence: a hand-set example")
                      ->check(CLI::IsMember({"sentence"}));

  ParseOutcome outcome;
  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    outcome.message = cli.help();
    return outcome;
  } catch (const CLI::CallForVersion&) {
    outcome.message = "attention-by-hand 0.1.0\n";
    return outcome;
  } catch (const CLI::ParseError& e) {
    outcome.exit_code = 2;
    outcome.message = std::string(program_name) + ": " + message_line(e.what());
    return outcome;
  }

  r.shape.kv_heads = kv_heads.value_or(r.shape.heads);
  r.shape.mla.form = mla_form == "naive" ? MlaForm::naive : MlaForm::absorbed;
  r.shape_given = seq->count() + d_model->count() + heads->count() + head_dim->count() +
                      kv->count() + causal->count() + queries->count() + batch->count() +
                      window->count() + v_head_dim->count() + mla_q->count() + mla_kv->count() +
                      mla_rope->count() + mla_form_option->count() + int(!r.model.empty()) > 0;
  if (!r.layer_kind.empty() && r.model.empty()) {
    outcome.exit_code = 2;
    outcome.message = std::string(program_name) + ": --layer-kind needs --model";
    return outcome;
  }
  for (const CLI::Option* option : cli.get_options())
    if (option->count() > 0) r.given.insert(option->get_name());

  const int modes = int{report} + int{hardware_report} + int{!r.export_path.empty()} +
                    int{r.bench_frames > 0} + int{r.list_models};
  if (modes > 1) {
    outcome.exit_code = 2;
    outcome.message =
        std::string(program_name) +
        ": choose one of --report, --hardware-report, --export, --bench-frames, --list-models";
    return outcome;
  }
  if (r.list_models) r.mode = Mode::list_models;
  if (report) r.mode = Mode::report;
  else if (hardware_report) r.mode = Mode::hardware_report;
  else if (!r.export_path.empty()) r.mode = Mode::export_png;
  else if (r.bench_frames > 0) r.mode = Mode::bench_frames;

  // Exercises on paper.
  if (const std::string error = check_exercise_flags(cli, r, trace, example, modes);
      !error.empty()) {
    outcome.exit_code = 2;
    outcome.message = std::string(program_name) + ": " + error;
    return outcome;
  }

  // With --load the flags change a loaded shape, and --model sets it from a
  // file: main validates the result.
  if (r.load_path.empty() && r.model.empty()) {
    try {
      validate(r.shape);
    } catch (const ShapeError& e) {
      outcome.exit_code = 2;
      outcome.message = std::string(program_name) + ": " + one_line(cli_message(e));
      return outcome;
    }
  }
  outcome.request = r;
  return outcome;
}

std::string flag_of(ShapeField field) {
  switch (field) {
  case ShapeField::seq: return "--seq";
  case ShapeField::d_model: return "--d-model";
  case ShapeField::heads: return "--heads";
  case ShapeField::head_dim: return "--head-dim";
  case ShapeField::kv_heads: return "--kv-heads";
  case ShapeField::queries: return "--queries";
  case ShapeField::batch: return "--batch";
  case ShapeField::window: return "--window";
  case ShapeField::v_head_dim: return "--v-head-dim";
  case ShapeField::mla_q_rank: return "--mla-q-rank";
  case ShapeField::mla_kv_rank: return "--mla-kv-rank";
  case ShapeField::mla_rope_dim: return "--mla-rope-dim";
  case ShapeField::none: break;
  }
  return "";
}

std::string cli_message(const ShapeError& error) {
  const std::string flag = flag_of(error.field());
  return flag.empty() ? error.what() : flag + ": " + error.what();
}

} // namespace abh
