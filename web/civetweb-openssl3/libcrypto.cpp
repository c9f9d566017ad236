// civetweb's "libcrypto.so" on Debian 12: nothing of its own, only OpenSSL 3's libcrypto.so.3
// behind it (linked as needed or not), for the names civetweb 1.15 looks up there.
