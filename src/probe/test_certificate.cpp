#include "probe/test_certificate.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>

#include "core/probe_url.hpp"

namespace faro {
namespace {

void WriteCertificate(const std::string& dir, const std::vector<std::string>& names) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  ASSERT_NE(key, nullptr);
  X509* cert = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(names.front().c_str()), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  std::string alt_names;
  for (const std::string& name : names)
    alt_names += (alt_names.empty() ? "" : ",") + std::string(IsIpLiteral(name) ? "IP:" : "DNS:") + name;
  const std::pair<std::string, std::string> extensions[] = {{"subjectAltName", alt_names},
                                                            {"basicConstraints", "critical,CA:TRUE"}};
  for (const auto& [ext, value] : extensions) {
    X509_EXTENSION* e = X509V3_EXT_conf(nullptr, &ctx, ext.c_str(), value.c_str());
    ASSERT_NE(e, nullptr) << ext;
    X509_add_ext(cert, e, -1);
    X509_EXTENSION_free(e);
  }
  ASSERT_GT(X509_sign(cert, key, EVP_sha256()), 0);
  FILE* f = std::fopen((dir + "/cert.pem").c_str(), "w");
  ASSERT_NE(f, nullptr) << dir;
  PEM_write_X509(f, cert);
  std::fclose(f);
  f = std::fopen((dir + "/key.pem").c_str(), "w");
  ASSERT_NE(f, nullptr) << dir;
  PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
  X509_free(cert);
  EVP_PKEY_free(key);
}

}  // namespace

std::string MakeTestCertificate(const std::vector<std::string>& names) {
  char pattern[] = "/tmp/faro-cert-XXXXXX";
  if (mkdtemp(pattern) == nullptr) {
    ADD_FAILURE() << "cannot make a folder under /tmp";
    return "";
  }
  WriteCertificate(pattern, names);
  return pattern;
}

}  // namespace faro
