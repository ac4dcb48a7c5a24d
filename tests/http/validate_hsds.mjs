// validate_hsds: checks JSON documents against the HSDS 3.0 schemas
// (data/hsds-3.0/schema/compiled/*.json, and schema/taxonomy.json and
// schema/taxonomy_term.json, which have no compiled form) with Ajv, for the
// API tests (tests/http/api.py).
//
//   node validate_hsds.mjs [--page | --ndjson] SCHEMA FILE...
//
// SCHEMA is a schema's name (service, service_list, organization,
// organization_list, service_at_location, service_at_location_list,
// taxonomy, taxonomy_term). A FILE holds one JSON document; with --page it
// is an HSDS page ({"total_items", ..., "contents"}) whose every item is
// checked (and the page object's own fields); with --ndjson, one document a
// line. Prints "ok SCHEMA: N documents" or each error, and exits 1 on any
// failure (2 on bad usage).
import { readFileSync, existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const here = dirname(fileURLToPath(import.meta.url));
const schemaDir = join(here, "..", "..", "data", "hsds-3.0", "schema");

const args = process.argv.slice(2);
let mode = "one";
if (args[0] === "--page" || args[0] === "--ndjson") mode = args.shift().slice(2);
const [name, ...files] = args;
if (!name || !files.length || !/^[a-z_]+$/.test(name)) {
  console.error("usage: node validate_hsds.mjs [--page | --ndjson] SCHEMA FILE...");
  process.exit(2);
}
let path = join(schemaDir, "compiled", name + ".json");
if (!existsSync(path)) path = join(schemaDir, name + ".json");
if (!existsSync(path)) {
  console.error(`no HSDS schema named ${name}`);
  process.exit(2);
}

// HSDS schemas carry Frictionless Data keywords (name, path, constraints,
// core, datapackage_metadata, example): not strict mode.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat("csv", true); // HSDS's own format for comma-separated text
let validate;
if (path.includes("compiled")) {
  validate = ajv.compile(JSON.parse(readFileSync(path, "utf8")));
} else {
  // The plain schemas refer to each other by file name ("metadata.json").
  for (const f of readdirSync(schemaDir))
    if (f.endsWith(".json") && f !== "openapi.json")
      ajv.addSchema(JSON.parse(readFileSync(join(schemaDir, f), "utf8")), f);
  validate = ajv.getSchema(name + ".json");
}

const pageKeys = {
  total_items: "number", total_pages: "number", page_number: "number", size: "number",
  first_page: "boolean", last_page: "boolean", empty: "boolean",
};

let count = 0;
const errors = [];
function check(doc, where) {
  count++;
  if (!validate(doc)) errors.push(`${where}: ${ajv.errorsText(validate.errors, { separator: "; " })}`);
}

for (const file of files) {
  const text = readFileSync(file, "utf8");
  try {
    if (mode === "ndjson") {
      text.split("\n").forEach((line, i) => {
        if (line.trim()) check(JSON.parse(line), `${file}:${i + 1}`);
      });
    } else if (mode === "page") {
      const page = JSON.parse(text);
      for (const [k, type] of Object.entries(pageKeys))
        if (typeof page[k] !== type) errors.push(`${file}: page field ${k} is not a ${type}`);
      if (!Array.isArray(page.contents)) errors.push(`${file}: page has no contents array`);
      else {
        if (page.size !== page.contents.length) errors.push(`${file}: size ${page.size} but ${page.contents.length} items`);
        page.contents.forEach((doc, i) => check(doc, `${file} contents[${i}]`));
      }
    } else {
      check(JSON.parse(text), file);
    }
  } catch (e) {
    errors.push(`${file}: ${e.message}`);
  }
}

if (errors.length) {
  for (const e of errors.slice(0, 20)) console.log("FAIL " + e);
  console.log(`FAIL ${name}: ${errors.length} errors in ${count} documents`);
  process.exit(1);
}
console.log(`ok ${name}: ${count} documents`);
