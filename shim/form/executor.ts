/**
 * The one executor of the guard protocol: every guarded moment (a record's save, a Spotler Job
 * save, Send, Delete) gets an {@link Action} from the rules module, carried out here the same way.
 * The dialog cannot be awaited inside OnSave (`preventDefault` only works synchronously), so a
 * save that asks is cancelled at once and, on confirmation, saved again with a bypass.
 * @module
 */

import type { Confirmation } from "../gen/internal";
import type { Action, DialogStrings, NotificationChange } from "./rules";
import { applyNotifications, clearFault, describe, showFault, xrm } from "./xrm";

/** One guard's side of a save: its facts and what they mean. */
export interface SaveGuard {
  /** The action for a save in `saveMode`; a promise while the facts are still being read. */
  decide(saveMode: number): Action | Promise<Action>;
  /** What a confirmation holds for: a repeated command passes only while this is unchanged; null while it cannot be known yet (ask again once the action is in). */
  confirmationKey(): string | null;
  /** A save went through: what the guard knows as saved is new. */
  saved?(): void;
  /** The form's data was loaded again (after a save, or a refresh): its unchanged values are the saved ones. */
  reloaded?(): void;
  /** Call `changed` whenever a value the guard judges changes on the form. */
  watch?(changed: () => void): void;
  /** What a fault held back, for its text: a save (the default) or a Send. */
  faultKind?: FaultKind;
}

/** What a fault is about: a held-back save, a held-back Send, or the form in general. */
export type FaultKind = "save" | "send" | "form";

/** The save mode of AutoSave. */
const AUTO_SAVE = 70;

/** The text for a fault, in the user's language. */
export type FaultText = (detail: string, kind: FaultKind) => string;

/** Ask; a dialog that fails to open counts as cancelled. No dialog means nothing to ask. */
export async function askUser(dialog: DialogStrings | null): Promise<boolean> {
  if (!dialog) return true;
  try {
    return (await xrm().Navigation.openConfirmDialog(dialog))?.confirmed === true;
  } catch {
    return false;
  }
}

/** A command the script runs itself (Delete): show what the action says, ask if it asks, then carry it out. */
export async function runCommand(
  form: Xrm.FormContext | null,
  action: Action,
  carryOut: () => Promise<void>,
  record?: RecordConfirmation,
): Promise<void> {
  if (form) applyNotifications(form, action.notifications);
  if (action.kind === "block" || action.kind === "wait") return;
  if (action.kind === "ask" && !(await askUser(action.dialog))) return;
  if (action.kind === "ask" && action.record) record?.(action.record);
  await carryOut();
}

/** Record a confirmation (setting `recordConfirmations`): called once the user confirmed, and not awaited. */
export type RecordConfirmation = (record: Confirmation) => void;

/** Guard every save of `form` with `guard`; `record` records each confirmation, where the settings ask for it. */
export function guardSaves(form: Xrm.FormContext, guard: SaveGuard, faultText: FaultText, record?: RecordConfirmation): void {
  /** A dialog is open, the facts are being read, or a confirmed save is being replayed. */
  let busy = false;
  /** The save mode of a confirmed save being replayed, so that it passes without a second dialog. */
  let replaying: number | null = null;
  /** What the replayed save was confirmed (or held) for: values changed before it comes are judged anew. */
  let replayedKey: string | null = null;
  /** A confirmed command the user must repeat, with the values it was confirmed for. */
  let confirmed: { saveMode: number; key: string | null; notice: NotificationChange } | null = null;
  /** Notifications of held-back AutoSaves, cleared once a save goes through. */
  const blocked = new Set<string>();
  /** Other notifications the last judged save showed (Do Not Bulk Email, a notice): cleared once the values no longer call for them. */
  const informed = new Set<string>();

  const fault = (error: unknown) => {
    try {
      showFault(form, "saves", faultText(describe(error), guard.faultKind ?? "save"));
    } catch {
      // A form that refuses even this keeps the save held back, which is all that is left to do.
    }
  };
  /** Show what the action says (a save judged again: a fault of an earlier one no longer holds); returns it. */
  const show = (action: Action): Action => {
    clearFault(form, "saves");
    applyNotifications(form, action.notifications);
    for (const n of action.notifications) {
      blocked.delete(n.id);
      informed.delete(n.id);
      if (n.message !== null) (action.kind === "block" ? blocked : informed).add(n.id);
    }
    return action;
  };

  /** The command is cancelled: ask if the action asks, then replay it or let its repeat pass. */
  async function followUp(action: Action, saveMode: number, key: string | null): Promise<void> {
    if (action.kind === "block" || action.kind === "wait") return;
    if (action.kind === "ask") {
      asking = true;
      let yes: boolean;
      try {
        yes = await askUser(action.dialog);
      } finally {
        asking = false;
      }
      if (!yes) {
        // Cancel withdraws an earlier confirmation of the same command: its repeat asks again.
        if (confirmed?.saveMode === saveMode) {
          form.ui.clearFormNotification(confirmed.notice.id);
          confirmed = null;
        }
        return;
      }
      // The user confirmed the values the dialog named: values typed while it was open are
      // judged anew (asked about again, where they ask), never saved unseen.
      const now = guard.confirmationKey();
      if (key !== null && now !== key) {
        await followUp(show(await guard.decide(saveMode)), saveMode, now);
        return;
      }
      if (action.record) record?.(action.record);
    }
    if (!action.replay) {
      // Only a held command goes ahead unasked here: it was not confirmed, only held.
      const notice = action.kind === "proceed" ? action.heldNotice : action.confirmedNotice;
      if (notice) {
        confirmed = { saveMode, key, notice };
        applyNotifications(form, [notice]);
      }
      return;
    }
    replaying = saveMode;
    replayedKey = guard.confirmationKey();
    try {
      await form.data.save({ saveMode } as Xrm.SaveOptions);
    } catch {
      // The platform reports the failed save itself; the user's values stay on the form.
      return;
    } finally {
      replaying = null;
    }
    if (action.afterReplay === "close") form.ui.close();
    else if (action.afterReplay === "openNew") void xrm().Navigation.openForm({ entityName: form.data.entity.getEntityName() });
  }

  /**
   * The save mode of the last save held while busy, without being judged: a user's command
   * given while the facts were read (kept over an AutoSave), or an AutoSave. It is judged once
   * the work is done.
   */
  let heldWhileBusy: number | null = null;
  /** The dialog is open: a command given meanwhile (a double click) is the one it asks about. */
  let asking = false;
  /** The save mode of the command being judged, asked about or replayed: pressing it again meanwhile is the same command. */
  let handling: number | null = null;

  /** Hold a save that came while busy, to be judged once the work is done (see `settle`). */
  const hold = (saveMode: number) => {
    if (saveMode === AUTO_SAVE) heldWhileBusy ??= AUTO_SAVE;
    else if (!asking && saveMode !== handling) heldWhileBusy = saveMode;
  };

  /** Hold every other save until `work` (a dialog, a read, a replay) for the command `saveMode` is done; then judge what came meanwhile. */
  const settle = async (work: Promise<void>, saveMode: number) => {
    busy = true;
    handling = saveMode;
    try {
      await work.catch(fault);
    } finally {
      busy = false;
      handling = null;
    }
    const held = heldWhileBusy;
    heldWhileBusy = null;
    if (held === AUTO_SAVE) {
      // A held-back AutoSave that would anonymize says so, as one that came at another moment
      // does; one that would not is simply made again by the platform later.
      try {
        const decided = guard.decide(AUTO_SAVE);
        if (!(decided instanceof Promise) && decided.kind === "block") show(decided);
      } catch {
        // The next AutoSave is judged (and held) all the same.
      }
    } else if (held !== null) {
      const key = guard.confirmationKey();
      // The repeat of a confirmed command, held: the platform offers no way to carry it out from
      // here, so the confirmation stays (no second dialog) and says again to choose the command.
      if (confirmed?.saveMode === held && confirmed.key !== null && confirmed.key === key) {
        applyNotifications(form, [confirmed.notice]);
        return;
      }
      // The user's command (pressed while the form's facts were still being read): judged now,
      // and asked about, carried out or held as if it had just been given.
      void settle(
        Promise.resolve()
          .then(() => guard.decide(held))
          .then((action) => followUp(show(action), held, key ?? guard.confirmationKey())),
        held,
      );
    }
  };

  /**
   * Judge the form's values as an AutoSave would, and bring what is shown up to date: each
   * notification this guard shows (`heldOnly`: of held-back saves) is updated, or cleared once
   * the values no longer call for it, and the warnings of held-back AutoSaves go once nothing
   * would be held back. Nothing new is shown here: that waits for a save.
   */
  const recheck = (heldOnly = false) => {
    if ((blocked.size === 0 && (heldOnly || informed.size === 0)) || busy) return;
    let decided: Action | Promise<Action>;
    try {
      decided = guard.decide(AUTO_SAVE);
    } catch {
      return;
    }
    if (decided instanceof Promise) return;
    const held = decided.kind === "block";
    const changes = decided.notifications.filter((n) => blocked.has(n.id) || (!heldOnly && informed.has(n.id)));
    applyNotifications(form, changes);
    for (const n of changes) {
      blocked.delete(n.id);
      informed.delete(n.id);
      if (n.message !== null) (held ? blocked : informed).add(n.id);
    }
    if (held) return;
    for (const id of blocked) form.ui.clearFormNotification(id);
    blocked.clear();
  };

  form.data.entity.addOnSave((context: Xrm.Events.EventContext) => {
    const args = (context as Xrm.Events.SaveEventContext).getEventArgs();
    const saveMode = args.getSaveMode();
    if (replaying !== null) {
      // Only the replayed save itself passes; an AutoSave or another command in between is held,
      // and judged once the replay is done.
      if (saveMode !== replaying) {
        args.preventDefault();
        hold(saveMode);
        return;
      }
      replaying = null;
      // The platform may run the replayed save's OnSave a moment later: values changed since
      // the confirmation are judged anew (asked about again, where they ask), never saved unseen.
      const now = guard.confirmationKey();
      if (replayedKey !== null && now !== null && now !== replayedKey) {
        args.preventDefault();
        heldWhileBusy = saveMode;
      }
      return;
    }
    if (args.isDefaultPrevented()) return;
    if (busy) {
      // AutoSave, or a second click, while the user decides must not slip through: held, and
      // judged once the dialog or the read is done (see `settle`).
      args.preventDefault();
      hold(saveMode);
      return;
    }
    let decided: Action | Promise<Action>;
    let key: string | null;
    try {
      key = guard.confirmationKey();
      // A confirmation holds for its command's repeat while the values stay; other saves leave it.
      if (confirmed?.saveMode === saveMode) {
        const repeat = confirmed;
        confirmed = null;
        form.ui.clearFormNotification(repeat.notice.id);
        if (key !== null && repeat.key === key) return;
      }
      decided = guard.decide(saveMode);
      if (decided instanceof Promise) {
        // The facts are still being read: hold the command, then follow the action once they are in.
        args.preventDefault();
        void settle(
          decided.then((action) => followUp(show(action), saveMode, key ?? guard.confirmationKey())),
          saveMode,
        );
        return;
      }
      show(decided);
    } catch (error) {
      // Unsure is closed: a save that cannot be judged does not go through unwarned.
      args.preventDefault();
      fault(error);
      return;
    }
    if (decided.kind === "proceed") return;
    args.preventDefault();
    if (decided.kind === "ask") void settle(followUp(decided, saveMode, key), saveMode);
  });

  // A held-back AutoSave's warning goes once the user takes the change back: no save may come
  // to clear it, as the form has nothing left to save. A notification of a judged save (Do Not
  // Bulk Email) goes once its value is taken back, and stays while it is still unsaved.
  guard.watch?.(() => recheck());

  // On a refresh, and after a save with changes: what the form holds as saved is new. A form
  // that refuses the handler still has its saves guarded (`onLoad` reports the fault when it
  // registers its own), each judged against the values last saved.
  // A refresh sets the values without their OnChange: the warnings of held-back saves are judged
  // again here (one that took the change away leaves nothing held). What a save that went
  // through was told (Do Not Bulk Email) stays until the values change: the data loads again
  // right after every save, and the user must get to read it.
  try {
    form.data.addOnLoad(() => {
      guard.reloaded?.();
      recheck(true);
    });
  } catch {
    // See above.
  }

  // The same for a form without PostSave: its saves are judged all the same (the OnSave handler
  // above is in place, and a guard that never came would hold them for good).
  try {
    form.data.entity.addOnPostSave((context) => {
      if (!context.getEventArgs().getIsSaveSuccess()) return;
      guard.saved?.();
      // Saved with other values than it was confirmed for, the confirmation no longer holds.
      if (confirmed && confirmed.key !== guard.confirmationKey()) {
        form.ui.clearFormNotification(confirmed.notice.id);
        confirmed = null;
      }
      for (const id of blocked) form.ui.clearFormNotification(id);
      blocked.clear();
    });
  } catch {
    // See above.
  }
}

/** The guard of a form's saves from the moment `onLoad` is called, before its own guard is known. */
export interface EarlySaves {
  /** The form's guard, with its fault text and confirmation recording: held saves are judged by it now, later ones at once. Only the first call counts. */
  use(guard: SaveGuard, faultText: FaultText, record?: RecordConfirmation): void;
}

/**
 * Guard every save of `form` before its guard is known (the rules module and the org's settings
 * may take a while): a save in that time is held, as while facts are read, and judged once
 * {@link EarlySaves.use} gives the guard. Faults before then read `faultText`.
 */
export function guardSavesEarly(form: Xrm.FormContext, faultText: FaultText): EarlySaves {
  let current: { guard: SaveGuard; faultText: FaultText; record: RecordConfirmation | undefined } | null = null;
  let known: (guard: SaveGuard) => void = () => undefined;
  const whenKnown = new Promise<SaveGuard>((resolve) => {
    known = resolve;
  });
  /** A save or a refresh came before the guard was known: the values it loaded from are old. */
  let stale = false;
  /** Who watches the guard's values, until the guard is known. */
  const watchers: (() => void)[] = [];
  /** What the form holds as saved is new: the guard's to take, or, before there is one, its first. */
  const fresh = (take: (guard: SaveGuard) => void) => {
    if (current) take(current.guard);
    else stale = true;
  };
  const delegate: SaveGuard = {
    decide: (saveMode) => (current ? current.guard.decide(saveMode) : whenKnown.then((guard) => guard.decide(saveMode))),
    confirmationKey: () => (current ? current.guard.confirmationKey() : null),
    saved: () => fresh((guard) => guard.saved?.()),
    reloaded: () => fresh((guard) => guard.reloaded?.()),
    watch: (changed) => {
      if (current) current.guard.watch?.(changed);
      else watchers.push(changed);
    },
    get faultKind(): FaultKind {
      return current?.guard.faultKind ?? "save";
    },
  };
  guardSaves(
    form,
    delegate,
    (detail, kind) => (current ?? { faultText }).faultText(detail, kind),
    (confirmation) => current?.record?.(confirmation),
  );
  return {
    use(guard, faultText, record) {
      if (current) return;
      current = { guard, faultText, record };
      if (stale) guard.reloaded?.();
      for (const changed of watchers) guard.watch?.(changed);
      known(guard);
    },
  };
}
