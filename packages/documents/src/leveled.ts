/**
 * The shared shape of the two documents that are instances of a leveled template (the
 * Prerequisites checklist and a rubric assessment): one Y.Map per indicator or category with its
 * discussion status, the group's decision (team rating or consensus), the rationale and the
 * evidence. checklist.ts and assessment.ts give it the words of each artifact.
 *
 * The rationale and the evidence are rich text (Y.XmlFragment, schema v2; rich-text.ts). Items
 * are laid out for every indicator when the document is created, so that two clients never each
 * create an indicator's texts (concurrently created fragments under one key: one would win and
 * the other's typing would vanish). An item missing later (an indicator added by a new template
 * version) is created on first write, by whoever writes first.
 */
import { outline, type LeveledTemplate, type OutlineEntry } from '@concord/rubric-core';
import * as Y from 'yjs';
import { refuse } from './errors.js';
import { writeMeta } from './meta.js';
import { fragmentAt, replaceRichText } from './rich-text.js';
import { ITEM, ITEM_STATUSES, ROOT, type ItemStatus } from './schema.js';
import {
  asFragment,
  asMap,
  asOneOf,
  asRecord,
  asString,
  asTimestamp,
  checkOneOf,
  checkString,
  checkTimestamp,
  rootMap,
  show,
  textOf,
} from './values.js';

/** The group's decision on an indicator: one choice, replaced whole (last writer wins). */
export interface Decision {
  /** A level value of the indicator's scale. */
  value: number;
  /** Who recorded it (a user id). */
  by: string;
  /** When, ISO 8601. */
  at: string;
}

export interface ItemSnapshot {
  status: ItemStatus;
  decision: Decision | null;
  rationale: string;
  evidence: string;
}

export interface DecisionInput {
  indicatorId: string;
  value: number;
  by: string;
  at: string;
  /** Replaces the rationale text when given. */
  rationale?: string | undefined;
}

/** An item snapshot with the decision under the artifact's own word (consensus, teamRating). */
export type LeveledSnapshot<K extends string> = Omit<ItemSnapshot, 'decision'> & {
  [P in K]: Decision | null;
};

/** The operations of one leveled document kind, typed to its kind of template. */
export interface LeveledDocument<T extends LeveledTemplate, K extends string> {
  /** Lays out a new document: every indicator of the template, not discussed. */
  create: (doc: Y.Doc, template: T) => void;
  /** Every active indicator of the template, in template order. */
  read: (doc: Y.Doc, template: T) => Record<string, LeveledSnapshot<K>>;
  /** Records the decision (and rationale, when given) and marks the indicator agreed. */
  record: (doc: Y.Doc, template: T, input: DecisionInput) => void;
  /** Withdraws the decision and reopens the discussion. */
  clear: (doc: Y.Doc, template: T, indicatorId: string) => void;
  setStatus: (doc: Y.Doc, template: T, indicatorId: string, status: ItemStatus) => void;
  /** The indicator's evidence Y.XmlFragment, for an editor to bind to. */
  evidence: (doc: Y.Doc, template: T, indicatorId: string) => Y.XmlFragment;
  /** The indicator's decision rationale Y.XmlFragment. */
  rationale: (doc: Y.Doc, template: T, indicatorId: string) => Y.XmlFragment;
}

/**
 * The operations of a leveled document kind: `kind` is the document kind, `templateKind` the
 * template kind it is made from, `decisionKey` what the artifact calls the group's decision.
 */
export function leveledDocument<T extends LeveledTemplate, K extends string>(
  kind: 'prerequisites' | 'assessment',
  templateKind: T['kind'],
  decisionKey: K,
): LeveledDocument<T, K> {
  return {
    create: (doc, template) => {
      refuse([
        template.kind !== templateKind && `template: ${template.id} is not a ${templateKind}`,
      ]);
      initLeveled(doc, kind, template);
    },
    read: (doc, template) => {
      const out: Record<string, LeveledSnapshot<K>> = {};
      for (const [id, item] of Object.entries(readLeveled(doc, template))) {
        out[id] = {
          status: item.status,
          [decisionKey]: item.decision,
          rationale: item.rationale,
          evidence: item.evidence,
        } as LeveledSnapshot<K>;
      }
      return out;
    },
    record: recordDecision,
    clear: clearDecision,
    setStatus: setItemStatus,
    evidence: (doc, template, indicatorId) => itemText(doc, template, indicatorId, ITEM.evidence),
    rationale: (doc, template, indicatorId) => itemText(doc, template, indicatorId, ITEM.rationale),
  };
}

export function initLeveled(
  doc: Y.Doc,
  kind: 'prerequisites' | 'assessment',
  template: LeveledTemplate,
): void {
  doc.transact(() => {
    writeMeta(doc, kind, template);
    const items = doc.getMap<unknown>(ROOT.items);
    for (const entry of outline(template).entries) newItem(items, entry.indicator.id);
  });
}

/** An item with its texts. No status: absent reads as not discussed, and the status is a
 * decision field (only a facilitator may set it; @concord/auth DECISION_FIELDS), while anyone
 * writing evidence may be the first to create a missing item. */
function newItem(items: Y.Map<unknown>, id: string): Y.Map<unknown> {
  const item = new Y.Map<unknown>();
  item.set(ITEM.rationale, new Y.XmlFragment());
  item.set(ITEM.evidence, new Y.XmlFragment());
  items.set(id, item);
  return item;
}

/** Every active indicator of the template, in rubric order, as the document has it. */
export function readLeveled(doc: Y.Doc, template: LeveledTemplate): Record<string, ItemSnapshot> {
  const items = rootMap(doc, ROOT.items);
  const out: Record<string, ItemSnapshot> = {};
  for (const entry of outline(template).entries) {
    out[entry.indicator.id] = readItem(asMap(items?.get(entry.indicator.id)), entry);
  }
  return out;
}

function readItem(item: Y.Map<unknown> | undefined, entry: OutlineEntry): ItemSnapshot {
  const decision = readDecision(item?.get(ITEM.decision), entry);
  let status = asOneOf(item?.get(ITEM.status), ITEM_STATUSES) ?? 'not-discussed';
  // "Agreed" means a decision is on record; without a readable one the discussion is still open.
  if (status === 'agreed' && decision === null) status = 'in-discussion';
  return {
    status,
    decision,
    rationale: textOf(item?.get(ITEM.rationale)),
    evidence: textOf(item?.get(ITEM.evidence)),
  };
}

/**
 * A stored decision (an item map's `decision` value) as the readers see it, or null when there is
 * none or it is not readable: a level of the entry's scale, a recorder and a timestamp. For a view
 * that follows one item's map (the document page's item card); never throws.
 */
export function readDecision(value: unknown, entry: Pick<OutlineEntry, 'scale'>): Decision | null {
  const record = asRecord(value);
  if (!record) return null;
  const level = record.value;
  const by = asString(record.by);
  const at = asTimestamp(record.at);
  if (typeof level !== 'number' || !entry.scale.levels.some((l) => l.value === level)) return null;
  if (!by || by.trim() === '' || !at) return null;
  return { value: level, by, at };
}

/** The outline entry of an indicator, or DocumentInputError naming the template. */
export function entryOf(template: LeveledTemplate, indicatorId: unknown): OutlineEntry {
  const entry =
    typeof indicatorId === 'string' ? outline(template).byId.get(indicatorId) : undefined;
  refuse([
    !entry &&
      `indicatorId: ${show(indicatorId)} is not an indicator of ${template.id} v${template.version}`,
  ]);
  return entry!;
}

/** The item's map, created when missing (inside the caller's transaction). */
function itemFor(doc: Y.Doc, id: string): Y.Map<unknown> {
  const items = doc.getMap<unknown>(ROOT.items);
  return asMap(items.get(id)) ?? newItem(items, id);
}

/**
 * The item's rich text under `key` (rationale or evidence), created when missing; a v1 Y.Text
 * still there is converted to a fragment with the same text (fragmentAt).
 */
export function itemText(
  doc: Y.Doc,
  template: LeveledTemplate,
  indicatorId: string,
  key: typeof ITEM.rationale | typeof ITEM.evidence,
): Y.XmlFragment {
  entryOf(template, indicatorId);
  const existing = asFragment(asMap(doc.getMap(ROOT.items).get(indicatorId))?.get(key));
  if (existing) return existing;
  let fragment!: Y.XmlFragment;
  doc.transact(() => {
    fragment = fragmentAt(itemFor(doc, indicatorId), key);
  });
  return fragment;
}

export function setItemStatus(
  doc: Y.Doc,
  template: LeveledTemplate,
  indicatorId: string,
  status: ItemStatus,
): void {
  entryOf(template, indicatorId);
  refuse([checkOneOf(status, ITEM_STATUSES, 'status')]);
  doc.transact(() => itemFor(doc, indicatorId).set(ITEM.status, status));
}

/** Records the decision and marks the item agreed, in one transaction. */
export function recordDecision(doc: Y.Doc, template: LeveledTemplate, input: DecisionInput): void {
  const entry = entryOf(template, input.indicatorId);
  refuse([
    !entry.scale.levels.some((l) => l.value === input.value) &&
      `value: choose one of the scale's levels (${entry.scale.levels.map((l) => `${l.value} ${l.label}`).join(', ')}); got ${show(input.value)}`,
    checkString(input.by, 'by', { blank: false }),
    checkTimestamp(input.at, 'at'),
    input.rationale !== undefined && checkString(input.rationale, 'rationale'),
  ]);
  doc.transact(() => {
    const item = itemFor(doc, input.indicatorId);
    item.set(ITEM.decision, { value: input.value, by: input.by, at: input.at });
    item.set(ITEM.status, 'agreed');
    if (input.rationale !== undefined) {
      replaceRichText(fragmentAt(item, ITEM.rationale), input.rationale);
    }
  });
}

/** Removes the decision and reopens the discussion. */
export function clearDecision(doc: Y.Doc, template: LeveledTemplate, indicatorId: string): void {
  entryOf(template, indicatorId);
  doc.transact(() => {
    const item = itemFor(doc, indicatorId);
    item.delete(ITEM.decision);
    item.set(ITEM.status, 'in-discussion');
  });
}
