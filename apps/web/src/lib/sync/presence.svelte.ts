/**
 * Presence over the Yjs awareness protocol: who has this document open and which item each is
 * on. The local state is `{ user: { id, name, color }, item }`; `user` is the field Tiptap's
 * CollaborationCaret reads for the caret's name and colour. People are listed once however many
 * tabs they have open (the same user id), and never by colour alone: each has initials and a name.
 * The sync server writes `user` from the connection's ticket into every state it relays, so what
 * others see is who the server knows, whatever a client published.
 */
import { presenceColor, type PresenceUser } from '@concord/auth/presence';
import type { Awareness } from 'y-protocols/awareness';

export type { PresenceUser };

export interface Person extends PresenceUser {
  initials: string;
  /** The item this person is on (their most recently active tab), or null. */
  item: string | null;
  isMe: boolean;
  /** Asks the others to follow them (a facilitator's "Follow me"). */
  leading: boolean;
  /** The user id of the leader this person follows, or null. */
  following: string | null;
}

/** A person's colour (the sync server writes the same into their presence). */
export const colorFor = presenceColor;

export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.[0] ?? '?';
  const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}

function readUser(value: unknown): PresenceUser | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.id !== 'string' || typeof v.name !== 'string' || typeof v.color !== 'string')
    return null;
  return { id: v.id, name: v.name.slice(0, 200), color: v.color };
}

export class Presence {
  people: Person[] = $state([]);
  private readonly onChange = () => this.refresh();

  constructor(
    private readonly awareness: Awareness,
    readonly me: PresenceUser,
  ) {
    awareness.setLocalStateField('user', me);
    awareness.setLocalStateField('item', null);
    awareness.on('change', this.onChange);
    this.refresh();
  }

  /** Tell the others which item I am on (null: none). */
  setItem(item: string | null): void {
    if (this.awareness.getLocalState()?.item !== item)
      this.awareness.setLocalStateField('item', item);
  }

  /** Ask the others to follow me (true) or stop (false). */
  setLeading(on: boolean): void {
    if ((this.awareness.getLocalState()?.leading ?? false) !== on)
      this.awareness.setLocalStateField('leading', on);
  }

  /** Whom I follow (a leader's user id), or null. */
  setFollowing(userId: string | null): void {
    if ((this.awareness.getLocalState()?.following ?? null) !== userId)
      this.awareness.setLocalStateField('following', userId);
  }

  /** The people on one item, me excluded. */
  on(item: string): Person[] {
    return this.people.filter((p) => !p.isMe && p.item === item);
  }

  private refresh(): void {
    // A local scratch map, never stored in state: the result is assigned to `people` whole.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const byUser = new Map<string, Person>();
    const localId = this.awareness.clientID;
    for (const [clientId, state] of this.awareness.getStates()) {
      const user = readUser(state.user);
      if (!user) continue;
      const item = typeof state.item === 'string' ? state.item : null;
      const leading = state.leading === true;
      const following = typeof state.following === 'string' ? state.following : null;
      const isMe = user.id === this.me.id;
      const known = byUser.get(user.id);
      // One entry per person (several tabs): my own tab for me, else a tab that names an item.
      if (known && (isMe ? clientId !== localId : known.item !== null || item === null)) continue;
      byUser.set(user.id, {
        ...user,
        initials: initialsOf(user.name),
        item,
        isMe,
        leading: leading || (known?.leading ?? false),
        following: following ?? known?.following ?? null,
      });
    }
    this.people = [...byUser.values()].sort((a, b) =>
      a.isMe === b.isMe ? a.name.localeCompare(b.name) : a.isMe ? -1 : 1,
    );
  }

  destroy(): void {
    this.awareness.off('change', this.onChange);
  }
}
