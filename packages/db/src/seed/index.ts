/**
 * @concord/db/seed: the demo workspace (seedDemo) and its fixed names, kept out of the main entry
 * so a server that never seeds does not load the demo content and the document shapes.
 */
export { seedDemo, type SeedOptions, type SeedResult, type SignIn } from './demo.js';
export {
  DEMO_DISTRICT,
  DEMO_PASSWORD,
  DEMO_SCHOOLS,
  DEMO_WORKSPACE,
  DOCUMENT_IDS as DEMO_DOCUMENT_IDS,
} from './demo-data.js';
export { formatSignIns } from './sign-ins.js';
