/**
 * Free text in a document of each kind, where its shape allows it (@concord/documents/shapes):
 * tests that probe reading and writing put their markers here, so every write they expect to
 * pass is one the schema guard lets through, and a refusal means the role, not the shape.
 *
 * - prerequisites, assessment: the evidence of an indicator `probe`;
 * - ratings: the note on indicator `probe`;
 * - plan: the vision;
 * - comments: one thread per marker, written by the sender.
 */
import type { DocumentKind } from '@concord/auth/roles';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';

const ITEM = 'probe';
const AT = '2026-11-23T10:00:00Z';

function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  return p;
}

/** A new document of `kind` holding `text` where markers go (what the store is seeded with). */
export function seededContent(kind: DocumentKind, text: string): Y.Doc {
  const doc = new Y.Doc();
  switch (kind) {
    case 'prerequisites':
    case 'assessment': {
      const item = new Y.Map<unknown>();
      doc.getMap('items').set(ITEM, item);
      const evidence = new Y.XmlFragment();
      item.set('evidence', evidence);
      item.set('rationale', new Y.XmlFragment());
      evidence.insert(0, [paragraph(text)]);
      break;
    }
    case 'ratings': {
      const note = new Y.XmlFragment();
      doc.getMap('notes').set(ITEM, note);
      note.insert(0, [paragraph(text)]);
      break;
    }
    case 'plan':
      doc.getXmlFragment('visionRich').insert(0, [paragraph(text)]);
      break;
    case 'comments':
      writeThread(doc, 'seed', text, 'seed-author');
      break;
  }
  return doc;
}

function writeThread(doc: Y.Doc, threadId: string, body: string, author: string): void {
  const thread = new Y.Map<unknown>();
  thread.set('anchor', { kind: 'indicator', id: ITEM });
  thread.set('createdBy', author);
  thread.set('createdAt', AT);
  thread.set(
    'messages',
    Y.Array.from([{ id: `${threadId}-1`, author, body, createdAt: AT, mentions: [] }]),
  );
  doc.getMap('threads').set(threadId, thread);
}

let threads = 0;

/**
 * Writes `marker` into `doc` (a copy of the document as its sender received it) where the shape
 * allows, as `userId`.
 */
export function writeMarker(kind: DocumentKind, doc: Y.Doc, marker: string, userId: string): void {
  switch (kind) {
    case 'prerequisites':
    case 'assessment': {
      const item = doc.getMap('items').get(ITEM) as Y.Map<unknown>;
      const evidence = item.get('evidence') as Y.XmlFragment;
      evidence.insert(evidence.length, [paragraph(marker)]);
      return;
    }
    case 'ratings': {
      const note = doc.getMap('notes').get(ITEM) as Y.XmlFragment;
      note.insert(note.length, [paragraph(marker)]);
      return;
    }
    case 'plan': {
      const vision = doc.getXmlFragment('visionRich');
      vision.insert(vision.length, [paragraph(marker)]);
      return;
    }
    case 'comments':
      writeThread(doc, `probe-${++threads}`, marker, userId);
      return;
  }
}

/** The text where markers go, for `includes` checks. */
export function contentText(kind: DocumentKind, doc: Y.Doc): string {
  switch (kind) {
    case 'prerequisites':
    case 'assessment': {
      const item = doc.getMap('items').get(ITEM);
      return item instanceof Y.Map ? String(item.get('evidence') ?? '') : '';
    }
    case 'ratings':
      return String(doc.getMap('notes').get(ITEM) ?? '');
    case 'plan':
      return doc.getXmlFragment('visionRich').toString();
    case 'comments':
      return JSON.stringify(doc.getMap('threads').toJSON());
  }
}

/** The goal every plan-document probe writes into: its title is a Y.Text, free text within the
 * plan's shape (tests of the sync protocol that need "a text" on a server that checks shapes). */
export const PROBE_GOAL = 'probe-goal';

/** A plan document's state holding PROBE_GOAL with an empty title (to seed the store with). */
export function planWithProbeGoal(): Uint8Array {
  const doc = new Y.Doc();
  const goal = new Y.Map<unknown>();
  doc.getMap('goals').set(PROBE_GOAL, goal);
  goal.set('title', new Y.Text());
  return Y.encodeStateAsUpdate(doc);
}

/** PROBE_GOAL's title in `doc` (which must have received planWithProbeGoal's state). */
export function probeTitle(doc: Y.Doc): Y.Text {
  const goal = doc.getMap('goals').get(PROBE_GOAL);
  const title = goal instanceof Y.Map ? goal.get('title') : undefined;
  if (!(title instanceof Y.Text)) throw new Error('the plan has no probe goal (seed it first)');
  return title;
}

/** The text of PROBE_GOAL's title, '' when there is none. */
export function probeTitleText(doc: Y.Doc): string {
  const goal = doc.getMap('goals').get(PROBE_GOAL);
  const title = goal instanceof Y.Map ? goal.get('title') : undefined;
  return title instanceof Y.Text ? title.toString() : '';
}

/** An update, from a client that has nothing yet, adding goal `goalId` titled `title` to a plan. */
export function newGoalUpdate(goalId: string, title: string): Uint8Array {
  const doc = new Y.Doc();
  const goal = new Y.Map<unknown>();
  doc.getMap('goals').set(goalId, goal);
  goal.set('title', new Y.Text(title));
  return Y.encodeStateAsUpdate(doc);
}

/** The title of goal `goalId` in `doc`, '' when there is none. */
export function goalTitleText(doc: Y.Doc, goalId: string): string {
  const goal = doc.getMap('goals').get(goalId);
  const title = goal instanceof Y.Map ? goal.get('title') : undefined;
  return title instanceof Y.Text ? title.toString() : '';
}

/** The reasons of every permission-denied message among `frames` (auth message, type 2). */
export function denials(frames: Uint8Array[]): string[] {
  return frames
    .filter((f) => f[0] === 2 && f[1] === 0)
    .map((f) => {
      const d = decoding.createDecoder(f);
      decoding.readVarUint(d);
      decoding.readVarUint(d);
      return decoding.readVarString(d);
    });
}

/**
 * The first line of a rich text field, where an editor types: the Y.XmlText of its first
 * paragraph, made (as Tiptap would, on the first keystroke) when the field is empty.
 */
export function lineOf(fragment: Y.XmlFragment): Y.XmlText {
  const first = fragment.get(0);
  if (first instanceof Y.XmlElement && first.get(0) instanceof Y.XmlText) {
    return first.get(0) as Y.XmlText;
  }
  const line = new Y.XmlText();
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [line]);
  fragment.insert(0, [paragraph]);
  return line;
}
