/* Writes PEM blocks with RFC 1421 encryption headers (Proc-Type: 4,ENCRYPTED, DEK-Info), the PEM-layer
   encryption ConsentGate must never ask a passphrase for. Layer passphrase: "stdin-pass". */
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/pkcs12.h>
#include <string.h>
int main(int argc, char **argv) {
    const char *layer = "stdin-pass";
    BIO *in = BIO_new_file(argv[1], "r");            /* encrypted PKCS#8, inner passphrase fixture-pass */
    X509_SIG *p8 = PEM_read_bio_PKCS8(in, NULL, NULL, NULL);
    BIO *pubin = BIO_new_file(argv[2], "r");
    EVP_PKEY *pub = PEM_read_bio_PUBKEY(pubin, NULL, NULL, NULL);
    if (!p8 || !pub) return 1;
    BIO *o1 = BIO_new_file(argv[3], "w");
    PEM_ASN1_write_bio((i2d_of_void *)i2d_X509_SIG, "ENCRYPTED PRIVATE KEY", o1, p8, EVP_aes_256_cbc(),
                       (unsigned char *)layer, strlen(layer), NULL, NULL);
    BIO *o2 = BIO_new_file(argv[4], "w");
    PEM_ASN1_write_bio((i2d_of_void *)i2d_PUBKEY, "PUBLIC KEY", o2, pub, EVP_aes_256_cbc(),
                       (unsigned char *)layer, strlen(layer), NULL, NULL);
    BIO_free(o1); BIO_free(o2);
    return 0;
}
