#pragma once
// For the probe's tests: a self-signed P-256 certificate (a CA of its own) naming one IP
// address, written as cert.pem and key.pem into a new folder under /tmp. Tests trust it with
// --ca-file and remove the folder when done.
#include <string>

namespace faro {

// Returns the folder; fails the calling test (gtest) if it cannot be made.
std::string MakeTestCertificate(const std::string& ip);

}  // namespace faro
