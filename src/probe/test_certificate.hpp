#pragma once
// For the probe's tests: a self-signed P-256 certificate (a CA of its own) naming IP addresses
// or host names (wildcards as given), written as cert.pem and key.pem into a new folder under /tmp. Tests trust it with
// --ca-file and remove the folder when done.
#include <string>
#include <vector>

namespace faro {

// Returns the folder; fails the calling test (gtest) if it cannot be made.
std::string MakeTestCertificate(const std::vector<std::string>& names);

}  // namespace faro
