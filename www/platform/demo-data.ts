/**
 * The demo's small organisation: two contacts (one opted out), a lead, two accounts and an
 * opportunity, with the auto-captured emails their timelines show.
 */

export const IDS = {
  holly: "a1a1a1a1-0000-4000-8000-000000000001",
  frank: "a1a1a1a1-0000-4000-8000-000000000002",
  ann: "a1a1a1a1-0000-4000-8000-000000000003",
  contoso: "a1a1a1a1-0000-4000-8000-000000000004",
  fabrikam: "a1a1a1a1-0000-4000-8000-000000000005",
  renewal: "a1a1a1a1-0000-4000-8000-000000000006",
  job: "a1a1a1a1-0000-4000-8000-000000000007",
  mail: "a1a1a1a1-0000-4000-8000-000000000008",
} as const;

/** The settings the demo's forms are registered with, besides the panel's two. */
export const demoSettings = {
  relationshipAnalyticsControls: ["ra_panel"],
  spotlerJob: {
    entity: "spotler_job",
    operationAttribute: "spotler_operation",
    anonymizeOperation: "Anonymize Contact",
    resultAttribute: "spotler_status",
    customerAttribute: "spotler_customerid",
  },
  consentTable: {
    entity: "new_consent",
    keyAttribute: "new_email",
    optionAttribute: "new_option",
    valueAttribute: "new_value",
    dateAttribute: "new_date",
  },
  requiredConsent: "Consent option=Newsletter & Consent value=True",
};

export type Row = Record<string, unknown>;

/** The Web API's data set: "entity:id" → columns. Forms save into it. */
export const store: Record<string, Row> = {
  [`contact:${IDS.holly}`]: {
    fullname: "Holly Smith",
    emailaddress1: "holly@contoso.com",
    donotemail: false,
    donotbulkemail: false,
    msdyn_gdproptout: true,
    statecode: 0,
    _parentcustomerid_value: IDS.contoso,
  },
  [`contact:${IDS.frank}`]: {
    fullname: "Frank Lee",
    emailaddress1: "frank@fabrikam.com",
    donotemail: false,
    donotbulkemail: false,
    msdyn_gdproptout: false,
    statecode: 0,
    _parentcustomerid_value: IDS.fabrikam,
  },
  [`lead:${IDS.ann}`]: {
    fullname: "Ann Jansen",
    emailaddress1: "ann@jansen-bv.nl",
    donotemail: false,
    donotbulkemail: false,
    msdyn_gdproptout: false,
    statecode: 0,
  },
  [`account:${IDS.contoso}`]: {
    name: "Contoso",
    emailaddress1: "info@contoso.com",
    donotemail: false,
    msdyn_gdproptout: false,
    statecode: 0,
  },
  [`account:${IDS.fabrikam}`]: {
    name: "Fabrikam",
    emailaddress1: "info@fabrikam.com",
    donotemail: false,
    msdyn_gdproptout: false,
    statecode: 0,
  },
  [`opportunity:${IDS.renewal}`]: { name: "Contoso renewal 2027", msdyn_gdproptout: false, statecode: 0 },
  [`spotler_job:${IDS.job}`]: { spotler_operation: 3, spotler_status: 500 },
  [`email:${IDS.mail}`]: { subject: "Renewal offer", statecode: 0 },
  "new_consent:c1": { new_email: "holly@contoso.com", new_option: "Newsletter", new_value: false, new_date: "2025-03-01" },
  "new_consent:c2": { new_email: "frank@fabrikam.com", new_option: "Newsletter", new_value: true, new_date: "2025-06-12" },
  "new_consent:c3": { new_email: "frank@fabrikam.com", new_option: "Events", new_value: false },
  "new_consent:c4": { new_email: "ann@jansen-bv.nl", new_option: "Newsletter", new_value: true },
};

export interface Lookup {
  id: string;
  name: string;
  entityType: string;
}

export const people: Lookup[] = [
  { id: IDS.holly, name: "Holly Smith", entityType: "contact" },
  { id: IDS.frank, name: "Frank Lee", entityType: "contact" },
  { id: IDS.ann, name: "Ann Jansen", entityType: "lead" },
];

export interface TimelineItem {
  subject: string;
  from: string;
  when: string;
}

export interface DemoRecord {
  key: string;
  entity: "contact" | "lead" | "account" | "opportunity" | "spotler_job" | "email";
  id: string;
  label: string;
  /** The form's lookups and their starting values. */
  lookups: Record<string, Lookup[] | null>;
  timeline: TimelineItem[];
}

const mail = (subject: string, from: string, when: string): TimelineItem => ({ subject, from, when });

export const demoRecords: DemoRecord[] = [
  {
    key: "holly",
    entity: "contact",
    id: IDS.holly,
    label: "Holly Smith",
    lookups: { parentcustomerid: [{ id: IDS.contoso, name: "Contoso", entityType: "account" }] },
    timeline: [mail("Re: renewal quote", "holly@contoso.com", "Yesterday 16:42"), mail("Meeting notes", "holly@contoso.com", "Mon 09:15")],
  },
  {
    key: "frank",
    entity: "contact",
    id: IDS.frank,
    label: "Frank Lee",
    lookups: { parentcustomerid: [{ id: IDS.fabrikam, name: "Fabrikam", entityType: "account" }] },
    timeline: [mail("Invoice 2026-114", "frank@fabrikam.com", "Today 10:03"), mail("Lunch next week?", "frank@fabrikam.com", "Thu 12:30")],
  },
  {
    key: "ann",
    entity: "lead",
    id: IDS.ann,
    label: "Ann Jansen",
    lookups: {},
    timeline: [mail("Vraag over de demo", "ann@jansen-bv.nl", "Today 08:55")],
  },
  {
    key: "renewal",
    entity: "opportunity",
    id: IDS.renewal,
    label: "Contoso renewal 2027",
    lookups: { parentcontactid: [people[0] as Lookup] },
    timeline: [mail("Re: renewal quote", "holly@contoso.com", "Yesterday 16:42")],
  },
  {
    key: "contoso",
    entity: "account",
    id: IDS.contoso,
    label: "Contoso",
    lookups: {},
    timeline: [mail("Re: renewal quote", "holly@contoso.com", "Yesterday 16:42"), mail("Welcome pack", "info@contoso.com", "1 Oct")],
  },
  {
    key: "fabrikam",
    entity: "account",
    id: IDS.fabrikam,
    label: "Fabrikam",
    lookups: {},
    timeline: [mail("Invoice 2026-114", "frank@fabrikam.com", "Today 10:03")],
  },
  {
    key: "mail",
    entity: "email",
    id: IDS.mail,
    label: "Renewal offer",
    lookups: { to: [people[0] as Lookup, people[1] as Lookup] },
    timeline: [],
  },
  {
    key: "job",
    entity: "spotler_job",
    id: IDS.job,
    label: "Spotler Job: Holly Smith",
    lookups: { spotler_customerid: [people[0] as Lookup] },
    timeline: [],
  },
];
