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

/// The key-derivation work an encrypted PKCS#8 envelope asks for, read before anything is derived, so that a damaged or
/// hostile key file cannot make opening it run for hours: PBES2 with PBKDF2 (returns 1, `iterations` set), PBES2 with
/// scrypt (returns 2, `n`, `r`, `p` set), a PKCS#5 v1.5 or PKCS#12 scheme (returns 3, `iterations` set). 0 when the
/// parameters cannot be read as one of those (OpenSSL's decryption then reports what is wrong).
static inline int cg_pkcs8_kdf_cost(const X509_SIG *sig, uint64_t *iterations, uint64_t *n, uint64_t *r, uint64_t *p) {
    const X509_ALGOR *alg = NULL;
    X509_SIG_get0(sig, &alg, NULL);
    if (alg == NULL || alg->parameter == NULL || alg->parameter->type != V_ASN1_SEQUENCE) return 0;
    int result = 0;
    if (OBJ_obj2nid(alg->algorithm) == NID_pbes2) {
        PBE2PARAM *pbe2 = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), alg->parameter);
        if (pbe2 == NULL) return 0;
        const X509_ALGOR *kdf = pbe2->keyfunc;
        if (kdf != NULL && kdf->parameter != NULL && kdf->parameter->type == V_ASN1_SEQUENCE) {
            int nid = OBJ_obj2nid(kdf->algorithm);
            if (nid == NID_id_pbkdf2) {
                PBKDF2PARAM *k = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM), kdf->parameter);
                if (k != NULL) {
                    if (ASN1_INTEGER_get_uint64(iterations, k->iter) == 1) result = 1;
                    PBKDF2PARAM_free(k);
                }
            } else if (nid == NID_id_scrypt) {
                SCRYPT_PARAMS *s = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(SCRYPT_PARAMS), kdf->parameter);
                if (s != NULL) {
                    if (ASN1_INTEGER_get_uint64(n, s->costParameter) == 1 && ASN1_INTEGER_get_uint64(r, s->blockSize) == 1
                        && ASN1_INTEGER_get_uint64(p, s->parallelizationParameter) == 1) result = 2;
                    SCRYPT_PARAMS_free(s);
                }
            }
        }
        PBE2PARAM_free(pbe2);
    } else {
        PBEPARAM *pbe = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBEPARAM), alg->parameter);
        if (pbe != NULL) {
            if (ASN1_INTEGER_get_uint64(iterations, pbe->iter) == 1) result = 3;
            PBEPARAM_free(pbe);
        }
    }
    return result;
}

/// The PBES2 algorithms of an encrypted PKCS#8 envelope, read without the passphrase: the NID of the encryption scheme
/// (`cipher`, e.g. NID_aes_256_cbc) and, for PBKDF2, of its pseudo-random function (`prf`; NID_hmacWithSHA1 when the
/// parameters leave it out, as the standard defaults). Returns 1 when the envelope is PBES2 and both could be read
/// (`prf` is 0 for scrypt), 0 otherwise (a PKCS#5 v1.5 or PKCS#12 scheme, or unreadable parameters).
static inline int cg_pkcs8_pbes2_algorithms(const X509_SIG *sig, int *cipher, int *prf) {
    const X509_ALGOR *alg = NULL;
    X509_SIG_get0(sig, &alg, NULL);
    *cipher = 0; *prf = 0;
    if (alg == NULL || alg->parameter == NULL || alg->parameter->type != V_ASN1_SEQUENCE) return 0;
    if (OBJ_obj2nid(alg->algorithm) != NID_pbes2) return 0;
    PBE2PARAM *pbe2 = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), alg->parameter);
    if (pbe2 == NULL) return 0;
    int result = 0;
    if (pbe2->encryption != NULL && pbe2->keyfunc != NULL) {
        *cipher = OBJ_obj2nid(pbe2->encryption->algorithm);
        result = 1;
        if (OBJ_obj2nid(pbe2->keyfunc->algorithm) == NID_id_pbkdf2) {
            *prf = NID_hmacWithSHA1;
            const X509_ALGOR *kdf = pbe2->keyfunc;
            if (kdf->parameter != NULL && kdf->parameter->type == V_ASN1_SEQUENCE) {
                PBKDF2PARAM *k = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM), kdf->parameter);
                if (k != NULL) {
                    if (k->prf != NULL) *prf = OBJ_obj2nid(k->prf->algorithm);
                    PBKDF2PARAM_free(k);
                } else {
                    result = 0;
                }
            } else {
                result = 0;
            }
        }
    }
    PBE2PARAM_free(pbe2);
    return result;
}

#endif
