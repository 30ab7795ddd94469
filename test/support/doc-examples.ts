// Extracts the runnable examples of a Markdown page (conventions in
// docs/README.md) and matches command output against their expectations.

export interface CommandExample {
  /** Arguments after `preexec`. */
  args: string[];
  /** Expected stdout lines (placeholders allowed). */
  expected: string[];
  exitCode: number;
  /** 1-based line of the `$ preexec` line in the page. */
  line: number;
}

export interface ShellBlock {
  line: number;
  commands: CommandExample[];
}

export interface CodeBlock {
  info: string;
  line: number;
  body: string;
}

/** Every fenced block of a Markdown text, outer fences only (a ```` fence may hold ``` lines). */
export function fencedBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})(.*)$/.exec(lines[i]);
    if (!open) continue;
    const close = new RegExp(`^${open[1][0]}{${open[1].length},}\\s*$`);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !close.test(lines[j]); j++) body.push(lines[j]);
    blocks.push({ info: open[2].trim(), line: i + 1, body: body.join('\n') });
    i = j;
  }
  return blocks;
}

/** Splits one command line: spaces separate words, quotes group them; any other shell syntax is refused. */
export function splitWords(text: string, where: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new Error(`${where}: unterminated quote`);
      word += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === ' ' || c === '\t') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if ('|&;<>()$`*?[]{}~\\#'.includes(c)) {
      throw new Error(`${where}: shell syntax ${JSON.stringify(c)} is not allowed in a runnable example (docs/README.md)`);
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The runnable `sh` blocks of a page: those with `$ ` lines. */
export function shellExamples(markdown: string, page: string): ShellBlock[] {
  const out: ShellBlock[] = [];
  for (const block of fencedBlocks(markdown)) {
    if (block.info.split(/\s+/)[0] !== 'sh') continue;
    const lines = block.body.split('\n');
    const commands: CommandExample[] = [];
    for (let i = 0; i < lines.length; i++) {
      const lineNo = block.line + 1 + i;
      if (!lines[i].startsWith('$ ')) {
        if (commands.length === 0) {
          if (lines.some((l) => l.startsWith('$ '))) throw new Error(`${page}:${lineNo}: text before the first "$ " line of a runnable block`);
          break;
        }
        commands[commands.length - 1].expected.push(lines[i]);
        continue;
      }
      let text = lines[i].slice(2);
      while (text.endsWith('\\') && i + 1 < lines.length) text = `${text.slice(0, -1)} ${lines[++i]}`;
      const words = splitWords(text, `${page}:${lineNo}`);
      if (words[0] !== 'preexec') throw new Error(`${page}:${lineNo}: a "$ " line must run preexec, not ${JSON.stringify(words[0])}`);
      commands.push({ args: words.slice(1), expected: [], exitCode: 0, line: lineNo });
    }
    for (const c of commands) {
      const exit = /^\[exit (\d+)\]$/.exec(c.expected[c.expected.length - 1] ?? '');
      if (exit) {
        c.expected.pop();
        c.exitCode = Number(exit[1]);
      }
    }
    if (commands.length > 0) out.push({ line: block.line, commands });
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Does `actual` (stdout, split in lines, without the final newline's empty
 * line) match `expected`? A line `...` matches zero or more lines; `...`
 * inside a line matches any characters of that line.
 */
export function matchesExpected(actual: string[], expected: string[]): boolean {
  const lineMatchers = expected.map((e) => (e === '...' ? null : new RegExp(`^${e.split('...').map(escapeRegExp).join('.*?')}$`)));
  const memo = new Map<string, boolean>();
  const match = (a: number, e: number): boolean => {
    const key = `${a},${e}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (e === lineMatchers.length) result = a === actual.length;
    else if (lineMatchers[e] === null) result = match(a, e + 1) || (a < actual.length && match(a + 1, e));
    else result = a < actual.length && lineMatchers[e]!.test(actual[a]) && match(a + 1, e + 1);
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}

/** stdout as lines: a final newline ends the last line. */
export function outputLines(stdout: string): string[] {
  if (stdout === '') return [];
  const lines = stdout.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The `ts` blocks that are complete programs (not tagged `fragment`). */
export function libraryExamples(markdown: string): CodeBlock[] {
  return fencedBlocks(markdown).filter((b) => {
    const words = b.info.split(/\s+/);
    return (words[0] === 'ts' || words[0] === 'typescript') && !words.includes('fragment');
  });
}

/**
 * A user's project as `tsc --init` of TypeScript 5.9 writes it (strict and
 * the rest), without skipLibCheck; target es2022 because Node 20 cannot parse
 * `await using` (TypeScript lowers it). Sources in src/, output in out/.
 */
export const USER_TSCONFIG = {
  compilerOptions: {
    module: 'nodenext', target: 'es2022', types: ['node'], strict: true,
    noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true,
    verbatimModuleSyntax: true, isolatedModules: true, noUncheckedSideEffectImports: true,
    moduleDetection: 'force', skipLibCheck: false, outDir: 'out', rootDir: 'src',
  },
  include: ['src'],
};
