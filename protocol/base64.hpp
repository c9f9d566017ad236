#pragma once
// Base64 (RFC 4648, with padding): how files a screen sends back travel inside JSON.
#include <optional>
#include <string>
#include <string_view>

namespace tablo::protocol {

std::string to_base64(std::string_view bytes);
// nullopt when `text` is not padded base64 of the standard alphabet.
std::optional<std::string> from_base64(std::string_view text);

}  // namespace tablo::protocol
