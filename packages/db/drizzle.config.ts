/** drizzle-kit reads this to generate the committed SQL migrations in drizzle/ from src/schema. */
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './drizzle',
});
