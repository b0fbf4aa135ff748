/**
 * The browser tests' entry: the demo's simulated form, exposed as `Harness.form(spec)`, with the
 * current form on `window.form` for the tests to drive.
 */
import { createForm, type FormSpec } from "../../www/platform/simulated-form";

export function form(spec: FormSpec) {
  const handle = createForm(spec);
  (window as unknown as { form: typeof handle }).form = handle;
  return handle;
}
