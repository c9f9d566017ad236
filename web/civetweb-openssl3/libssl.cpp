// civetweb's "libssl.so" on Debian 12: OpenSSL 3's libssl.so.3 behind it, and the one function
// civetweb 1.15 asks for by a name OpenSSL 3 no longer exports (web/https.hpp says why).
#include <openssl/ssl.h>

#undef SSL_get_peer_certificate  // OpenSSL 3: a macro for SSL_get1_peer_certificate

extern "C" __attribute__((visibility("default"))) X509* SSL_get_peer_certificate(const SSL* ssl) {
  return SSL_get1_peer_certificate(ssl);  // the caller frees it, as with OpenSSL 1.1's
}
