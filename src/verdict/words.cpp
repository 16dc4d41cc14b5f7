#include "verdict/words.hpp"

#include "core/strings.hpp"

namespace faro {
namespace {

std::string Names(const std::vector<std::string>& names) { return Join(names, ", "); }

// Where to move customers: channels that do not share the failing platform's fate.
std::string Alternatives(const std::string& name, Lang lang) {
  const bool meta = name == "WhatsApp" || name == "Instagram" || name == "Facebook" || name == "Messenger";
  const bool es = lang == Lang::kEs;
  if (meta) return es ? "Telegram, email, SMS o una línea de teléfono" : "Telegram, email, SMS or a phone line";
  if (name == "Telegram") return es ? "WhatsApp, email, SMS o una línea de teléfono" : "WhatsApp, email, SMS or a phone line";
  return es ? "WhatsApp, Telegram, email o SMS" : "WhatsApp, Telegram, email or SMS";
}

}  // namespace

std::string_view VerdictWords(VerdictKind kind, Scope scope, Lang lang) {
  const bool es = lang == Lang::kEs;
  switch (kind) {
    case VerdictKind::kUp: return es ? "funciona" : "works";
    case VerdictKind::kDegraded: return es ? "lento o inestable" : "slow or unstable";
    case VerdictKind::kPartial: return es ? "falla en parte" : "partly failing";
    case VerdictKind::kDown:
      switch (scope) {
        case Scope::kGlobal: return es ? "caído para todos" : "down for everyone";
        case Scope::kRegional: return es ? "caído en tu región" : "down in your region";
        default: return es ? "caído (sin confirmar)" : "down (unconfirmed)";
      }
    case VerdictKind::kLocalNetwork: return es ? "es tu conexión" : "it's your connection";
    case VerdictKind::kLocalDns: return es ? "es tu DNS" : "it's your DNS";
    case VerdictKind::kUnknown: return es ? "no se sabe" : "unclear";
  }
  return "";
}

std::string_view CauseWords(Cause cause, Lang lang) {
  const bool es = lang == Lang::kEs;
  switch (cause) {
    case Cause::kDnsServfail: return es ? "el DNS responde SERVFAIL" : "DNS answers SERVFAIL";
    case Cause::kDnsNxdomain: return es ? "el nombre no existe en el DNS" : "the name does not exist in DNS";
    case Cause::kDnsTimeout: return es ? "el DNS no responde" : "DNS does not answer";
    case Cause::kTcpRefused: return es ? "la conexión es rechazada" : "connections are refused";
    case Cause::kTcpTimeout: return es ? "no se puede conectar" : "connections time out";
    case Cause::kTls: return es ? "falla el certificado o la conexión segura (TLS)" : "the certificate or secure connection (TLS) fails";
    case Cause::kHttp5xx: return es ? "los servidores responden con error (5xx)" : "servers answer with errors (5xx)";
    case Cause::kHttp429: return es ? "limita las peticiones (429)" : "requests are rate-limited (429)";
    case Cause::kHttp4xx: return es ? "rechaza las peticiones (4xx)" : "requests are rejected (4xx)";
    case Cause::kSlow: return es ? "responde muy lento" : "answers very slowly";
    case Cause::kApp: return es ? "responde, pero no lo esperado" : "answers, but not as expected";
    case Cause::kNone: return "";
  }
  return "";
}

std::string Summarise(const Verdict& v, const SummaryFacts& f, Lang lang) {
  const bool es = lang == Lang::kEs;
  const UnitSummary& h = f.here;
  const std::string ok_count = StrCat(h.units - h.failed, "/", h.units);
  switch (v.kind) {
    case VerdictKind::kUp:
    case VerdictKind::kDegraded: {
      std::string s = es ? StrCat(f.name, " funciona desde aquí (", ok_count, " comprobaciones bien")
                         : StrCat(f.name, " works from here (", ok_count, " checks fine");
      if (!f.working_vantages.empty()) StrAppend(s, es ? "; también desde " : "; also from ", Names(f.working_vantages));
      StrAppend(s, ")");
      if (v.kind == VerdictKind::kDegraded)
        StrAppend(s, es ? ", pero " : ", but ", v.cause == Cause::kSlow ? CauseWords(Cause::kSlow, lang)
                                                                      : (es ? "solo al reintentar" : "only on retry"));
      return s + ".";
    }
    case VerdictKind::kLocalNetwork:
      return es ? StrCat("Tu conexión no funciona (", f.local_detail == "no network link" ? "sin enlace de red"
                                                       : f.local_detail == "no default route" ? "sin ruta por defecto"
                                                       : "fallan los sitios de referencia", "): no se puede saber nada de ", f.name, ".")
                : StrCat("Your connection is down (", f.local_detail, "): nothing can be said about ", f.name, ".");
    case VerdictKind::kLocalDns:
      return es ? StrCat("Tu DNS no resuelve ", f.name, " (", CauseWords(v.cause, lang), "), pero otros servidores DNS sí.")
                : StrCat("Your DNS fails for ", f.name, " (", CauseWords(v.cause, lang), "), but other resolvers answer.");
    case VerdictKind::kUnknown:
      if (h.units == 0) return es ? StrCat("No hay pruebas sobre ", f.name, ".") : StrCat("No evidence about ", f.name, ".");
      return es ? StrCat(f.name, " falla desde aquí, pero también fallan algunos sitios de referencia: las pruebas se contradicen.")
                : StrCat(f.name, " fails from here, but some reference hosts fail too: the evidence conflicts.");
    case VerdictKind::kPartial:
    case VerdictKind::kDown: break;
  }
  std::string s;
  if (h.AnyFailed()) {
    s = es ? StrCat(f.name, ": fallan ", h.failed, " de ", h.units, " comprobaciones (", CauseWords(v.cause, lang), ")")
           : StrCat(f.name, ": ", h.failed, " of ", h.units, " checks fail (", CauseWords(v.cause, lang), ")");
  } else {
    s = es ? StrCat(f.name, " funciona desde aquí, pero falla desde ", Names(f.agreeing_vantages), " (", CauseWords(v.cause, lang), ")")
           : StrCat(f.name, " works from here but fails from ", Names(f.agreeing_vantages), " (", CauseWords(v.cause, lang), ")");
    return s + ".";
  }
  switch (v.scope) {
    case Scope::kGlobal:
      if (!f.agreeing_vantages.empty())
        StrAppend(s, es ? "; lo mismo desde " : "; the same from ", Names(f.agreeing_vantages));
      if (f.public_dns_agrees) StrAppend(s, es ? "; los DNS públicos también fallan" : "; public resolvers fail too");
      if (f.feed_confirms) StrAppend(s, es ? "; la página de estado oficial informa un incidente" : "; the official status page reports an incident");
      break;
    case Scope::kRegional:
      StrAppend(s, es ? "; funciona desde " : "; works from ", Names(f.working_vantages));
      if (!f.agreeing_vantages.empty()) StrAppend(s, es ? "; falla también desde " : "; fails from ", Names(f.agreeing_vantages), " too");
      break;
    default:
      StrAppend(s, es ? "; no hay otro punto de vista que lo confirme" : "; no other vantage point to confirm it");
  }
  return s + ".";
}

std::vector<std::string> Advise(const Verdict& v, const SummaryFacts& f, Lang lang) {
  const bool es = lang == Lang::kEs;
  const bool platform = f.kind == TargetKind::kPlatform;
  const std::string alts = Alternatives(f.name, lang);
  switch (v.kind) {
    case VerdictKind::kUp:
      return {};
    case VerdictKind::kDegraded:
      return {es ? std::string("Funciona con demoras: avisa a tus clientes que las respuestas pueden tardar y vuelve a comprobar en unos minutos.")
                 : std::string("It works, with delays: tell customers replies may take longer, and check again in a few minutes.")};
    case VerdictKind::kPartial:
      return {es ? StrCat("Parte de ", f.name, " falla: mensajes, accesos o archivos pueden no llegar. Ofrece a tus clientes otra vía (", alts, ").")
                 : StrCat("Part of ", f.name, " fails: messages, logins or media may not get through. Offer customers another way (", alts, ")."),
              es ? std::string("Sigue las menciones y comentarios: cómo se comporta la gente y adónde se mueve.")
                 : std::string("Watch mentions and comments: how people behave and where they move.")};
    case VerdictKind::kLocalNetwork:
      return {es ? std::string("Es tu conexión: revisa el Wi-Fi o el cable y el router, o usa datos móviles. Las plataformas probablemente funcionan.")
                 : std::string("It's your connection: check the Wi-Fi or cable and the router, or switch to mobile data. The platforms are probably fine.")};
    case VerdictKind::kLocalDns:
      return {es ? std::string("Es tu DNS: cambia el DNS (por ejemplo a 1.1.1.1 o 8.8.8.8) o usa datos móviles.")
                 : std::string("It's your DNS: change your DNS (for example to 1.1.1.1 or 8.8.8.8) or use mobile data.")};
    case VerdictKind::kUnknown:
      return {es ? std::string("Las pruebas se contradicen: vuelve a comprobar en un minuto, si puedes desde otra red (datos móviles).")
                 : std::string("The evidence conflicts: check again in a minute, from another network (mobile data) if you can.")};
    case VerdictKind::kDown: break;
  }
  switch (v.scope) {
    case Scope::kGlobal:
      return {
          es ? StrCat("Pon en marcha tu plan de contingencia: mueve a tus clientes a un canal que funcione (", alts, ").")
             : StrCat("Start your contingency plan: move customers to a channel that works (", alts, ")."),
          platform ? (es ? StrCat("Pausa los anuncios en ", f.name, " y avisa a tu superior.")
                         : StrCat("Pause ads on ", f.name, " and tell your superior."))
                   : (es ? StrCat("Pausa los anuncios que llevan a ", f.name, " y avisa a tu superior.")
                         : StrCat("Pause ads that lead to ", f.name, " and tell your superior.")),
          es ? std::string("Publica un aviso breve en tus otros canales: sabes lo que pasa y dónde encontrarte.")
             : std::string("Post a short notice on your other channels: you know what is happening and where to reach you."),
          es ? std::string("No es tu teléfono ni tu conexión: no reinstales ni reinicies nada.")
             : std::string("It is not your phone or your connection: do not reinstall or reset anything.")};
    case Scope::kRegional:
      return {es ? StrCat("Falla en algunos lugares y funciona en otros: ofrece un canal alternativo (", alts, ") a los clientes de la zona afectada y sigue observando.")
                 : StrCat("It fails in some places and works in others: offer customers in the affected area another channel (", alts, ") and keep watching.")};
    default:
      return {es ? std::string("Falla desde aquí y nada lo confirma todavía: prueba desde otra red (datos móviles) o añade un punto de vista con --vantage. Si sigue, pon en marcha tu plan de contingencia.")
                 : std::string("It fails from here and nothing confirms it yet: try another network (mobile data) or add a vantage point with --vantage. If it persists, start your contingency plan.")};
  }
}

}  // namespace faro
