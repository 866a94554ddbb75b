/**
 * Keeps the query tables (packages/db projection.ts) in step with the documents (issues 39 and
 * 25): a checklist's or assessment's `consensus`, `ratings` and `instrument_states`, a plan's
 * `goals`, `action_steps` and `metrics`. After a client's update is applied to one of them, or
 * the server edits one (a round revealed, progress written), the document is projected once the
 * burst settles: debounced per document (PROJECTION_DELAY_MS from the first change, not reset by
 * later ones, so steady typing still projects), one projection per document at a time (a change
 * during one queues exactly one more), rows computed from the room's live document in one turn
 * and written by one idempotent statement. Rows that would not change are not written at all
 * (the last rows written are remembered per document).
 *
 * What the tables hold, and why ratings come only from revealed round snapshots:
 * docs/ARCHITECTURE.md, "Query tables". Other documents (ratings, comments) are not projected;
 * a document found not to be projected is remembered and never asked about again. A plan's
 * template is the built-in plan template of its id and version.
 *
 * Nothing is lost between a document write and its projection: each projection records the
 * document's head_seq it covers (read before the document state), and on start (`catchUp`) the
 * projector projects every instrument and plan whose stored head is ahead (the server stopped
 * or crashed in between, an import, a migration), from the store when no room has it open. A
 * projection that fails (the database down) is logged and left: the next edit, the next start
 * or a rebuild (`concord-project`) brings the rows back in step.
 */
import {
  instrumentRows,
  instrumentTemplate,
  planRows,
  planTemplate,
  projectedDocument,
  projectionsBehind,
  raterUsers,
  storedInstrumentRows,
  storedPlanRows,
  writePlanProjection,
  writeProjection,
  type InstrumentRows,
  type PlanRows,
  type ProjectedDocument,
} from '@concord/db/projection';
import type { DocumentStore } from '@concord/db';
import type { SqlSession } from '@concord/db/rounds';
import type { FastifyBaseLogger } from 'fastify';
import type { SyncHub } from '../hub.js';
import type { ProjectionHooks, Room } from '../room.js';

type DocumentRows = { kind: 'instrument'; rows: InstrumentRows } | { kind: 'plan'; rows: PlanRows };

/** How long after a document's first change in a burst it is projected. */
export const PROJECTION_DELAY_MS = 250;

/** How long shutdown waits for projections still to run. */
const STOP_TIMEOUT_MS = 2_000;

/** Documents remembered (kind, last rows written), beyond which the oldest are forgotten. */
const REMEMBERED = 10_000;

export interface ProjectorOptions {
  sql: SqlSession;
  log: FastifyBaseLogger;
  /** Where documents no room has open are read from (catching up). */
  store?: Pick<DocumentStore, 'load'>;
  /** Delay before a changed document is projected (tests, bench). */
  delayMs?: number;
  /** Hears each projection written: the document and when its first unprojected change came
   * (performance.now()); for metrics and the P10 bench. */
  onProjected?: (documentId: string, since: number) => void;
}

export class Projector implements ProjectionHooks {
  /** Documents known not to be projected (their kind and template never change). */
  private readonly ignored = new Set<string>();
  /** The rows last written per document, as JSON, so an unchanged projection writes nothing. */
  private readonly written = new Map<string, string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Per document: when its first change not yet projected came. */
  private readonly since = new Map<string, number>();
  private readonly running = new Map<string, Promise<void>>();
  /** Changed while a projection ran: project again once it ends. */
  private readonly again = new Set<string>();
  private stopped = false;

  constructor(
    private readonly hub: SyncHub,
    private readonly options: ProjectorOptions,
  ) {}

  changed(room: Room): void {
    const id = room.documentId;
    if (this.stopped || this.ignored.has(id)) return;
    if (!this.since.has(id)) this.since.set(id, performance.now());
    if (this.running.has(id)) {
      this.again.add(id);
      return;
    }
    this.schedule(id);
  }

  /**
   * Projects every document the tables are behind on (see the module comment), one at a time
   * so a start with many does not crowd out live work; resolves with how many it projected.
   */
  async catchUp(): Promise<number> {
    const seen = new Set<string>();
    let projected = 0;
    for (;;) {
      const behind = (await projectionsBehind(this.options.sql, 500)).filter(
        (d) => !seen.has(d.documentId),
      );
      if (behind.length === 0 || this.stopped) break;
      for (const document of behind) {
        if (this.stopped) break;
        // Left behind for good (a template this build lacks): asked once per catch-up.
        seen.add(document.documentId);
        await this.exclusive(document.documentId);
        projected++;
      }
    }
    if (projected > 0) this.options.log.info({ documents: projected }, 'projections caught up');
    return projected;
  }

  /** Projects a document now, after any projection of it under way (one at a time each). */
  private async exclusive(id: string): Promise<void> {
    while (this.running.has(id)) await this.running.get(id);
    if (this.stopped) return;
    const timer = this.timers.get(id);
    if (timer) {
      clearTimeout(timer);
      this.timers.delete(id);
    }
    this.start(id);
    await this.running.get(id);
  }

  /** Resolves once every scheduled and running projection has finished (tests, bench). */
  async settled(): Promise<void> {
    while (this.timers.size > 0 || this.running.size > 0) {
      if (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
      else await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Projects what is still waiting now, then takes no more (shutdown), at most STOP_TIMEOUT_MS. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const [id, timer] of this.timers) {
      clearTimeout(timer);
      this.start(id);
    }
    this.timers.clear();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.settledRunning(),
      new Promise((resolve) => (timer = setTimeout(resolve, STOP_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
  }

  private async settledRunning(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  private schedule(id: string): void {
    if (this.timers.has(id)) return;
    const timer = setTimeout(() => {
      this.timers.delete(id);
      this.start(id);
    }, this.options.delayMs ?? PROJECTION_DELAY_MS);
    timer.unref();
    this.timers.set(id, timer);
  }

  private start(id: string): void {
    const since = this.since.get(id) ?? performance.now();
    this.since.delete(id);
    const run = this.project(id, since)
      .catch((error: unknown) =>
        this.options.log.warn({ err: error, documentId: id }, 'document not projected'),
      )
      .finally(() => {
        this.running.delete(id);
        if (this.again.delete(id) && !this.stopped) this.schedule(id);
      });
    this.running.set(id, run);
  }

  private async project(id: string, since: number): Promise<void> {
    const facts = await projectedDocument(this.options.sql, id);
    if (!facts) {
      this.remember(this.ignored, id);
      return;
    }
    const rows =
      facts.kind === 'plan' ? await this.planRowsOf(facts) : await this.instrumentRowsOf(facts);
    if (rows) await this.write(facts, rows, since);
  }

  /** The room's live document when a room has it open (or there is no store), else the store's. */
  private live(id: string): boolean {
    return this.hub.room(id) !== undefined || !this.options.store;
  }

  /** Its template (id and version) never changes: warned about and ignored from now on. */
  private notKnown(facts: ProjectedDocument): null {
    this.remember(this.ignored, facts.documentId);
    this.options.log.warn(
      {
        documentId: facts.documentId,
        templateId: facts.templateId,
        templateVersion: facts.templateVersion,
      },
      'document not projected: its template is not one this server knows',
    );
    return null;
  }

  private async instrumentRowsOf(facts: ProjectedDocument): Promise<DocumentRows | null> {
    const template = instrumentTemplate(facts.templateId, facts.templateVersion);
    if (!template) return this.notKnown(facts);
    const id = facts.documentId;
    let rows: InstrumentRows | null;
    if (this.live(id)) {
      const raters = await raterUsers(this.options.sql, id);
      rows = await this.hub.withRooms([id], ([room]) =>
        instrumentRows(room!.doc, template, raters),
      );
    } else {
      rows = await storedInstrumentRows(this.options.sql, this.options.store!, facts);
    }
    return rows && { kind: 'instrument', rows };
  }

  private async planRowsOf(facts: ProjectedDocument): Promise<DocumentRows | null> {
    const template = planTemplate(facts.templateId, facts.templateVersion);
    if (!template) return this.notKnown(facts);
    const id = facts.documentId;
    const rows = this.live(id)
      ? await this.hub.withRooms([id], ([room]) => planRows(room!.doc, template))
      : await storedPlanRows(this.options.store!, facts);
    return rows && { kind: 'plan', rows };
  }

  private async write(facts: ProjectedDocument, rows: DocumentRows, since: number) {
    const json = JSON.stringify(rows.rows);
    if (this.written.get(facts.documentId) === json) return;
    if (rows.kind === 'plan') await writePlanProjection(this.options.sql, facts, rows.rows);
    else await writeProjection(this.options.sql, facts, rows.rows);
    this.written.delete(facts.documentId);
    this.remember(this.written, facts.documentId, json);
    this.options.onProjected?.(facts.documentId, since);
  }

  private remember(target: Set<string>, id: string): void;
  private remember(target: Map<string, string>, id: string, value: string): void;
  private remember(target: Set<string> | Map<string, string>, id: string, value?: string): void {
    if (target instanceof Set) target.add(id);
    else target.set(id, value!);
    if (target.size > REMEMBERED) target.delete(target.keys().next().value!);
  }
}
