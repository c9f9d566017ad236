#include "config/load.hpp"
namespace tablo::config {
Settings load_string(std::string_view, std::string_view) { return {}; }
Settings load_file(const std::filesystem::path&) { return {}; }
}
