// The "zoom together" choice is saved with the view options and read back;
// a value of the wrong type is refused in one line.

#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "app/io/state_json.hpp"

namespace {

TEST(ZoomTogetherState, DefaultsOnAndRoundTrips) {
  EXPECT_TRUE(abh::AppState{}.view.zoom_together);
  EXPECT_TRUE(abh::state_from_json(nlohmann::json::object()).view.zoom_together);
  abh::AppState s;
  s.view.zoom_together = false;
  const nlohmann::json j = abh::state_to_json(s);
  EXPECT_EQ(j.at("view").at("zoom_together"), false);
  EXPECT_FALSE(abh::state_from_json(j).view.zoom_together);
}

TEST(ZoomTogetherState, AWrongTypeIsRefused) {
  nlohmann::json j = abh::state_to_json(abh::AppState{});
  j["view"]["zoom_together"] = "yes";
  try {
    abh::state_from_json(j);
    FAIL() << "a string accepted as zoom_together";
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("zoom_together"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

} // namespace
