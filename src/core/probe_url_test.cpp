#include "core/probe_url.hpp"

#include <gtest/gtest.h>

namespace faro {
namespace {

TEST(ProbeUrl, HttpsDefaultsPort443AndNormalisesPath) {
  auto url = ParseProbeUrl("https://web.whatsapp.com");
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(url->scheme, Scheme::kHttps);
  EXPECT_EQ(url->host, "web.whatsapp.com");
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->text, "https://web.whatsapp.com/");
  EXPECT_EQ(url->target, "/");
  EXPECT_FALSE(url->host_is_ip);
}

TEST(ProbeUrl, HttpDefaultsPort80) {
  auto url = ParseProbeUrl("http://127.0.0.1:8080/health?x=1");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->port, 8080);
  EXPECT_TRUE(url->host_is_ip);
  EXPECT_TRUE(url->SpeaksHttp());
  EXPECT_EQ(url->target, "/health?x=1");  // the fragment of a URL is never sent
  EXPECT_EQ(ParseProbeUrl("https://example.com/a%20b?q=caído#top")->target, "/a%20b?q=caído");
}

TEST(ProbeUrl, TcpAndTlsNeedAPort) {
  auto tcp = ParseProbeUrl("tcp://e1.whatsapp.net:5222");
  ASSERT_TRUE(tcp.ok());
  EXPECT_EQ(tcp->scheme, Scheme::kTcp);
  EXPECT_EQ(tcp->port, 5222);
  EXPECT_EQ(tcp->text, "tcp://e1.whatsapp.net:5222");
  auto no_port = ParseProbeUrl("tls://imap.gmail.com");
  ASSERT_FALSE(no_port.ok());
  EXPECT_NE(no_port.status().message().find("needs a port"), std::string::npos);
}

TEST(ProbeUrl, Ipv6LiteralLosesBrackets) {
  auto url = ParseProbeUrl("tcp://[::1]:443");
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(url->host, "::1");
  EXPECT_TRUE(url->host_is_ip);
}

TEST(ProbeUrl, RejectsWhatItCannotCheck) {
  for (const char* bad : {"", "ftp://x.com/", "whatsapp", "https://", "http://exa mple.com/",
                          "tcp://host:99999", "tcp://host:443/path"}) {
    EXPECT_FALSE(ParseProbeUrl(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace faro
