// The C view of OpenSSL's libcrypto that ConsentGate uses. Only the `Signing` module imports it.
// Stay on the non-deprecated OpenSSL 3 API.
#ifndef CONSENTGATE_COPENSSL_SHIM_H
#define CONSENTGATE_COPENSSL_SHIM_H

#define OPENSSL_API_COMPAT 30000
#define OPENSSL_NO_DEPRECATED 1

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/encoder.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/pkcs12.h>
#include <openssl/bn.h>

/// Bytes held by a memory BIO (BIO_get_mem_data is a macro and does not import into Swift).
static inline long cg_BIO_mem_data(BIO *bio, char **out) {
    return BIO_get_mem_data(bio, out);
}

#endif
