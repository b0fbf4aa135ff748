/// <reference types="xrm" preserve="true" />
/**
 * An inert form, for the warm-up after instantiation: a Contact being created, with the columns
 * the guards read, an empty lookup and a timeline. Its methods change nothing outside it and
 * call nothing: with no record id, no email and no related record, `onLoad` makes no Web API
 * call for it.
 *
 * A browser compiles each function on its first call. Run once on this form, in a task of its
 * own while the platform is still loading the real one, `onLoad` leaves its code compiled: a
 * real form's first `onLoad` then takes about as long as a second one.
 * @module
 */

/** Values of the inert form's columns: a new Contact with nothing entered. */
const VALUES: Record<string, unknown> = {
  emailaddress1: null,
  donotemail: false,
  donotbulkemail: false,
  statecode: 0,
  msdyn_gdproptout: false,
  parentcustomerid: null,
};

const nothing = (): void => undefined;

/** A column of the inert form. */
function inertAttribute(name: string): Xrm.Attributes.Attribute {
  return {
    getName: () => name,
    getValue: () => VALUES[name] ?? null,
    getAttributeType: () => (name === "parentcustomerid" ? "lookup" : typeof VALUES[name] === "boolean" ? "boolean" : "string"),
    getIsDirty: () => false,
    addOnChange: nothing,
    removeOnChange: nothing,
  } as unknown as Xrm.Attributes.Attribute;
}

/** The execution context of a fresh inert form. */
export function inertFormContext(): Xrm.Events.EventContext {
  const attributes = Object.keys(VALUES).map(inertAttribute);
  const timeline = { getName: () => "Timeline", getControlType: () => "timelinewall", setVisible: nothing, getVisible: () => false };
  const form = {
    data: {
      entity: {
        getEntityName: () => "contact",
        getId: () => "",
        getPrimaryAttributeValue: () => "",
        addOnSave: nothing,
        addOnPostSave: nothing,
        removeOnPostSave: nothing,
      },
      addOnLoad: nothing,
      save: () => Promise.resolve(),
    },
    ui: {
      getFormType: () => 1,
      setFormNotification: () => true,
      clearFormNotification: () => true,
      controls: { get: () => [timeline] },
      close: nothing,
    },
    getAttribute: (name?: string) => (name === undefined ? attributes : (attributes.find((a) => a.getName() === name) ?? null)),
    getControl: (name: string) => (name === "Timeline" ? timeline : null),
  };
  return { getFormContext: () => form } as unknown as Xrm.Events.EventContext;
}
