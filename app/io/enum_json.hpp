#pragma once
// The one spelling of each enum the files and the command line use
// (nlohmann's NLOHMANN_JSON_SERIALIZE_ENUM). These spellings are on disk in
// saved states: never change one.

#include <initializer_list>
#include <iterator>
#include <type_traits>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "app/io/app_state.hpp"
#include "core/values.hpp"
#include "core/wqkv_layout.hpp"

namespace abh {

// nlohmann reads an unknown spelling as the first entry: read_enum (in
// state_json.cpp) refuses it instead.
NLOHMANN_JSON_SERIALIZE_ENUM(ValueMode, {{ValueMode::by_hand, "by_hand"},
                                         {ValueMode::small_integers, "small_integers"},
                                         {ValueMode::gaussian, "gaussian"},
                                         {ValueMode::sentence, "sentence"}})
NLOHMANN_JSON_SERIALIZE_ENUM(WqkvLayout, {{WqkvLayout::triples, "triples"},
                                          {WqkvLayout::blocks, "blocks"}})
NLOHMANN_JSON_SERIALIZE_ENUM(Theme, {{Theme::dark, "dark"}, {Theme::light, "light"}})
NLOHMANN_JSON_SERIALIZE_ENUM(Granularity, {{Granularity::stage, "stage"},
                                           {Granularity::cell, "cell"},
                                           {Granularity::multiply, "multiply"}})

// Spelling → value, from the tables above (for a command-line transformer).
template <typename Values> auto spellings(const Values& values) {
  using Enum = std::decay_t<decltype(*std::begin(values))>;
  std::map<std::string, Enum> out;
  for (const Enum value : values) out.emplace(nlohmann::json(value).get<std::string>(), value);
  return out;
}

// "a, b or c": the spellings, for messages.
template <typename Values> std::string spelling_list(const Values& values) {
  std::string out;
  std::size_t i = 0;
  const std::size_t count = std::size(values);
  for (const auto value : values) {
    out += (i == 0 ? "" : i + 1 == count ? " or " : ", ");
    out += nlohmann::json(value).get<std::string>();
    ++i;
  }
  return out;
}

// all_value_modes: core/values.hpp; all_granularities: core/stepper.hpp.
inline constexpr std::initializer_list<WqkvLayout> all_layouts{WqkvLayout::triples,
                                                               WqkvLayout::blocks};
inline constexpr std::initializer_list<Theme> all_themes{Theme::dark, Theme::light};

} // namespace abh
