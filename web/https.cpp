#include "web/https.hpp"

#include <dlfcn.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <system_error>

#include "web/server.hpp"

namespace tablo::web {
namespace {

namespace fs = std::filesystem;

// OpenSSL's last error in its words, e.g. "error:0A00018F:SSL routines::ee key too small".
std::string openssl_error() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "no reason given";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

}  // namespace

fs::path civetweb_openssl_folder() {
  std::error_code ignored;
  const fs::path installed =
      fs::read_symlink("/proc/self/exe", ignored).parent_path().parent_path() / "lib/tablo/civetweb-openssl3";
  if (fs::exists(installed / "libssl.so")) return installed;
  return TABLO_CIVETWEB_OPENSSL_BUILD;
}

void open_openssl_for_civetweb(const fs::path& folder) {
  // libcrypto first: libssl's functions need it. Kept open for the program's life.
  for (const char* name : {"libcrypto.so", "libssl.so"}) {
    const fs::path file = folder / name;
    if (!::dlopen(file.c_str(), RTLD_NOW | RTLD_NODELETE)) {
      const char* why = ::dlerror();
      throw ServeError("cannot serve HTTPS: tablo-web's OpenSSL 3 library for civetweb " + file.string() +
                       " does not open (" + (why ? why : "no reason given") +
                       "). Reinstall the tablo package (it ships that folder) and libssl3");
    }
  }
}

std::string use_certificate(void* ssl_ctx, const std::string& certificate, const std::string& private_key) {
  auto* ctx = static_cast<SSL_CTX*>(ssl_ctx);
  ERR_clear_error();
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  // A key with a passphrase is refused, not asked for on a terminal a service does not have.
  SSL_CTX_set_default_passwd_cb(ctx, [](char*, int, int, void*) { return 0; });
  if (SSL_CTX_use_certificate_chain_file(ctx, certificate.c_str()) != 1)
    return "web.certificate " + certificate + " cannot be used (" + openssl_error() +
           "): give a PEM file with the certificate first, then any intermediate certificates";
  if (SSL_CTX_use_PrivateKey_file(ctx, private_key.c_str(), SSL_FILETYPE_PEM) != 1) {
    const bool other_key = ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH;
    if (!other_key)
      return "web.private_key " + private_key + " cannot be used (" + openssl_error() +
             "): give the certificate's private key as a PEM file without a passphrase, readable by the tablo user";
  }
  if (SSL_CTX_check_private_key(ctx) != 1)
    return "web.private_key " + private_key + " is not the key of web.certificate " + certificate + " (" +
           openssl_error() + "): give the key the certificate was made for";
  return "";
}

std::string check_certificate(const std::string& certificate, const std::string& private_key) {
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_server_method()), &SSL_CTX_free);
  if (!ctx) return "OpenSSL cannot make a TLS context (" + openssl_error() + ")";
  return use_certificate(ctx.get(), certificate, private_key);
}

}  // namespace tablo::web
