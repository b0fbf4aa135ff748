/**
 * The Spotler Job form: reads the job's operation (value and label), customer and result, and
 * asks the rules module whether a save asks first and what the result means.
 * @module
 */

import type { FaultText, SaveGuard } from "./executor";
import { rules, type EffectiveSettings, type JobFacts } from "./rules";
import { applyNotifications, attribute, clearFault, describe, showFault } from "./xrm";

type JobSettings = NonNullable<EffectiveSettings["spotlerJob"]>;

/** An option set as the form holds it: its value and its label. */
function readOption(form: Xrm.FormContext, name: string): { value: number | null; text: string | null } {
  const found = attribute(form, name) as Xrm.Attributes.OptionSetAttribute | null;
  const value = found?.getValue() ?? null;
  let text: string | null = null;
  try {
    text = found?.getText?.() ?? null;
  } catch {
    // A column that is not an option set has no label.
  }
  return { value: typeof value === "number" ? value : null, text: typeof text === "string" ? text : null };
}

/** A number the form holds as a number or as text; anything else is none. */
function wholeNumber(value: unknown): number | undefined {
  const n = typeof value === "string" ? Number(value.trim()) : value;
  return typeof n === "number" && Number.isInteger(n) ? n : undefined;
}

/** The guard of a Spotler Job's saves; its result is shown now and whenever it changes. */
export function spotlerJobGuard(form: Xrm.FormContext, job: JobSettings, settings: EffectiveSettings, faultText: FaultText): SaveGuard {
  const { languageId } = settings;
  const isCreate = !form.data.entity.getId();
  let saved = isCreate ? null : readOption(form, job.operationAttribute);
  const facts = (saveMode?: number): JobFacts => {
    const status = wholeNumber(attribute(form, job.resultAttribute)?.getValue());
    const operation = readOption(form, job.operationAttribute);
    return {
      ...(saveMode === undefined ? {} : { saveMode }),
      saved: saved !== null,
      savedOperation: saved?.value ?? null,
      savedOperationText: saved?.text ?? null,
      operation: operation.value,
      operationText: operation.text,
      anonymizeOperation: job.anonymizeOperation,
      customer: (attribute(form, job.customerAttribute)?.getValue() as Xrm.LookupValue[] | null)?.[0]?.name ?? "",
      ...(status === undefined ? {} : { status }),
    };
  };
  const showResult = () => {
    try {
      applyNotifications(form, [rules.describeJobResult(facts(), languageId)]);
      clearFault(form, "job");
    } catch (error) {
      showFault(form, "job", faultText(describe(error), "form"));
    }
  };
  attribute(form, job.resultAttribute)?.addOnChange(showResult);
  attribute(form, job.operationAttribute)?.addOnChange(showResult);
  showResult();
  return {
    decide: (saveMode) => rules.adviseJobSave(facts(saveMode), languageId),
    confirmationKey: () => JSON.stringify(facts()),
    saved: () => {
      saved = readOption(form, job.operationAttribute);
    },
  };
}
