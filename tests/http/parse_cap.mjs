// Parses CAP 1.2 messages with an independent library (@dec112/cap-ts, from
// npm) and prints what it read as JSON, one object per file named on the
// command line, so suite_alerts.py can compare it with what Waypost meant
// to write. Exits 1 (naming the file) when the library refuses a message.
import { readFileSync } from "node:fs";
import { CAP_1_2 } from "@dec112/cap-ts";

const out = [];
for (const file of process.argv.slice(2)) {
  const xml = readFileSync(file, "utf8");
  let a;
  try {
    a = await CAP_1_2.Alert.fromXML(xml);
  } catch (e) {
    console.error(`${file}: the CAP library refused it: ${e && e.message ? e.message : e}`);
    process.exit(1);
  }
  const str = (v) => (v === undefined || v === null ? null : String(v));
  out.push({
    identifier: str(a.identifier),
    sender: str(a.sender),
    sent: str(a.sent),
    status: CAP_1_2._to_string_Alert_status(a.status),
    msgType: CAP_1_2._to_string_Alert_msgType(a.msgType),
    scope: CAP_1_2._to_string_Alert_scope(a.scope),
    references: str(a.references),
    info: (a.info_list || []).map((i) => ({
      headline: str(i.headline),
      urgency: CAP_1_2._to_string_Alert_info_list_info_urgency(i.urgency),
      severity: CAP_1_2._to_string_Alert_info_list_info_severity(i.severity),
      certainty: CAP_1_2._to_string_Alert_info_list_info_certainty(i.certainty),
      onset: str(i.onset),
      categories: (i.category_list || []).map((c) => CAP_1_2._to_string_Alert_info_list_info_category_list_category(c)),
      expires: str(i.expires),
      areas: (i.area_list || []).map((ar) => ({ areaDesc: str(ar.areaDesc), circles: (ar.circle_list || []).map(str) })),
    })),
  });
}
console.log(JSON.stringify(out));
