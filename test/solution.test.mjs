// The Dataverse solution zip that scripts/solution.mjs writes beside dist/consentguard.js: its files, the
// manifest, the environment variable, the Delete ribbon on account, contact and lead, and customizations.xml
// against Microsoft's schema (xmllint, from `npm run setup`; the schemas sit in ../shared beside the project).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { crc32, inflateRawSync } from "node:zlib";
import { writeSolution } from "../scripts/solution.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = join(root, "dist");
const XSD = join(root, "..", "shared", "reference", "schemas", "CustomizationsSolution.xsd");
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const zipName = `ConsentGuard_${version.split(/[-+]/)[0].replaceAll(".", "_")}_0.zip`;
const ENTITIES = ["account", "contact", "lead"];
const LANGUAGES = ["1033", "1043", "1031", "1036"];
const LIBRARY = "$webresource:cg_consentguard.js";
const SETTINGS_PATH = "environmentvariabledefinitions/cg_ConsentGuardSettings/environmentvariabledefinition.xml";

/** The entries of a zip, by name, in central directory order; every entry's sizes and CRC-32 are checked. */
function readZip(bytes) {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, "end of central directory record");
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const entries = new Map();
  for (let i = 0; i < count; i++) {
    assert.equal(bytes.readUInt32LE(at), 0x02014b50, "central directory header");
    const method = bytes.readUInt16LE(at + 10);
    const crc = bytes.readUInt32LE(at + 16);
    const packedSize = bytes.readUInt32LE(at + 20);
    const size = bytes.readUInt32LE(at + 24);
    const nameLength = bytes.readUInt16LE(at + 28);
    const skip = nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    const name = bytes.toString("utf8", at + 46, at + 46 + nameLength);
    const local = bytes.readUInt32LE(at + 42);
    assert.equal(bytes.readUInt32LE(local), 0x04034b50, `${name}: local header`);
    assert.equal(bytes.readUInt32LE(local + 14), crc, `${name}: local header CRC-32`);
    assert.equal(bytes.toString("utf8", local + 30, local + 30 + bytes.readUInt16LE(local + 26)), name, `${name}: local header name`);
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const packed = bytes.subarray(start, start + packedSize);
    const data = method === 8 ? inflateRawSync(packed) : Buffer.from(packed);
    assert.equal(data.length, size, `${name}: size`);
    assert.equal(crc32(data), crc, `${name}: CRC-32`);
    entries.set(name, data);
    at += 46 + skip;
  }
  return entries;
}

const entries = readZip(readFileSync(join(dist, zipName)));
const text = (name) => entries.get(name).toString("utf8");

/** Runs xmllint on files written to a temporary folder; fails (never skips) when xmllint is missing. */
function xmllint(args, files) {
  const dir = mkdtempSync(join(tmpdir(), "cg-xmllint-"));
  try {
    const paths = Object.entries(files).map(([name, content]) => {
      writeFileSync(join(dir, name), content);
      return join(dir, name);
    });
    const run = spawnSync("xmllint", [...args, ...paths], { encoding: "utf8" });
    if (run.error?.code === "ENOENT") assert.fail("xmllint is missing: run `npm run setup` (it installs libxml2-utils)");
    if (run.error) throw run.error;
    return run;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const validate = (xml) => xmllint(["--noout", "--schema", XSD], { "customizations.xml": xml });

/** The attributes of each `<tag …>` in xml, as objects. */
function elements(xml, tag) {
  return [...xml.matchAll(new RegExp(`<${tag}\\b([^>]*?)/?>`, "g"))].map((m) =>
    Object.fromEntries([...m[1].matchAll(/([\w:.]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])),
  );
}
/** The content of the first `<tag …>…</tag>` in xml. */
const inner = (xml, tag) => new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)</${tag}>`).exec(xml)?.[1];

test("the zip in dist/ carries package.json's version and holds exactly the solution's files", () => {
  assert.match(zipName, /^ConsentGuard_\d+_\d+_\d+_0\.zip$/);
  assert.deepEqual(
    [...entries.keys()].sort(),
    ["[Content_Types].xml", "WebResources/cg_consentguard.js", "customizations.xml", SETTINGS_PATH, "solution.xml"].sort(),
  );
  assert.deepEqual(
    elements(text("[Content_Types].xml"), "Default").map((d) => d.Extension),
    ["xml", "js"],
  );
});

test("customizations.xml validates against Microsoft's CustomizationsSolution.xsd", () => {
  const run = validate(text("customizations.xml"));
  assert.equal(run.status, 0, run.stderr);
});

test("the schema check catches a misspelt element and a web resource without its name", () => {
  const xml = text("customizations.xml");
  const misspelt = xml.replace(/<WebResourceType>(.*?)<\/WebResourceType>/, "<WebResourceTyp>$1</WebResourceTyp>");
  assert.notEqual(misspelt, xml);
  let run = validate(misspelt);
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /WebResourceTyp\b/);
  const nameless = xml.replace(/\s*<Name>cg_consentguard\.js<\/Name>/, "");
  assert.notEqual(nameless, xml);
  run = validate(nameless);
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /Element 'DisplayName': This element is not expected\. Expected is \( Name \)/);
});

test("solution.xml names the solution, its version, its publisher and exactly its root components", () => {
  const xml = text("solution.xml");
  const manifest = inner(xml, "SolutionManifest");
  const publisher = inner(manifest, "Publisher");
  const own = manifest.replace(publisher, "");
  assert.equal(inner(own, "UniqueName"), "ConsentGuard");
  assert.equal(inner(own, "Version"), `${version.split(/[-+]/)[0]}.0`);
  assert.equal(inner(own, "Managed"), "0");
  assert.deepEqual(
    elements(inner(own, "LocalizedNames"), "LocalizedName").map((n) => n.languagecode),
    LANGUAGES,
  );
  assert.deepEqual(
    elements(inner(own, "Descriptions"), "Description").map((n) => n.languagecode),
    LANGUAGES,
  );
  assert.equal(inner(publisher, "UniqueName"), "consentguard");
  assert.equal(inner(publisher, "CustomizationPrefix"), "cg");
  assert.deepEqual(elements(inner(manifest, "RootComponents"), "RootComponent"), [
    { type: "61", schemaName: "cg_consentguard.js", behavior: "0" },
    { type: "380", schemaName: "cg_ConsentGuardSettings", behavior: "0" },
    ...ENTITIES.map((e) => ({ type: "1", schemaName: e, behavior: "2" })),
  ]);
  const run = xmllint(["--noout"], { "solution.xml": xml, "environmentvariabledefinition.xml": text(SETTINGS_PATH) });
  assert.equal(run.status, 0, run.stderr);
});

test("the settings environment variable is JSON, empty by default, with no current value shipped", () => {
  const xml = text(SETTINGS_PATH);
  assert.equal(elements(xml, "environmentvariabledefinition")[0].schemaname, "cg_ConsentGuardSettings");
  assert.equal(inner(xml, "type"), "100000003");
  assert.deepEqual(JSON.parse(inner(xml, "defaultvalue")), {});
  assert.deepEqual(
    elements(inner(xml, "displayname"), "label").map((l) => l.languagecode),
    LANGUAGES,
  );
  assert.ok(![...entries.keys()].some((name) => name.endsWith("environmentvariablevalues.json")));
  // The variable the solution brings is the one the script reads.
  assert.ok(readFileSync(join(dist, "consentguard.js"), "utf8").includes('"cg_ConsentGuardSettings"'));
});

test("on account, contact and lead, Delete is replaced by buttons calling ConsentGuard.confirmDelete", () => {
  const xml = text("customizations.xml");
  const ribbons = [...xml.matchAll(/<Entity>([\s\S]*?)<\/Entity>/g)].map((m) => m[1]);
  assert.equal(ribbons.length, ENTITIES.length);
  for (const e of ENTITIES) {
    const ribbon = ribbons.find((r) => r.includes(`Location="Mscrm.Form.${e}.`));
    assert.ok(ribbon, e);
    assert.deepEqual(
      elements(ribbon, "HideCustomAction").map((a) => a.Location),
      [`Mscrm.Form.${e}.Delete`, `Mscrm.HomepageGrid.${e}.DeleteMenu`, `Mscrm.SubGrid.${e}.Delete`],
    );
    assert.deepEqual(
      elements(ribbon, "CustomAction").map((a) => [a.Location, a.Sequence]),
      [
        [`Mscrm.Form.${e}.MainTab.Save.Controls._children`, "65"],
        [`Mscrm.HomepageGrid.${e}.MainTab.Management.Controls._children`, "50"],
        [`Mscrm.SubGrid.${e}.MainTab.Management.Controls._children`, "80"],
      ],
    );
    const commands = new Map(
      [...ribbon.matchAll(/<CommandDefinition Id="([^"]+)">([\s\S]*?)<\/CommandDefinition>/g)].map((m) => [m[1], m[2]]),
    );
    const parameters = (command) => {
      const calls = elements(command, "JavaScriptFunction");
      assert.deepEqual(calls, [{ Library: LIBRARY, FunctionName: "ConsentGuard.confirmDelete" }]);
      return elements(command, "CrmParameter").map((p) => p.Value);
    };
    const [form, home, sub] = elements(ribbon, "Button").map((b) => commands.get(b.Command));
    assert.deepEqual(parameters(form), ["PrimaryControl"]);
    assert.deepEqual(parameters(home), ["SelectedControl", "SelectedControlSelectedItemIds"]);
    assert.equal(sub, home);
    assert.deepEqual(
      elements(form, "EnableRule").map((r) => r.Id),
      ["Mscrm.FormStateNotNew", "Mscrm.CanDeletePrimary"],
    );
    assert.ok(elements(home, "DisplayRule").some((r) => r.Id === "Mscrm.DeleteSelectedEntityPermission"));
  }
  // Every label the buttons show exists, in the four languages.
  const labels = new Map(
    [...xml.matchAll(/<LocLabel Id="([^"]+)">([\s\S]*?)<\/LocLabel>/g)].map((m) => [
      m[1],
      elements(m[2], "Title").map((t) => (t.description.trim() ? t.languagecode : `${t.languagecode} without text`)),
    ]),
  );
  const references = [...xml.matchAll(/\$LocLabels:([^"]+)"/g)].map((m) => m[1]);
  assert.equal(references.length, ENTITIES.length * 3 * 4);
  for (const id of references) assert.deepEqual(labels.get(id), LANGUAGES, id);
});

test("the web resource in the zip is dist/consentguard.js, byte for byte", () => {
  assert.ok(entries.get("WebResources/cg_consentguard.js").equals(readFileSync(join(dist, "consentguard.js"))));
  assert.match(text("customizations.xml"), /<FileName>\/WebResources\/cg_consentguard\.js<\/FileName>/);
});

test("two builds from the same inputs give the same bytes", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cg-solution-"));
  try {
    const out = join(dir, "dist");
    mkdirSync(out);
    copyFileSync(join(root, "package.json"), join(dir, "package.json"));
    copyFileSync(join(dist, "consentguard.js"), join(out, "consentguard.js"));
    const first = readFileSync(await writeSolution({ root: dir, dist: out }));
    const second = readFileSync(await writeSolution({ root: dir, dist: out }));
    assert.ok(first.equals(second));
    assert.ok(first.equals(readFileSync(join(dist, zipName))), "the zip in dist/ is the one these inputs give");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
