/**
 * Bench entry: pack a directory with the action's own packer (`prepareArtifact`) and print the
 * Artifact as JSON. Bundled with ncc by bench/packaging.mjs; not part of the action.
 * Usage: node <bundle> <directory> <workDir>
 */
import { prepareArtifact } from '../src/artifact/package.js';

async function main(): Promise<void> {
  const [dir, workDir] = process.argv.slice(2);
  if (!dir || !workDir) {
    process.stderr.write('usage: pack-entry <directory> <workDir>\n');
    process.exitCode = 2;
    return;
  }
  const artifact = await prepareArtifact(dir, { workDir });
  process.stdout.write(`${JSON.stringify(artifact)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
