// The main() of every test executable. Before any test runs, the process
// (and every binary a test starts) gets its own empty HOME and XDG folders,
// so no user setting, saved state or hardware.json on the host decides a
// result, and a fixed OpenMP thread count, so float results do not depend
// on how many cores the machine has.

#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <omp.h>

namespace {

constexpr int test_threads = 2;

class HermeticHome : public ::testing::Environment {
public:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "abh_home_XXXXXX").string();
    if (!mkdtemp(pattern.data())) std::abort();
    home_ = pattern;
    std::filesystem::create_directories(home_ + "/config");
    std::filesystem::create_directories(home_ + "/data");
    setenv("HOME", home_.c_str(), 1);
    setenv("XDG_CONFIG_HOME", (home_ + "/config").c_str(), 1);
    setenv("XDG_DATA_HOME", (home_ + "/data").c_str(), 1);
    unsetenv("ABH_DATA_DIR");
    setenv("OMP_NUM_THREADS", std::to_string(test_threads).c_str(), 1);
    omp_set_num_threads(test_threads);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(home_, ec);
  }

private:
  std::string home_;
};

} // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new HermeticHome);
  return RUN_ALL_TESTS();
}
