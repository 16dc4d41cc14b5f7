#pragma once
// For the probe's tests: a self-signed P-256 certificate (a CA of its own) naming one IP
// address, written as cert.pem and key.pem into a folder. Tests trust it with --ca-file.
#include <string>

namespace faro {

// Fails the calling test (gtest) if OpenSSL cannot make it.
void WriteTestCertificate(const std::string& dir, const std::string& ip);

}  // namespace faro
