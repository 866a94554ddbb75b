/**
 * Round commands from a facilitator's page: sent on the instrument's own connection
 * (MESSAGE_ROUND of @concord/sync-protocol, answered with MESSAGE_ROUND_RESULT), so the sync
 * server checks them against that connection's role, and the change they make arrives as an
 * ordinary document update. A command needs the connection: offline, it is refused at once with
 * a message saying so.
 */
import { MESSAGE_ROUND, MESSAGE_ROUND_RESULT } from '@concord/sync-protocol';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { WebsocketProvider } from 'y-websocket';

/** How long to wait for an answer before saying there was none (the command may still land). */
const ANSWER_TIMEOUT_MS = 20_000;

export type RoundCommandBody =
  | {
      op: 'open';
      sections: string[];
      /** A second round on chosen items of those sections. */
      items?: string[];
      anonymised: boolean;
      deadline: string | null;
    }
  | { op: 'reveal'; sections: string[] | 'all' }
  | { op: 'close' }
  | { op: 'nudge'; rater: string }
  | { op: 'timer'; item: string | null; seconds: number };

export type RoundAnswer = { ok: true } | { ok: false; error: string };

export class RoundCommands {
  private next = 1;
  private readonly waiting = new Map<string, (answer: RoundAnswer) => void>();

  constructor(private readonly provider: WebsocketProvider) {
    provider.messageHandlers[MESSAGE_ROUND_RESULT] = (
      _encoder: encoding.Encoder,
      decoder: decoding.Decoder,
    ) => {
      let answer: unknown;
      try {
        answer = JSON.parse(decoding.readVarString(decoder));
      } catch {
        return;
      }
      if (typeof answer !== 'object' || answer === null) return;
      const { id, ok, error } = answer as { id?: unknown; ok?: unknown; error?: unknown };
      const resolve = typeof id === 'string' ? this.waiting.get(id) : undefined;
      if (!resolve) return;
      this.waiting.delete(id as string);
      resolve(ok === true ? { ok: true } : { ok: false, error: String(error ?? 'refused') });
    };
  }

  send(body: RoundCommandBody): Promise<RoundAnswer> {
    const ws = this.provider.ws;
    if (!this.provider.wsconnected || !ws) {
      return Promise.resolve({
        ok: false,
        error: 'You are offline: the round changes when you are connected again. Try again then.',
      });
    }
    const id = `q${this.next++}`;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_ROUND);
    encoding.writeVarString(encoder, JSON.stringify({ id, ...body }));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve({
          ok: false,
          error: 'No answer from the server yet; check the round and try again.',
        });
      }, ANSWER_TIMEOUT_MS);
      this.waiting.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      ws.send(encoding.toUint8Array(encoder));
    });
  }

  destroy(): void {
    for (const resolve of this.waiting.values()) resolve({ ok: false, error: 'page closed' });
    this.waiting.clear();
  }
}
