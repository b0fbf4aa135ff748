// Writes the unmanaged Dataverse solution dist/ConsentGuard_<major>_<minor>_<patch>_0.zip from dist/consentguard.js:
//   solution.xml                    the manifest: publisher "consentguard" (prefix cg) and the root components
//   customizations.xml              the web resource cg_consentguard.js and, on account, contact and lead, a Delete
//                                   button in place of the standard one that calls ConsentGuard.confirmDelete
//   environmentvariabledefinitions/ cg_ConsentGuardSettings, the JSON settings shared by every form
//   WebResources/cg_consentguard.js the script itself, byte for byte
// The zip's bytes depend only on the inputs (fixed timestamps and order), so two builds give the same file.
// Run alone (`node scripts/solution.mjs`) it packs the dist/consentguard.js already built.
import { readFileSync, writeFileSync } from "node:fs";
import { deflateRawSync, crc32 } from "node:zlib";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const UNIQUE_NAME = "ConsentGuard";
const LIBRARY = "cg_consentguard.js";
const SETTINGS = "cg_ConsentGuardSettings";
// Fixed for good: importing a newer version must update this web resource, not add a second one.
const WEB_RESOURCE_ID = "{34983081-196b-4468-83a5-147c67926b3a}";
// Object type codes of the system tables; the SDK schema requires one in every <Entity>.
const ENTITIES = [
  { name: "account", schemaName: "Account", objectTypeCode: 1 },
  { name: "contact", schemaName: "Contact", objectTypeCode: 2 },
  { name: "lead", schemaName: "Lead", objectTypeCode: 4 },
];
const LANGUAGES = [1033, 1043, 1031, 1036]; // English, Dutch, German, French

// Every text shown to people, per language code.
const TEXT = {
  description: {
    1033: "Hides auto-captured email data of opted-out people and asks before saves and deletes that make Spotler anonymize a contact.",
    1043: "Verbergt automatisch vastgelegde e-mailgegevens van afgemelde personen en vraagt eerst bij opslaan en verwijderen waardoor Spotler een contactpersoon anonimiseert.",
    1031: "Blendet automatisch erfasste E-Mail-Daten abgemeldeter Personen aus und fragt vor Speichern und Löschen nach, durch die Spotler einen Kontakt anonymisiert.",
    1036: "Masque les données d'e-mail capturées automatiquement des personnes désinscrites et demande confirmation avant les enregistrements et suppressions qui font anonymiser un contact par Spotler.",
  },
  publisher: {
    1033: "Publisher of consent-guard.",
    1043: "Uitgever van consent-guard.",
    1031: "Herausgeber von consent-guard.",
    1036: "Éditeur de consent-guard.",
  },
  settingsName: {
    1033: "consent-guard settings",
    1043: "consent-guard-instellingen",
    1031: "consent-guard-Einstellungen",
    1036: "Paramètres de consent-guard",
  },
  settingsDescription: {
    1033: "JSON settings for every form, with the same keys as the OnLoad parameter box, which overrides them key by key.",
    1043: "JSON-instellingen voor elk formulier, met dezelfde sleutels als het parametervak van OnLoad, dat ze per sleutel overschrijft.",
    1031: "JSON-Einstellungen für jedes Formular, mit denselben Schlüsseln wie das Parameterfeld von OnLoad, das sie Schlüssel für Schlüssel überschreibt.",
    1036: "Paramètres JSON pour chaque formulaire, avec les mêmes clés que la zone de paramètres OnLoad, qui les remplace clé par clé.",
  },
  delete: { 1033: "Delete", 1043: "Verwijderen", 1031: "Löschen", 1036: "Supprimer" },
  deleteTip: {
    1033: "Delete, after a warning when Spotler would anonymize the contact",
    1043: "Verwijderen, na een waarschuwing als Spotler de contactpersoon zou anonimiseren",
    1031: "Löschen, nach einer Warnung, wenn Spotler den Kontakt anonymisieren würde",
    1036: "Supprimer, après un avertissement si Spotler devait anonymiser le contact",
  },
};

/** XML text and attribute values (attributes are always double-quoted, so an apostrophe stays as it is). */
export function escape(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

/** An element: no children gives `<a />`, a string child (even "") gives `<a>text</a>`. */
const h = (name, attrs = {}, ...children) => ({ name, attrs, children: children.flat() });

function render(node, depth = 0) {
  const pad = "  ".repeat(depth);
  const attrs = Object.entries(node.attrs)
    .map(([key, value]) => ` ${key}="${escape(value)}"`)
    .join("");
  if (node.children.length === 0) return `${pad}<${node.name}${attrs} />\n`;
  if (node.children.every((child) => typeof child === "string")) {
    return `${pad}<${node.name}${attrs}>${node.children.map(escape).join("")}</${node.name}>\n`;
  }
  return `${pad}<${node.name}${attrs}>\n${node.children.map((child) => render(child, depth + 1)).join("")}${pad}</${node.name}>\n`;
}

function perLanguage(element, texts) {
  return LANGUAGES.map((lcid) => {
    if (!texts[lcid]) throw new Error(`no ${lcid} text for <${element}>: ${texts[1033]}`);
    return h(element, { description: texts[lcid], languagecode: lcid });
  });
}
const nil = (name) => h(name, { "xsi:nil": "true" }, "");

// The two empty addresses every publisher carries in an export, fields in export order.
function address(number) {
  const nils = (names) => names.split(" ").map(nil);
  return h(
    "Address",
    {},
    h("AddressNumber", {}, String(number)),
    h("AddressTypeCode", {}, "1"),
    nils("City County Country Fax FreightTermsCode ImportSequenceNumber Latitude Line1 Line2 Line3 Longitude Name PostalCode"),
    nils("PostOfficeBox PrimaryContactName"),
    h("ShippingMethodCode", {}, "1"),
    nils("StateOrProvince Telephone1 Telephone2 Telephone3 TimeZoneRuleVersionNumber UPSZone UTCOffset UTCConversionTimeZoneCode"),
  );
}

function solutionXml(version) {
  const names = { 1033: "consent-guard", 1043: "consent-guard", 1031: "consent-guard", 1036: "consent-guard" };
  return h(
    "ImportExportXml",
    {
      version: "9.2.0.0",
      SolutionPackageVersion: "9.2",
      languagecode: "1033",
      generatedBy: "CrmLive",
      "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
    },
    h(
      "SolutionManifest",
      {},
      h("UniqueName", {}, UNIQUE_NAME),
      h("LocalizedNames", {}, perLanguage("LocalizedName", names)),
      h("Descriptions", {}, perLanguage("Description", TEXT.description)),
      h("Version", {}, version),
      h("Managed", {}, "0"),
      h(
        "Publisher",
        {},
        h("UniqueName", {}, "consentguard"),
        h("LocalizedNames", {}, perLanguage("LocalizedName", names)),
        h("Descriptions", {}, perLanguage("Description", TEXT.publisher)),
        nil("EMailAddress"),
        nil("SupportingWebsiteUrl"),
        h("CustomizationPrefix", {}, "cg"),
        h("CustomizationOptionValuePrefix", {}, "10612"),
        h("Addresses", {}, address(1), address(2)),
      ),
      h(
        "RootComponents",
        {},
        h("RootComponent", { type: "61", schemaName: LIBRARY, behavior: "0" }),
        h("RootComponent", { type: "380", schemaName: SETTINGS, behavior: "0" }),
        // Behavior 2, shell only: the system tables are here for their ribbons, without their metadata.
        ENTITIES.map((e) => h("RootComponent", { type: "1", schemaName: e.name, behavior: "2" })),
      ),
      h("MissingDependencies"),
    ),
  );
}

/** Hides the standard Delete on the form, the home grid and subgrids, and puts a button calling ConsentGuard.confirmDelete where it was. */
function ribbon(e) {
  const id = `cg.${e}`;
  const label = (kind) => `$LocLabels:${id}.Delete.${kind}`;
  // The home grid's Delete is a split button whose own click deletes too, so all of it goes (Bulk Delete with it).
  const hidden = [`Mscrm.Form.${e}.Delete`, `Mscrm.HomepageGrid.${e}.DeleteMenu`, `Mscrm.SubGrid.${e}.Delete`];
  const places = [
    { where: "Form", location: `Mscrm.Form.${e}.MainTab.Save.Controls._children`, sequence: "65", command: `${id}.Form.Delete.Command` },
    {
      where: "HomepageGrid",
      location: `Mscrm.HomepageGrid.${e}.MainTab.Management.Controls._children`,
      sequence: "50",
      command: `${id}.Grid.Delete.Command`,
    },
    {
      where: "SubGrid",
      location: `Mscrm.SubGrid.${e}.MainTab.Management.Controls._children`,
      sequence: "80",
      command: `${id}.Grid.Delete.Command`,
    },
  ];
  const button = (p) =>
    h("Button", {
      Id: `${id}.${p.where}.Delete.Button`,
      Command: p.command,
      Sequence: p.sequence,
      LabelText: label("LabelText"),
      Alt: label("Alt"),
      ToolTipTitle: label("LabelText"),
      ToolTipDescription: label("ToolTip"),
      TemplateAlias: "o2",
      Image16by16: "/_imgs/ribbon/Delete_16.png",
      Image32by32: "/_imgs/Workplace/remove_32.png",
      ModernImage: "Remove",
    });
  // The library is named on the call itself, so the ribbon loads it before running the function.
  const call = (...parameters) =>
    h(
      "Actions",
      {},
      h("JavaScriptFunction", { Library: `$webresource:${LIBRARY}`, FunctionName: "ConsentGuard.confirmDelete" }, parameters),
    );
  const param = (value) => h("CrmParameter", { Value: value });
  const rules = (kind, ids) => h(`${kind}s`, {}, ...ids.map((rule) => h(kind, { Id: rule })));
  return h(
    "RibbonDiffXml",
    {},
    h(
      "CustomActions",
      {},
      hidden.map((location) => h("HideCustomAction", { HideActionId: `${id}.${location}.Hide`, Location: location })),
      places.map((p) =>
        h(
          "CustomAction",
          { Id: `${id}.${p.where}.Delete.CustomAction`, Location: p.location, Sequence: p.sequence },
          h("CommandUIDefinition", {}, button(p)),
        ),
      ),
    ),
    h("Templates", {}, h("RibbonTemplates", { Id: "Mscrm.Templates" }, "")),
    h(
      "CommandDefinitions",
      {},
      h(
        "CommandDefinition",
        { Id: `${id}.Form.Delete.Command` },
        rules("EnableRule", ["Mscrm.FormStateNotNew", "Mscrm.CanDeletePrimary"]),
        rules("DisplayRule", ["Mscrm.DeletePrimaryEntityPermission"]),
        call(param("PrimaryControl")),
      ),
      // On a subgrid PrimaryControl is the parent form, so the grid's own control is passed, then its selection.
      h(
        "CommandDefinition",
        { Id: `${id}.Grid.Delete.Command` },
        rules("EnableRule", ["Mscrm.SelectionCountAtLeastOne", "Mscrm.VisualizationPaneNotMaximized"]),
        rules("DisplayRule", ["Mscrm.DeleteSelectedEntityPermission", "Mscrm.NotShowForManyToManyGrids"]),
        call(param("SelectedControl"), param("SelectedControlSelectedItemIds")),
      ),
    ),
    // The rules used are Microsoft's own, defined in the application ribbon.
    h("RuleDefinitions", {}, h("TabDisplayRules"), h("DisplayRules"), h("EnableRules")),
    h(
      "LocLabels",
      {},
      [
        ["LabelText", TEXT.delete],
        ["Alt", TEXT.delete],
        ["ToolTip", TEXT.deleteTip],
      ].map(([kind, texts]) => h("LocLabel", { Id: `${id}.Delete.${kind}` }, h("Titles", {}, perLanguage("Title", texts)))),
    ),
  );
}

// Only what the SDK schema (CustomizationsSolution.xsd) knows: current exports add root attributes,
// IsAvailableForMobileOffline, DependencyXml, CustomControls and EntityDataProviders, and import works without them.
function customizationsXml(version) {
  return h(
    "ImportExportXml",
    { "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance" },
    h(
      "Entities",
      {},
      ENTITIES.map((e) =>
        h(
          "Entity",
          {},
          h("Name", { LocalizedName: e.schemaName, OriginalName: e.schemaName }, e.schemaName),
          h("ObjectTypeCode", {}, String(e.objectTypeCode)),
          ribbon(e.name),
        ),
      ),
    ),
    h("Roles", {}, ""),
    h("Workflows", {}, ""),
    h("FieldSecurityProfiles", {}, ""),
    h("Templates"),
    h("EntityMaps"),
    h("EntityRelationships"),
    h("OrganizationSettings"),
    h("optionsets"),
    h(
      "WebResources",
      {},
      h(
        "WebResource",
        {},
        h("WebResourceId", {}, WEB_RESOURCE_ID),
        h("Name", {}, LIBRARY),
        h("DisplayName", {}, "consent-guard"),
        h("Description", {}, TEXT.description[1033]),
        h("WebResourceType", {}, "3"), // JScript
        h("IntroducedVersion", {}, version),
        h("IsEnabledForMobileClient", {}, "0"),
        h("IsCustomizable", {}, "1"),
        h("CanBeDeleted", {}, "1"),
        h("IsHidden", {}, "0"),
        h("FileName", {}, `/WebResources/${LIBRARY}`),
      ),
    ),
    h("Languages", {}, h("Language", {}, "1033")),
  );
}

// No values file: the current value is the administrator's, and an import must not overwrite it.
function settingsXml(version) {
  const labelled = (element, texts) => h(element, { default: texts[1033] }, perLanguage("label", texts));
  return h(
    "environmentvariabledefinition",
    { schemaname: SETTINGS },
    h("defaultvalue", {}, "{}"),
    labelled("description", TEXT.settingsDescription),
    labelled("displayname", TEXT.settingsName),
    h("introducedversion", {}, version),
    h("iscustomizable", {}, "1"),
    h("isrequired", {}, "0"),
    h("secretstore", {}, "0"),
    h("type", {}, "100000003"), // JSON
  );
}

// One line, as in an export.
const CONTENT_TYPES =
  '<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="xml" ContentType="application/octet-stream" />' +
  '<Default Extension="js" ContentType="application/octet-stream" /></Types>';

/** A zip (deflate, no extra fields) of [name, bytes] pairs, in the order given, every entry dated 1980-01-01 00:00. */
export function zip(files) {
  const DOS_TIME = 0;
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // (year - 1980) << 9 | month << 5 | day
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data] of files) {
    const nameBytes = Buffer.from(name, "utf8");
    const packed = deflateRawSync(data, { level: 9 });
    const fields = (header, size) => {
      header.writeUInt16LE(20, size); // version needed: 2.0 (deflate)
      header.writeUInt16LE(0x0800, size + 2); // flags: names are UTF-8
      header.writeUInt16LE(8, size + 4); // method: deflate
      header.writeUInt16LE(DOS_TIME, size + 6);
      header.writeUInt16LE(DOS_DATE, size + 8);
      header.writeUInt32LE(crc32(data), size + 10);
      header.writeUInt32LE(packed.length, size + 14);
      header.writeUInt32LE(data.length, size + 18);
      header.writeUInt16LE(nameBytes.length, size + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    fields(local, 4);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by: 2.0, MS-DOS attributes
    fields(central, 6);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The solution's entries, in zip order. */
export function solutionFiles({ version, script }) {
  const xml = (node) => Buffer.from(render(node), "utf8");
  return [
    ["[Content_Types].xml", Buffer.from(CONTENT_TYPES, "utf8")],
    ["solution.xml", xml(solutionXml(version))],
    ["customizations.xml", xml(customizationsXml(version))],
    [`environmentvariabledefinitions/${SETTINGS}/environmentvariabledefinition.xml`, xml(settingsXml(version))],
    [`WebResources/${LIBRARY}`, script],
  ];
}

/** Writes dist/ConsentGuard_<major>_<minor>_<patch>_0.zip from root's package.json and dist/consentguard.js; returns its path. */
export async function writeSolution({ root, dist }) {
  const { version: semver } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const parts = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(semver);
  if (!parts) throw new Error(`package.json version ${semver} is not major.minor.patch`);
  // Dataverse versions have four parts; the fourth stays 0.
  const version = [parts[1], parts[2], parts[3], "0"].join(".");
  const script = readFileSync(join(dist, "consentguard.js"));
  const path = join(dist, `${UNIQUE_NAME}_${version.replaceAll(".", "_")}.zip`);
  writeFileSync(path, zip(solutionFiles({ version, script })));
  return path;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const path = await writeSolution({ root, dist: join(root, "dist") });
  console.log(`${path.slice(root.length + 1)}: ${readFileSync(path).length} bytes`);
}
