// Microsoft's checker rules for Dynamics 365 web resources, every one as an error, on the form
// script as it ships (bundled, not minified, without the generated wasm glue), plus the core
// rules that forbid eval-like code.
import powerApps from "@microsoft/eslint-plugin-power-apps";

// Rules that take `requireXrm: false` also check code that makes no Xrm call.
const takesOptions = (rule) => Array.isArray(rule.meta?.schema) && rule.meta.schema.length > 0;
const everyPowerAppsRule = Object.fromEntries(
  Object.entries(powerApps.rules).map(([name, rule]) => [
    `@microsoft/power-apps/${name}`,
    takesOptions(rule) ? ["error", { requireXrm: false }] : "error",
  ]),
);

export default [
  {
    files: ["build/lint/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { Xrm: "readonly", globalThis: "readonly" },
    },
    plugins: { "@microsoft/power-apps": powerApps },
    rules: {
      ...everyPowerAppsRule,
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "no-script-url": "error",
    },
  },
];
