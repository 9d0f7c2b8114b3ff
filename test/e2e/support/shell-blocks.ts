// The fenced shell blocks (```sh, ```bash, ```shell) of the tracked Markdown, each named by its file
// and its first command line, the identity under which a test claims it (readme-blocks.test.ts).
// A block whose first line is one of MARKERS is not run: the marker tells the reader why.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../cli.js';

/** The first lines that mark a block as not run by a test, and why (test/README.md). */
export const MARKERS = [
  '# needs an Azure subscription',
  '# needs the packages on npm (not published yet)',
  "# runs on your app's host",
  '# run by .ci/run',
] as const;

export interface ShellBlock {
  /** The Markdown file, relative to the repository root. */
  readonly file: string;
  /** The line of the opening fence. */
  readonly line: number;
  /** The block as written, without the fences. */
  readonly text: string;
  /** Its first line that is neither blank nor a comment: the block's identity in its file. */
  readonly first: string;
  /** The marker on its first line, if any. */
  readonly marker: (typeof MARKERS)[number] | undefined;
}

/** The Markdown the READMEs test covers: the root README, the packages', their docs, the examples'. */
export function documentedMarkdown(): string[] {
  const tracked = spawnSync('git', ['ls-files', '*.md'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\n');
  return tracked.filter((f) =>
    /^(README\.md|docs\/[^/]+\.md|packages\/[^/]+\/README\.md|packages\/[^/]+\/docs\/[^/]+\.md|examples\/(.+\/)?README\.md)$/.test(
      f,
    ),
  );
}

export function shellBlocksOf(file: string, markdown: string): ShellBlock[] {
  const blocks: ShellBlock[] = [];
  let fence: { marks: string; shell: boolean; line: number; body: string[] } | undefined;
  markdown.split('\n').forEach((raw, i) => {
    if (fence === undefined) {
      const opening = /^\s*(`{3,})(\w*)\s*$/.exec(raw);
      if (opening)
        fence = {
          marks: opening[1] ?? '```',
          shell: ['sh', 'bash', 'shell'].includes(opening[2] ?? ''),
          line: i + 1,
          body: [],
        };
      return;
    }
    if (raw.trim() !== fence.marks) {
      fence.body.push(raw);
      return;
    }
    if (fence.shell) {
      const text = `${fence.body.join('\n')}\n`;
      const firstLine = fence.body[0]?.trim() ?? '';
      blocks.push({
        file,
        line: fence.line,
        text,
        first: firstCommand(fence.body),
        marker: MARKERS.find((m) => firstLine === m),
      });
    }
    fence = undefined;
  });
  return blocks;
}

/** The first line that is neither blank nor a comment, without its trailing comment. */
function firstCommand(lines: readonly string[]): string {
  const line = lines.map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('#')) ?? '';
  return line.replace(/\s+#\s.*$/, '');
}

export function allShellBlocks(): ShellBlock[] {
  return documentedMarkdown().flatMap((file) => shellBlocksOf(file, readFileSync(join(ROOT, file), 'utf8')));
}

/**
 * The block of `file` whose first command line is `first`, read from the Markdown now: a test runs
 * what the README says today. Throws, naming both, when the README has no such block.
 */
export function documentedBlock(file: string, first: string): ShellBlock {
  const found = shellBlocksOf(file, readFileSync(join(ROOT, file), 'utf8')).filter((b) => b.first === first);
  if (found.length !== 1)
    throw new Error(`${file} has ${found.length} shell blocks starting with ${JSON.stringify(first)}, not 1`);
  return found[0] as ShellBlock;
}
