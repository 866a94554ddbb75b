/**
 * Where the sync server listens, as the web app addresses it: `<base><SYNC_PATH>/<documentId>`
 * with `?ticket=<ticket>` (ticket.ts) and, to receive SAVED acknowledgements, `&ack=1`.
 */
export const SYNC_PATH = '/sync';

/** The sync server's port when nothing says otherwise (the server, the host, the web app). */
export const DEFAULT_SYNC_PORT = 1234;
