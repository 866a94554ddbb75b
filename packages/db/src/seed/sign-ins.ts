/** The demo sign-ins as a short plain-text table, for the seed command and the start script. */
import type { SignIn } from './demo.js';

export function formatSignIns(signIns: readonly SignIn[]): string {
  const rows = [
    ['email', 'role', 'represents', 'name'],
    ...signIns.map((s) => [s.email, s.role, s.represents ?? '', s.name]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const passwords = [...new Set(signIns.map((s) => s.password))];
  return [
    line(rows[0]!),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.slice(1).map(line),
    '',
    passwords.length === 1 ? `password for all: ${passwords[0]}` : '',
  ]
    .join('\n')
    .trimEnd();
}
