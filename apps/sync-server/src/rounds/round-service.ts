/**
 * Rating rounds on the server. A facilitator's page sends a round command on its connection to
 * the checklist or assessment; this checks it (valid, and the connection may `decide`) and makes
 * the change as the server's own edit of the documents, attributed to the facilitator
 * (SyncHub.edit / withRooms), so every participant receives it through the sync they already
 * have. It also keeps each rater's progress (rated items per section, never values) in the
 * round as they rate.
 *
 * - open: round N+1 over the chosen sections, or chosen items of them (a second, Delphi round on
 *   the items still in disagreement), named or anonymised (keys "A", "B", … in a random order,
 *   recorded in round_raters; a rater keeps the letter an earlier anonymised round gave them, so
 *   rounds compare rater by rater), with an optional deadline; ratings frozen by an earlier round
 *   on those items are released and cleared (each rater rates them again; the earlier levels
 *   stay in the earlier round's snapshot).
 * - reveal: for the chosen sections, every rater's ratings are read and frozen, and the snapshot
 *   written into the round, in one turn of the event loop after loading the documents, so no
 *   rating can change between the snapshot and the freeze; the audit log records it.
 * - close, nudge; timer: the discussion timer on an item, started at the server's time.
 *
 * Several instances behind Redis: each command runs where the facilitator's connection is; two
 * facilitators opening a round at the same moment on two instances could both write round N
 * (the later write wins the key). Progress is written where the rater's connection is.
 */
import type { SyncCapability } from '@concord/auth/roles';
import {
  addRoundRaters,
  documentRoundRaters,
  instrumentFacts,
  ratingsDocumentFacts,
  ratingsDocuments,
  recordReveal,
  roundRaters,
  userName,
  workspaceRaters,
  type SqlSession,
} from '@concord/db/rounds';
import {
  anonymousKey,
  latestRound,
  openRound,
  progressOf,
  readFrozen,
  readRatings,
  roundItems,
  sectionItems,
  writeClose,
  writeFrozen,
  writeNudge,
  writeOpenRound,
  writeProgress,
  writeRater,
  writeReveal,
  writeTimer,
  ROOT,
  type RoundState,
} from '@concord/documents';
import type { LeveledTemplate } from '@concord/rubric-core';
import { getBuiltinTemplate } from '@concord/rubric-core/templates';
import { randomInt } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type * as Y from 'yjs';
import type { SyncHub } from '../hub.js';
import { encodeRoundResult } from '../protocol.js';
import type { Room, RoundHooks } from '../room.js';
import { parseRoundCommand, type RoundCommand, type RoundResult } from './commands.js';

/** How long after a rater's last change their progress is written (one write per burst). */
export const PROGRESS_DELAY_MS = 300;

/** The connection as the service needs it. */
export interface Asker {
  readonly userId: string;
  can(capability: SyncCapability): boolean;
  send(message: Uint8Array): void;
}

export interface RoundServiceOptions {
  sql: SqlSession;
  log: FastifyBaseLogger;
  /** The server's clock (tests). */
  now?: () => Date;
  /** Delay before progress is written (tests). */
  progressDelayMs?: number;
}

class RoundError extends Error {}

/** The leveled template of an instrument, when this build has that version. */
function templateOf(id: string | null, version: number | null): LeveledTemplate | null {
  const template = id ? getBuiltinTemplate(id) : undefined;
  if (!template || template.kind === 'plan' || template.version !== version) return null;
  return template;
}

export class RoundService implements RoundHooks {
  /** Ratings document → its instrument and rater (null: not a ratings document). */
  private readonly ratingsOf = new Map<
    string,
    Promise<{ parentId: string; ownerId: string } | null>
  >();
  private readonly progressTimers = new Map<string, NodeJS.Timeout>();
  /** Progress writes under way (tests wait for them; shutdown lets them finish). */
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly now: () => Date;

  constructor(
    private readonly hub: SyncHub,
    private readonly options: RoundServiceOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  command(room: Room, conn: Asker, json: string): void {
    const done = this.run(room.documentId, conn, json).then(
      (result) => conn.send(encodeRoundResult(result)),
      (error: unknown) => {
        this.options.log.error({ err: error, documentId: room.documentId }, 'round command failed');
        const parsed = parseRoundCommand(json);
        const id = parsed.ok ? parsed.command.id : parsed.id;
        conn.send(
          encodeRoundResult({ id, ok: false, error: 'the server could not do that; try again' }),
        );
      },
    );
    this.track(done);
  }

  applied(room: Room): void {
    const id = room.documentId;
    if (this.progressTimers.has(id)) return;
    const timer = setTimeout(() => {
      this.progressTimers.delete(id);
      this.track(
        this.updateProgress(id).catch((error: unknown) =>
          this.options.log.warn({ err: error, documentId: id }, 'round progress not updated'),
        ),
      );
    }, this.options.progressDelayMs ?? PROGRESS_DELAY_MS);
    timer.unref();
    this.progressTimers.set(id, timer);
  }

  /** Resolves once every command and progress write started so far has finished (tests). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0 || this.progressTimers.size > 0) {
      if (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
      else await new Promise((r) => setTimeout(r, 20));
    }
  }

  stop(): void {
    for (const timer of this.progressTimers.values()) clearTimeout(timer);
    this.progressTimers.clear();
  }

  private track(p: Promise<unknown>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private stamp(asker: Asker) {
    return { by: asker.userId, at: this.now().toISOString() };
  }

  private async run(documentId: string, asker: Asker, json: string): Promise<RoundResult> {
    const parsed = parseRoundCommand(json);
    if (!parsed.ok) return { id: parsed.id, ok: false, error: parsed.error };
    const { command } = parsed;
    if (!asker.can('decide')) {
      return { id: command.id, ok: false, error: 'only a facilitator or an owner may run a round' };
    }
    const facts = await instrumentFacts(this.options.sql, documentId);
    if (!facts) {
      return { id: command.id, ok: false, error: 'rounds run on a checklist or an assessment' };
    }
    const template = templateOf(facts.templateId, facts.templateVersion);
    if (!template) {
      return {
        id: command.id,
        ok: false,
        error: `this document's template (${facts.templateId} v${facts.templateVersion}) is not one this server knows`,
      };
    }
    const context = { documentId: facts.id, workspaceId: facts.workspaceId, template, asker };
    try {
      switch (command.op) {
        case 'open':
          await this.open(context, command);
          break;
        case 'reveal':
          await this.reveal(context, command);
          break;
        case 'close':
          await this.close(context);
          break;
        case 'nudge':
          await this.nudge(context, command);
          break;
        case 'timer':
          await this.timer(context, command);
          break;
      }
    } catch (error) {
      if (error instanceof RoundError) return { id: command.id, ok: false, error: error.message };
      throw error;
    }
    return { id: command.id, ok: true };
  }

  private async open(ctx: Context, command: Extract<RoundCommand, { op: 'open' }>): Promise<void> {
    const known = new Map(
      [...sectionItems(ctx.template, allSectionIds(ctx.template))].filter(
        ([, ids]) => ids.length > 0,
      ),
    );
    const unknown = command.sections.find((s) => !known.has(s));
    if (unknown !== undefined) {
      throw new RoundError(`sections: ${unknown} is not a section of this ${ctx.template.title}`);
    }
    const sections = [...known.keys()].filter((s) => command.sections.includes(s));
    let chosen: string[] | null = null;
    if (command.items) {
      const inSections = new Set([...sectionItems(ctx.template, sections).values()].flat());
      const outside = command.items.find((id) => !inSections.has(id));
      if (outside !== undefined) {
        throw new RoundError(`items: ${outside} is not an item of the sections chosen`);
      }
      chosen = entriesOf(ctx.template).filter((id) => command.items!.includes(id));
    }
    const settings = { sections, items: chosen };
    const items = [...roundItems(ctx.template, settings).values()].flat();
    const [raters, docs, earlier] = await Promise.all([
      workspaceRaters(this.options.sql, ctx.workspaceId),
      ratingsDocuments(this.options.sql, ctx.documentId),
      command.anonymised ? documentRoundRaters(this.options.sql, ctx.documentId) : null,
    ]);
    const keyed = command.anonymised
      ? anonymisedKeys(raters, earlier ?? {})
      : raters.map((r) => ({ userId: r.userId, raterKey: r.userId, name: r.name }));
    const inRound = docs.filter((d) => keyed.some((k) => k.userId === d.ownerId));
    const stamp = this.stamp(ctx.asker);

    const number = await this.hub.withRooms([ctx.documentId], ([instrument]) => {
      const open = openRound(instrument!.doc);
      if (open) {
        throw new RoundError(`round ${open.number} is still open; close it before opening another`);
      }
      return (latestRound(instrument!.doc)?.number ?? 0) + 1;
    });
    const roundId = `r${number}`;
    // Who is who, before the document names anyone by key.
    await addRoundRaters(this.options.sql, ctx.documentId, roundId, keyed);
    const writes = await this.hub.withRooms(
      [ctx.documentId, ...inRound.map((d) => d.documentId)],
      ([instrument, ...ratingsRooms]) => {
        if (openRound(instrument!.doc)) throw new RoundError('another round was opened meanwhile');
        const pending: Promise<unknown>[] = [];
        const progress = new Map<string, Record<string, number>>();
        ratingsRooms.forEach((room, i) => {
          const owner = inRound[i]!.ownerId;
          // A new round over items revealed before: each rater rates them again on their own.
          // Their earlier level stays in the earlier round's snapshot (every participant sees
          // it among the team's ratings); it is cleared here, so the round's progress counts
          // only what was rated in it, and a rater who does not re-rate shows as not rated.
          const frozen = readFrozen(room.doc);
          const release = items.filter((id) => frozen.has(id));
          if (release.length > 0) {
            pending.push(
              room.edit((doc) => {
                const map = doc.getMap(ROOT.frozen);
                const ratings = doc.getMap(ROOT.ratings);
                for (const id of release) {
                  map.delete(id);
                  if (ratings.get(id) != null) ratings.set(id, null);
                }
              }, ctx.asker),
            );
          }
          const key = keyed.find((k) => k.userId === owner)!.raterKey;
          const fresh = { ...readRatings(room.doc, ctx.template) };
          for (const id of release) fresh[id] = null;
          progress.set(key, progressOf(ctx.template, settings, fresh));
        });
        pending.push(
          instrument!.edit((doc) => {
            const id = writeOpenRound(
              doc,
              number,
              { ...settings, anonymised: command.anonymised, deadline: command.deadline },
              Object.fromEntries(keyed.map((k) => [k.raterKey, k.name])),
              stamp,
            );
            for (const [key, counts] of progress) writeProgress(doc, id, key, counts);
          }, ctx.asker),
        );
        return pending;
      },
    );
    await Promise.all(writes);
  }

  private async reveal(
    ctx: Context,
    command: Extract<RoundCommand, { op: 'reveal' }>,
  ): Promise<void> {
    const round = await this.currentRound(ctx.documentId);
    const wanted = command.sections === 'all' ? round.sections : command.sections;
    const outside = wanted.find((s) => !round.sections.includes(s));
    if (outside !== undefined) {
      throw new RoundError(`sections: ${outside} is not rated in round ${round.number}`);
    }
    const sections = wanted.filter((s) => !(s in round.revealed));
    if (sections.length === 0) throw new RoundError('those sections are revealed already');
    const keys = await roundRaters(this.options.sql, ctx.documentId, round.id);
    const keyOf = new Map(keys.map((k) => [k.userId, k.raterKey]));
    const docs = (await ratingsDocuments(this.options.sql, ctx.documentId)).filter((d) =>
      keyOf.has(d.ownerId),
    );
    const bySection = roundItems(ctx.template, { sections, items: round.items });
    const items = [...bySection.values()].flat();
    const stamp = this.stamp(ctx.asker);
    const writes = await this.hub.withRooms(
      [ctx.documentId, ...docs.map((d) => d.documentId)],
      ([instrument, ...ratingsRooms]) => {
        const now = openRound(instrument!.doc);
        if (!now || now.id !== round.id)
          throw new RoundError('the round changed meanwhile; try again');
        const values = new Map<string, Record<string, number | null>>();
        ratingsRooms.forEach((room, i) => {
          values.set(keyOf.get(docs[i]!.ownerId)!, readRatings(room.doc, ctx.template));
        });
        const snapshots: Record<string, Record<string, Record<string, number | null>>> = {};
        for (const [section, ids] of bySection) {
          const rows: Record<string, Record<string, number | null>> = {};
          for (const itemId of ids) {
            const row: Record<string, number | null> = {};
            // Every rater of the round, rated or not (a rater without a document rated nothing).
            for (const key of Object.keys(now.raters)) row[key] = values.get(key)?.[itemId] ?? null;
            rows[itemId] = row;
          }
          snapshots[section] = rows;
        }
        return [
          instrument!.edit((doc) => writeReveal(doc, round.id, snapshots, stamp), ctx.asker),
          ...ratingsRooms.map((room) =>
            room.edit((doc) => writeFrozen(doc, items, round.id), ctx.asker),
          ),
        ];
      },
    );
    await Promise.all(writes);
    await recordReveal(this.options.sql, {
      workspaceId: ctx.workspaceId,
      actorId: ctx.asker.userId,
      documentId: ctx.documentId,
      roundId: round.id,
      sections,
    });
  }

  private async close(ctx: Context): Promise<void> {
    const round = await this.currentRound(ctx.documentId);
    const stamp = this.stamp(ctx.asker);
    await this.hub.edit(ctx.documentId, (doc) => writeClose(doc, round.id, stamp), ctx.asker);
  }

  private async nudge(
    ctx: Context,
    command: Extract<RoundCommand, { op: 'nudge' }>,
  ): Promise<void> {
    const round = await this.currentRound(ctx.documentId);
    if (!(command.rater in round.raters)) {
      throw new RoundError(`rater: ${command.rater} is not a rater of round ${round.number}`);
    }
    const stamp = this.stamp(ctx.asker);
    await this.hub.edit(
      ctx.documentId,
      (doc) => writeNudge(doc, round.id, command.rater, stamp),
      ctx.asker,
    );
  }

  /** Starts the discussion timer on an item at the server's time (or stops it), on the latest
   * round: clients count down from that start, whatever their own clocks say. */
  private async timer(
    ctx: Context,
    command: Extract<RoundCommand, { op: 'timer' }>,
  ): Promise<void> {
    const round = await this.hub.withRooms([ctx.documentId], ([room]) => latestRound(room!.doc));
    if (!round) throw new RoundError('open a round first: the timer belongs to its discussion');
    if (command.item !== null && !entriesOf(ctx.template).includes(command.item)) {
      throw new RoundError(`item: ${command.item} is not an item of this ${ctx.template.title}`);
    }
    const now = this.now().toISOString();
    await this.hub.edit(
      ctx.documentId,
      (doc) =>
        writeTimer(
          doc,
          round.id,
          command.item === null
            ? null
            : {
                item: command.item,
                seconds: command.seconds,
                startedAt: now,
                by: ctx.asker.userId,
              },
        ),
      ctx.asker,
    );
  }

  private async currentRound(documentId: string): Promise<RoundState> {
    const round = await this.hub.withRooms([documentId], ([room]) => openRound(room!.doc));
    if (!round) throw new RoundError('no round is open');
    return round;
  }

  /** Writes a rater's counts into the open round of the instrument their ratings are for. */
  private async updateProgress(ratingsId: string): Promise<void> {
    let facts = this.ratingsOf.get(ratingsId);
    if (!facts) {
      facts = ratingsDocumentFacts(this.options.sql, ratingsId);
      this.ratingsOf.set(ratingsId, facts);
      // Small and bounded: forget the oldest beyond 10,000 documents.
      if (this.ratingsOf.size > 10_000) this.ratingsOf.delete(this.ratingsOf.keys().next().value!);
    }
    const ratings = await facts;
    if (!ratings) return;
    const instrument = await instrumentFacts(this.options.sql, ratings.parentId);
    const template = instrument && templateOf(instrument.templateId, instrument.templateVersion);
    if (!instrument || !template) return;
    const open = await this.hub.withRooms([ratings.parentId], ([room]) => openRound(room!.doc));
    if (!open) return;
    const keys = await roundRaters(this.options.sql, ratings.parentId, open.id);
    let key = keys.find((k) => k.userId === ratings.ownerId)?.raterKey;
    let joined: { key: string; name: string } | null = null;
    if (key === undefined) {
      // A rater who joined after the round opened.
      const name = (await userName(this.options.sql, ratings.ownerId)) ?? 'Rater';
      // A letter no round of the document has used (see anonymisedKeys).
      const all = open.anonymised
        ? Object.values(await documentRoundRaters(this.options.sql, ratings.parentId)).flat()
        : [];
      key = open.anonymised
        ? unusedKey(new Set([...keys, ...all].map((k) => k.raterKey)))
        : ratings.ownerId;
      joined = { key, name: open.anonymised ? `Rater ${key}` : name };
      await addRoundRaters(this.options.sql, ratings.parentId, open.id, [
        { userId: ratings.ownerId, raterKey: key },
      ]);
    }
    const raterKey = key;
    const author = { userId: ratings.ownerId };
    const writes = await this.hub.withRooms([ratings.parentId, ratingsId], ([parent, mine]) => {
      const now = openRound(parent!.doc);
      if (!now || now.id !== open.id) return [];
      const counts = progressOf(template, now, readRatings(mine!.doc, template));
      return [
        parent!.edit((doc: Y.Doc) => {
          if (joined) writeRater(doc, now.id, joined.key, joined.name);
          writeProgress(doc, now.id, raterKey, counts);
        }, author),
      ];
    });
    await Promise.all(writes);
  }
}

interface Context {
  documentId: string;
  workspaceId: string;
  template: LeveledTemplate;
  asker: Asker;
}

/** Every indicator id of the template. */
function entriesOf(template: LeveledTemplate): string[] {
  return [...sectionItems(template, allSectionIds(template)).values()].flat();
}

/** Every section id of the template, in template order. */
function allSectionIds(template: LeveledTemplate): string[] {
  const ids: string[] = [];
  const walk = (sections: LeveledTemplate['sections']) => {
    for (const s of sections) {
      ids.push(s.id);
      walk(s.sections);
    }
  };
  walk(template.sections);
  return ids;
}

/**
 * Keys of an anonymised round: a rater who had a letter in the latest earlier anonymised round
 * keeps it (so rounds compare rater by rater without saying who anyone is); the others get
 * letters no earlier round of the document used (a letter is never someone else's later: a new
 * rater given a departed one's letter would be compared with them, and could read their
 * ratings), in a random order.
 */
function anonymisedKeys(
  raters: readonly { userId: string; name: string }[],
  earlier: Awaited<ReturnType<typeof documentRoundRaters>>,
): { userId: string; raterKey: string; name: string }[] {
  const previous = Object.entries(earlier)
    .filter(([, list]) => list.length > 0 && list.every((r) => /^[A-Z]+$/.test(r.raterKey)))
    .sort(([a], [b]) => Number(b.slice(1)) - Number(a.slice(1)))[0]?.[1];
  const kept = new Map((previous ?? []).map((r) => [r.userId, r.raterKey]));
  const used = new Set<string>(
    Object.values(earlier)
      .flat()
      .map((r) => r.raterKey)
      .filter((k) => /^[A-Z]+$/.test(k)),
  );
  const out: { userId: string; raterKey: string; name: string }[] = [];
  for (const r of raters) {
    const key = kept.get(r.userId);
    if (key !== undefined) out.push({ userId: r.userId, raterKey: key, name: `Rater ${key}` });
  }
  for (const r of shuffled(raters.filter((r) => !kept.has(r.userId)))) {
    const key = unusedKey(used);
    used.add(key);
    out.push({ userId: r.userId, raterKey: key, name: `Rater ${key}` });
  }
  return out;
}

/** The first anonymised key ("A", "B", …) not in `used`. */
function unusedKey(used: ReadonlySet<string>): string {
  for (let i = 0; ; i++) if (!used.has(anonymousKey(i))) return anonymousKey(i);
}

/** A uniformly random order (Fisher-Yates with the platform's CSPRNG): keys say nothing of who. */
function shuffled<T>(list: readonly T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
