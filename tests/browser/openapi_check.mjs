// Validates real responses of `clearance serve` against its OpenAPI 3.1 document with ajv (JSON
// Schema 2020-12, the dialect of OpenAPI 3.1). Run by tests/server/api_test.cpp:
//   node openapi_check.mjs openapi.json responses.json
// responses.json: [{"method", "path" (the document's template), "status", "content_type", "body"}].
// Each response must be documented for its path, method, status and content type, and its body
// (each line of a JSON-lines body) must validate. Exit 1 naming every failure.
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";

const [docPath, responsesPath] = process.argv.slice(2);
const doc = JSON.parse(readFileSync(docPath, "utf8"));
const responses = JSON.parse(readFileSync(responsesPath, "utf8"));

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema(doc, "openapi.json");

const escape = (s) => s.replace(/~/g, "~0").replace(/\//g, "~1");
const resolve = (obj) => {
  while (obj && obj.$ref) {
    const parts = obj.$ref.replace(/^#\//, "").split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
    obj = parts.reduce((o, p) => (o ? o[p] : undefined), doc);
  }
  return obj;
};

const failures = [];
let validated = 0;
for (const r of responses) {
  const where = `${r.method} ${r.path} -> ${r.status}`;
  const op = doc.paths?.[r.path]?.[r.method.toLowerCase()];
  if (!op) {
    failures.push(`${where}: no such operation in the document`);
    continue;
  }
  const declared = op.responses?.[String(r.status)] ? String(r.status) : op.responses?.default ? "default" : null;
  if (!declared) {
    failures.push(`${where}: status not documented`);
    continue;
  }
  const response = resolve(op.responses[declared]);
  const type = (r.content_type || "").split(";")[0].trim();
  const content = response?.content?.[type];
  if (!content) {
    failures.push(`${where}: content type '${type}' not documented (has ${Object.keys(response?.content || {})})`);
    continue;
  }
  validated++;
  if (!content.schema || !/json/.test(type)) continue;  // text/csv, text/plain: a string
  // The schema by its place in the document, so that its local $refs resolve.
  const pointer = `openapi.json#/paths/${escape(r.path)}/${r.method.toLowerCase()}/responses/${declared}/content/${escape(type)}/schema`;
  const schemaRef = op.responses[declared].$ref
    ? `openapi.json#/${op.responses[declared].$ref.replace(/^#\//, "")}/content/${escape(type)}/schema`
    : pointer;
  const validate = ajv.getSchema(schemaRef) || ajv.compile({ $ref: schemaRef });
  const bodies = type === "application/x-ndjson" ? r.body.split("\n").filter((l) => l.length) : [r.body];
  for (const text of bodies) {
    let value;
    try {
      value = JSON.parse(text);
    } catch (e) {
      failures.push(`${where}: body is not JSON: ${text.slice(0, 200)}`);
      continue;
    }
    if (!validate(value))
      failures.push(`${where}: ${ajv.errorsText(validate.errors)}\n  body: ${text.slice(0, 400)}`);
  }
}
if (failures.length) {
  console.log(failures.join("\n"));
  process.exit(1);
}
console.log(`validated ${validated} responses against ${docPath}`);
