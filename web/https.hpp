#pragma once
// HTTPS from tablo-web itself, with Debian 12's civetweb 1.15 and OpenSSL 3.
//
// That civetweb opens OpenSSL at run time (dlopen) by the names "libssl.so" and "libcrypto.so",
// files of libssl-dev only, and asks there for SSL_get_peer_certificate, which OpenSSL 3 no
// longer exports (a macro since 3.0; civetweb issue #1334). Without it civetweb refuses to start
// HTTPS ("cannot find SSL_get_peer_certificate"), or, given a certificate through its init_ssl
// callback, starts with its table of OpenSSL functions empty and the first HTTPS connection jumps
// to address 0. So before civetweb starts, tablo-web opens two small libraries of its own
// (web/civetweb-openssl3/) whose sonames are those two names: civetweb's dlopen finds them already
// loaded, and through them OpenSSL 3's libssl.so.3 and libcrypto.so.3, plus that one function.
// The certificate and key are then loaded by tablo-web with OpenSSL 3 itself (two files, a
// chain, TLS 1.2 at least), so that a bad file is named at start.
#include <filesystem>
#include <string>

namespace tablo::web {

// The folder of those two libraries: PREFIX/lib/tablo/civetweb-openssl3 beside the program,
// else the build folder's.
std::filesystem::path civetweb_openssl_folder();

// Opens them; throws ServeError (web/server.hpp) naming the file and what to do.
void open_openssl_for_civetweb(const std::filesystem::path& folder);

// Loads the certificate (chain) and its private key into `ssl_ctx` (an OpenSSL SSL_CTX) and
// asks for TLS 1.2 or newer. Returns what is wrong, naming the file, or "".
std::string use_certificate(void* ssl_ctx, const std::string& certificate, const std::string& private_key);

// The same, on a context of its own: the files are checked before civetweb starts.
std::string check_certificate(const std::string& certificate, const std::string& private_key);

}  // namespace tablo::web
