#pragma once
// Provider payloads shared by the inbox tests, byte for byte as the providers send them.
#include <string_view>

namespace faro::inbox::fixtures {

// WhatsApp Cloud inbound text: a single line, no trailing newline, 448 bytes. Signed with the
// app secret "test_app_secret" it gives golden vector S2.
inline constexpr std::string_view kWhatsAppInbound =
    R"json({"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],"messages":[{"from":"16505551234","id":"wamid.TEST1","timestamp":"1749416383","type":"text","text":{"body":"Does it come in another color?"}}]},"field":"messages"}]}]})json";
inline constexpr std::string_view kWhatsAppInboundSignature =
    "sha256=0c923f9277e1525fed6e590fa820d08c7dc87df72e98ab2522d2de5bcc447f10";

// WhatsApp Cloud status: the message above failed with 131047 (24-hour window closed).
inline constexpr std::string_view kWhatsAppFailedStatus =
    R"json({"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"statuses":[{"id":"wamid.TEST1","status":"failed","timestamp":"1749416400","recipient_id":"16505551234","errors":[{"code":131047,"title":"Re-engagement message","message":"Re-engagement message","error_data":{"details":"More than 24 hours have passed since the recipient last replied to the sender number."}}]}]},"field":"messages"}]}]})json";

}  // namespace faro::inbox::fixtures
