// The READMEs tell users to run otel-sentinel from the repository root: what those commands write
// (`--out`, `--rejects`, `> file`) and the files they ask the user to put there (`--sample`,
// `--input`) must be ignored by git, Prettier and ESLint, or `pnpm test` (prettier --check .)
// fails after a user followed the docs. This reads every shell block of the tracked Markdown files, so a new command
// in a README with a new output path fails here until the path is ignored.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from './cli.js';

/** Flags whose value is a path the command writes, or reads from a file the user makes. */
const OUTPUT_FLAGS = new Set(['--out', '-o', '--rejects']);
const INPUT_FLAGS = new Set(['--sample', '-s', '--input', '-i']);
/** Words that run the next one: `npx otel-sentinel`, `pnpm exec otel-sentinel`, `./dev otel-sentinel`. */
const RUNNERS = new Set(['npx', 'exec', './dev', '&&', ';', '|', 'time']);
/** Commands whose `--out` is a folder (the others write one file). */
const FOLDER_COMMANDS = new Set(['connector']);

interface DocPath {
  /** The path as the README writes it, relative to the repository root. */
  readonly path: string;
  readonly folder: boolean;
  /** Where it is written: file:line. */
  readonly where: string;
}

function git(args: readonly string[]): { status: number | null; stdout: string } {
  const r = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout };
}

const TRACKED = new Set(git(['ls-files']).stdout.split('\n'));
const MARKDOWN = [...TRACKED].filter((f) => f.endsWith('.md') && !f.includes('/test/fixtures/'));

/** The command lines of a Markdown file's sh/bash/shell/console blocks, continuations joined. */
function shellLines(markdown: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let inShell = false;
  let prompted = false; // a console block: commands after `$ `, the rest is their output
  let fence = '';
  let pending: { line: number; text: string } | undefined;
  markdown.split('\n').forEach((raw, i) => {
    const opening = /^(\s*)(`{3,})(\w*)\s*$/.exec(raw);
    if (fence === '' && opening) {
      fence = opening[2] ?? '```';
      inShell = ['sh', 'bash', 'shell', 'console'].includes(opening[3] ?? '');
      prompted = opening[3] === 'console';
      return;
    }
    if (fence !== '' && raw.trim() === fence) {
      fence = '';
      inShell = false;
      return;
    }
    if (!inShell) return;
    if (prompted && pending === undefined && !raw.trim().startsWith('$ ')) return;
    const text = raw.trim().replace(/^\$ /, '');
    const joined = pending ? `${pending.text} ${text}` : text;
    const start = pending?.line ?? i + 1;
    if (joined.endsWith('\\')) pending = { line: start, text: joined.slice(0, -1).trimEnd() };
    else {
      pending = undefined;
      out.push({ line: start, text: joined });
    }
  });
  return out;
}

/** The paths a command line writes or reads: an otel-sentinel command's flags, and any `> file`. */
function commandPaths(text: string): { path: string; folder: boolean }[] {
  const code = text.replace(/\s#.*$/, '');
  // Redirections outside quotes: `echo '{…}' > event.json` makes a file the next command reads.
  const unquoted = code.replace(/'[^']*'|"[^"]*"/g, "''");
  const redirected = [...unquoted.matchAll(/(?:^|\s)(?:\d?>>?|&>)\s*([^\s|;&]+)/g)].map((m) => ({
    path: m[1] ?? '',
    folder: false,
  }));
  return [...redirected, ...flagPaths(code)];
}

function flagPaths(code: string): { path: string; folder: boolean }[] {
  const words = code.split(/\s+/).filter((w) => w !== '');
  // The program word, not a value such as `az … -n otel-sentinel`: first, or after a runner.
  const bin = words.findIndex(
    (w, i) =>
      (w === 'otel-sentinel' || w.endsWith('/otel-sentinel')) && (i === 0 || RUNNERS.has(words[i - 1] ?? '')),
  );
  if (bin < 0) return [];
  const command = words[bin + 1] ?? '';
  const out: { path: string; folder: boolean }[] = [];
  for (let i = bin + 2; i < words.length; i++) {
    const word = words[i] ?? '';
    const equals = word.indexOf('=');
    const flag = equals < 0 ? word : word.slice(0, equals);
    if (!OUTPUT_FLAGS.has(flag) && !INPUT_FLAGS.has(flag)) continue;
    const value = (equals < 0 ? (words[i + 1] ?? '') : word.slice(equals + 1)).replace(/^["']|["']$/g, '');
    out.push({ path: value, folder: OUTPUT_FLAGS.has(flag) && FOLDER_COMMANDS.has(command) });
  }
  return out;
}

/** A path in the repository that a user makes: relative, not a placeholder, not one of ours. */
function isUsersPath(path: string): boolean {
  if (path === '' || path === '-' || /^[/~$<]/.test(path) || path.includes('<')) return false;
  return !TRACKED.has(path.replace(/^\.\//, ''));
}

const DOC_PATHS: DocPath[] = MARKDOWN.flatMap((file) =>
  shellLines(readFileSync(join(ROOT, file), 'utf8')).flatMap(({ line, text }) =>
    commandPaths(text)
      .filter((p) => isUsersPath(p.path))
      .map((p) => ({ ...p, path: p.path.replace(/^\.\//, ''), where: `${file}:${line}` })),
  ),
);

/** The files to ask about, each once, with where the docs name it: the path itself, or for a
 * folder, a file of each kind inside it. */
const PROBES: ReadonlyMap<string, string> = new Map(
  DOC_PATHS.flatMap((p) =>
    (p.folder
      ? ['probe.json', 'probe.yaml', 'probe.md', 'probe.js'].map((f) => `${p.path}/${f}`)
      : [p.path]
    ).map((file) => [file, p.where] as const),
  ).reverse(),
);

describe("the READMEs' commands, run from the repository root", () => {
  it('are found: the shell blocks name the outputs the walk-throughs write', () => {
    const paths = DOC_PATHS.map((p) => p.path);
    expect(paths).toContain('build/sentinel');
    expect(paths).toContain('mapping.yaml');
    expect(DOC_PATHS.filter((p) => p.folder).length).toBeGreaterThan(0);
  });

  it('write and read only what git ignores', () => {
    const notIgnored = [...PROBES]
      .filter(([file]) => git(['check-ignore', '--no-index', '--quiet', file]).status !== 0)
      .map(([file, where]) => `${file} (${where})`);
    expect(notIgnored).toEqual([]);
  });

  // A file Prettier has no parser for (`.jsonl`) is never checked.
  it('write and read only what Prettier ignores or cannot format, so prettier --check . stays green', () => {
    const prettier = join(ROOT, 'node_modules/prettier/bin/prettier.cjs');
    const notIgnored = [...PROBES]
      .filter(([file]) => {
        const r = spawnSync(process.execPath, [prettier, '--file-info', file], {
          cwd: ROOT,
          encoding: 'utf8',
        });
        const info = JSON.parse(r.stdout) as { ignored: boolean; inferredParser: string | null };
        return !info.ignored && info.inferredParser !== null;
      })
      .map(([file, where]) => `${file} (${where})`);
    expect(notIgnored).toEqual([]);
  });

  // The lists stay exact: an entry no README names any more goes.
  it.each(['.gitignore', '.prettierignore'])('are what the docs block of %s lists, and no more', (file) => {
    const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
    const header = lines.findIndex((l) => l.startsWith("# What the READMEs' commands write"));
    expect(header).toBeGreaterThanOrEqual(0);
    const block = lines
      .slice(header)
      .filter((l, i, all) => !l.startsWith('#') && all.slice(0, i).every((x) => x !== ''));
    const entries = block.filter((l) => l !== '').map((l) => l.replace(/^\/|\/$/g, ''));
    const named = DOC_PATHS.map((p) => p.path);
    expect(entries.filter((e) => !named.some((p) => p === e || p.startsWith(`${e}/`)))).toEqual([]);
  });

  it('write folders that ESLint ignores', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const notIgnored: string[] = [];
    for (const p of DOC_PATHS.filter((d) => d.folder))
      if (!(await eslint.isPathIgnored(join(ROOT, p.path, 'probe.js'))))
        notIgnored.push(`${p.path} (${p.where})`);
    expect(notIgnored).toEqual([]);
  });
});

describe('the shell-block reader', () => {
  it("joins continued lines, drops prompts, output and comments, and reads otel-sentinel's flags and redirections", () => {
    const md = [
      '```console',
      '$ otel-sentinel connector m.yaml \\',
      '  --out ./out # a comment --out nope',
      '```',
      '```sh',
      'X=$(az deployment group show -n otel-sentinel -o tsv)',
      'pnpm exec otel-sentinel init --sample=event.json -o mapping.yaml',
      `echo '{"a": "x > quoted.json"}' > sample.json`,
      '```',
      '```console',
      '$ otel-sentinel map m.yaml 2>/dev/null',
      'output > not-a-command.json --out nope',
      '```',
      '```ts',
      'otel-sentinel map x --input not-shell.jsonl',
      '```',
    ].join('\n');
    const paths = shellLines(md).flatMap((l) => commandPaths(l.text));
    expect(paths).toEqual([
      { path: './out', folder: true },
      { path: 'event.json', folder: false },
      { path: 'mapping.yaml', folder: false },
      { path: 'sample.json', folder: false },
      { path: '/dev/null', folder: false },
    ]);
  });
});
