/** Resolves and loads the Function App entry the way the Node worker does: package.json `main`, globs allowed. */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fg from 'fast-glob';

export function loadAppEntries(projectRoot: string, mainOverride?: string): { absolute: string; relative: string }[] {
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { main?: string };
  const main = mainOverride ?? pkg.main;
  if (!main) throw new Error('package.json has no "main": the Functions host cannot find the app entry.');
  const files = fg.sync(main, { cwd: projectRoot, absolute: true, onlyFiles: true }).sort();
  if (files.length === 0) throw new Error(`The app entry "${main}" matches no file. Run the build first (npm run build).`);
  // The worker loads the entry with require(); so do we, so module-level registrations run identically.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  for (const file of files) require(file);
  return files.map((f) => ({ absolute: f, relative: relative(projectRoot, f) }));
}
