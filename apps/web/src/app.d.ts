// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    interface Error {
      message: string;
    }
    interface Locals {
      /** The signed-in person, set by hooks.server.ts from the session cookie; null if none. */
      user: { id: string; email: string; name: string } | null;
      /** The current session (its id is the token's SHA-256); null when signed out. */
      session: { id: string; expiresAt: Date } | null;
    }
  }
}

export {};
