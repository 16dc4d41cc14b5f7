#include "record/manual.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <regex>

#include "record/files.hpp"
#include "record/html_check.hpp"
#include "record/test_cases.hpp"

namespace faro::record {
namespace {

namespace fs = std::filesystem;
using faro::testing::ExpectGolden;
using testing::CaseSpec;
using testing::MakeCase;

void Add(CrisisLog& log, const nlohmann::json& j) {
  auto r = ParseIncident(j);
  ASSERT_TRUE(r.ok()) << r.status();
  log.entries.push_back({FolderName(*r), std::move(*r)});
}

// Four real incidents (two WhatsApp outages, one Instagram outage, a reputation crisis) and two
// drills, newest first as LoadCrisisLog orders them.
CrisisLog SampleLog() {
  CrisisLog log;
  Add(log, MakeCase({.id = 4, .shift_hours = 24 * 1200, .kind = "crisis", .playbook = "reputation",
                     .subject = "brand:nutricion-ana", .drill = true, .title_es = "Simulacro: pico de quejas",
                     .title_en = "Drill: a spike of complaints",
                     .worked = {"El comunicado estaba listo."}, .change = {"Nadie sabía quién aprobaba."},
                     .stable_after_min = 45}));
  Add(log, MakeCase({.id = 2, .shift_hours = 24 * 1000, .kind = "crisis", .playbook = "reputation",
                     .subject = "brand:nutricion-ana", .title_es = "Quejas por los turnos",
                     .title_en = "Complaints about appointments",
                     .worked = {"Responder uno por uno calmó a la gente."},
                     .change = {"Nadie sabía quién aprobaba."}, .stable_after_min = 300}));
  Add(log, MakeCase({.id = 12, .shift_hours = 24 * 883, .subject = "instagram", .title_es = "Instagram no carga",
                     .title_en = "Instagram does not load", .worked = {"Los anuncios se pausaron solos."},
                     .stable_after_min = 100}));
  Add(log, MakeCase({.id = 1, .shift_hours = 24 * 500, .drill = true, .title_es = "Simulacro: WhatsApp caído",
                     .title_en = "Drill: WhatsApp down", .stable_after_min = 30}));
  // Case and accents differ from #7's lesson, and the final full stop is missing: the same lesson.
  Add(log, MakeCase({.id = 3, .shift_hours = 24 * 386, .title_es = "WhatsApp no envía mensajes",
                     .title_en = "WhatsApp messages fail",
                     .worked = {"telegram respondio bien; la MAYORIA confirmo su turno por ahi", "El comunicado salió en 2 minutos."},
                     .change = {"La aprobación del comunicado tardó 12 min: sumar un aprobador suplente."},
                     .stable_after_min = 120}));
  Add(log, MakeCase({.id = 7, .shift_hours = 0}));
  return log;
}

TEST(Manual, Goldens) {
  const CrisisLog log = SampleLog();
  ExpectGolden("src/record/testdata/manual.es.md", WriteManual(log, ReportFormat::kMarkdown, Lang::kEs));
  ExpectGolden("src/record/testdata/manual.en.md", WriteManual(log, ReportFormat::kMarkdown, Lang::kEn));
  ExpectGolden("src/record/testdata/manual.es.html", WriteManual(log, ReportFormat::kHtml, Lang::kEs));
  ExpectGolden("src/record/testdata/manual.en.html", WriteManual(log, ReportFormat::kHtml, Lang::kEn));
}

TEST(Manual, GroupsByKindAndPlatformWithDrillsApart) {
  const std::string md = WriteManual(SampleLog(), ReportFormat::kMarkdown, Lang::kEn);
  const std::size_t real = md.find("## Real incidents"), drills = md.find("## Drills");
  ASSERT_NE(real, std::string::npos);
  ASSERT_NE(drills, std::string::npos);
  ASSERT_LT(real, drills);
  const std::string real_part = md.substr(real, drills - real), drill_part = md.substr(drills);
  // Real: WhatsApp (2 cases) first, then the others.
  const std::size_t wa = real_part.find("### Platform outage: whatsapp"),
                    ig = real_part.find("### Platform outage: instagram"),
                    crisis = real_part.find("### Reputation crisis");
  ASSERT_NE(wa, std::string::npos);
  ASSERT_NE(ig, std::string::npos);
  ASSERT_NE(crisis, std::string::npos);
  EXPECT_LT(wa, ig);
  EXPECT_LT(wa, crisis);
  EXPECT_EQ(real_part.find("Drill:"), std::string::npos);
  EXPECT_NE(drill_part.find("Drill: WhatsApp down"), std::string::npos);
  EXPECT_NE(drill_part.find("Drill: a spike of complaints"), std::string::npos);
  EXPECT_EQ(drill_part.find("Complaints about appointments"), std::string::npos);
  EXPECT_NE(md.find("Compiled from the crisis log (real incidents: 4; drills: 2), from 2021-10-04 to 2025-01-16."),
            std::string::npos);
}

TEST(Manual, CountsTimesDurationsStepsAndRepeatedLessons) {
  const std::string md = WriteManual(SampleLog(), ReportFormat::kMarkdown, Lang::kEs);
  const std::string wa = md.substr(md.find("### Caída de plataforma: whatsapp"));
  // 5 h 46 min 50 s and 2 h: the median of two is their mean.
  EXPECT_NE(wa.find("Casos: 2, del 2021-10-04 al 2022-10-25. Duración típica (mediana, de la apertura a la "
                    "estabilidad): 3 h 53 min (entre 2 h y 5 h 46 min)."),
            std::string::npos)
      << wa.substr(0, 400);
  EXPECT_NE(wa.find("En total: 2.468 mensajes desviados, 19.600 contactos avisados, 4 campañas pausadas, gasto "
                    "protegido: 825,00 USD; aprobaciones pedidas: 4, concedidas: 2."),
            std::string::npos);
  // The steps in the order they usually come, approvals and escalations included, with failures.
  EXPECT_NE(wa.find("| Se avisó al equipo | 2 de 2 | 2 | 0 |\n| Canal desviado a otros | 2 de 2 | 2 | 0 |\n"
                    "| Anuncios pausados | 2 de 2 | 2 | 0 |\n| Se pidió aprobación | 2 de 2 | 4 | 0 |\n"
                    "| Se escaló la aprobación | 2 de 2 | 2 | 0 |\n"),
            std::string::npos)
      << wa;
  EXPECT_NE(wa.find("| Actualización de estado | 2 de 2 | 4 | 2 |"), std::string::npos);
  const std::string ig = md.substr(md.find("### Caída de plataforma: instagram"));
  EXPECT_NE(ig.find("Casos: 1, el 2024-03-05. Duración (de la apertura a la estabilidad): 1 h 40 min."),
            std::string::npos);
  // The same lesson twice, in different case and accents: once, counted.
  EXPECT_NE(wa.find("- Telegram respondió bien; la mayoría confirmó su turno por ahí. **(2 casos)**"), std::string::npos)
      << wa;
  EXPECT_NE(wa.find("- La aprobación del comunicado tardó 12 min: sumar un aprobador suplente. **(2 casos)**"),
            std::string::npos);
  EXPECT_NE(wa.find("- El comunicado salió en 2 minutos.\n"), std::string::npos);
  // Each case links to its report.
  EXPECT_NE(wa.find("[informe](cases/2021-10-04-154410-messaging-outage-7/report.es.md)"), std::string::npos);
  // A lesson from a drill is not counted with the real incident's.
  const std::string crisis = md.substr(md.find("### Crisis de reputación"));
  EXPECT_NE(crisis.find("- Nadie sabía quién aprobaba.\n"), std::string::npos);
}

TEST(Manual, HtmlIsWellFormedAndLinksEachCase) {
  const CrisisLog log = SampleLog();
  const std::string html = WriteManual(log, ReportFormat::kHtml, Lang::kEn);
  EXPECT_EQ(testing::HtmlProblem(html), "");
  for (const LogEntry& e : log.entries)
    EXPECT_NE(html.find("<a href=\"cases/" + e.folder + "/report.en.html\">"), std::string::npos) << e.folder;
}

TEST(Manual, AnEmptyLogSaysSo) {
  CrisisLog log;
  log.problems.push_back({"/var/lib/faro/log/x/INCIDENT.json", "title: missing (it is required)"});
  log.dir = "/var/lib/faro/log";
  const std::string md = WriteManual(log, ReportFormat::kMarkdown, Lang::kEn);
  EXPECT_NE(md.find("No real incidents yet."), std::string::npos);
  EXPECT_NE(md.find("No drills yet."), std::string::npos);
  EXPECT_NE(md.find("- **x/INCIDENT.json**: title: missing (it is required)"), std::string::npos) << md;
}

TEST(Manual, FilesAndTheirLinksTravelTogether) {
  std::string pattern = (fs::temp_directory_path() / "manual-test-XXXXXX").string();
  const std::string dir = ::mkdtemp(pattern.data());
  const CrisisLog log = SampleLog();
  ASSERT_TRUE(WriteManualFiles(log, dir, Lang::kEs).ok());
  for (const char* file : {"manual.es.md", "manual.es.html"}) EXPECT_TRUE(fs::exists(fs::path(dir) / file)) << file;
  // Every link in the manual points at a file that is there.
  const std::string html = *ReadWholeFile((fs::path(dir) / "manual.es.html").string());
  const std::regex href("href=\"([^\"]+)\"");
  int links = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), href); it != std::sregex_iterator(); ++it, ++links)
    EXPECT_TRUE(fs::exists(fs::path(dir) / (*it)[1].str())) << (*it)[1].str();
  EXPECT_EQ(links, 6);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace faro::record
