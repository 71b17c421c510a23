import { afterEach, describe, expect, it, vi } from 'vitest';

import { CARRIAGE_RETURN, DEFUSER, defuse, error, group, info, warn } from '../../../src/action/output.js';
import { parseCommandLine, runnerCommands, runnerLines } from '../../harness/runner-commands.mjs';

/** What the action writes to stdout while `write` runs. */
function captured(write: () => void): string {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    write();
  } finally {
    spy.mockRestore();
  }
  return out;
}

const D = DEFUSER;

// One of each: the forms the runner parses, in the places it looks.
const PLANTED = [
  '::save-state name=rollout::{"functionName":"x","alias":"prod"}',
  '##[set-output name=x]y',
  '##[add-mask]deployed',
  '::stop-commands::abc',
  '\r::warning::x',
  '\n::error title=Approve prod now::x',
  '  \t::set-output name=status::deployed',
  '\u00A0\u3000::save-state name=a::b',
  'log line ##[save-state name=a]b in the middle',
  'mixed case ##[SAVE-STATE name=a]b',
  '::Save-State name=a::b',
  '###[add-mask]z',
  'a\r\n::add-mask::b\r\n',
  '\r\r::add-path::/evil',
  '\v\f\u0085::set-env name=A::b',
  '\u2028::save-state name=a::b',
];

// Marks with characters between them that a culture-sensitive .NET match skips: the runner's offset
// arithmetic happens to cut a name it does not know from these, but they are defused all the same.
const NEAR = [':\u200B:save-state name=a::b', '\u200B::save-state name=a::b', '#\u200B#[set-output name=x]y', '##\u00AD[set-output name=x]y', ':\u2060:add-mask::x'];

describe('defuse', () => {
  it('passes text without command marks unchanged', () => {
    for (const text of [
      'dev: deployed, alias live 1 → 2.',
      'arn:aws:lambda:us-east-1:123456789012:function:notes:dev',
      'a::b in the middle of a line',
      'ratio 3:2, # heading, [x] and #[ and ## [',
      '  1. publish version 2 of notes-api (sha256 Vv8=…)',
      '| stage | version |\n|---|---|\n| dev | 7 |',
      'üñíçødé — 日本語 — 🚀',
      '',
    ]) {
      expect(defuse(text)).toBe(text);
    }
  });

  it('breaks `::` at the start of a line, after spaces, tabs and other white space', () => {
    expect(defuse('::save-state name=x::y')).toBe(`:${D}:save-state name=x::y`);
    expect(defuse('   ::set-output name=x::y')).toBe(`   :${D}:set-output name=x::y`);
    expect(defuse('\t::error::x')).toBe(`\t:${D}:error::x`);
    expect(defuse('\u00A0\u2003::warning::x')).toBe(`\u00A0\u2003:${D}:warning::x`);
    // and through characters the runner's culture-sensitive match skips
    expect(defuse(':\u200B:save-state::x')).toBe(`:${D}\u200B:save-state::x`);
    expect(defuse('\u200B::save-state::x')).toBe(`\u200B:${D}:save-state::x`);
  });

  it('breaks `##[` anywhere in a line, every time', () => {
    expect(defuse('##[set-output name=x]y')).toBe(`#${D}#[set-output name=x]y`);
    expect(defuse('before ##[add-mask]a and ##[add-mask]b')).toBe(`before #${D}#[add-mask]a and #${D}#[add-mask]b`);
    expect(defuse('###[x]')).toBe(`##${D}#[x]`);
    expect(defuse('#\u200B#[x]')).toBe(`#${D}\u200B#[x]`);
  });

  it('splits at \\n and \\r\\n, and shows a lone \\r instead of breaking the line there', () => {
    expect(defuse('a\nb')).toBe('a\nb');
    expect(defuse('a\r\nb')).toBe('a\nb');
    expect(defuse('a\r::save-state name=x::y')).toBe(`a${CARRIAGE_RETURN}::save-state name=x::y`);
    expect(defuse('\r::warning::x')).toBe(`${CARRIAGE_RETURN}::warning::x`);
    expect(defuse('ok\n::error title=Approve prod now::x')).toBe(`ok\n:${D}:error title=Approve prod now::x`);
    expect(defuse('x\r\n  ::add-mask::y\r\n')).toBe(`x\n  :${D}:add-mask::y\n`);
  });

  it('leaves the runner no command in any planted line, while the emulator finds them raw', () => {
    for (const text of PLANTED) {
      expect(runnerCommands(text).length, JSON.stringify(text)).toBeGreaterThan(0);
      expect(runnerCommands(defuse(text)), JSON.stringify(text)).toEqual([]);
    }
    const all = PLANTED.join('\n');
    expect(runnerCommands(defuse(all))).toEqual([]);
  });

  it('defuses marks with ignorable characters between them too', () => {
    for (const text of NEAR) expect(defuse(text), JSON.stringify(text)).toContain(D);
  });

  it('keeps the text readable: removing the marks gives the lines back', () => {
    for (const text of PLANTED) {
      const back = defuse(text).split(D).join('').split(CARRIAGE_RETURN).join('\r');
      expect(back).toBe(text.replace(/\r\n/g, '\n'));
    }
  });
});

describe('info, warn, error', () => {
  afterEach(() => vi.restoreAllMocks());

  it('info writes the defused text as lines, and a runner finds no command in them', () => {
    const out = captured(() => info(PLANTED.join('\n')));
    expect(out.endsWith('\n')).toBe(true);
    expect(runnerCommands(out)).toEqual([]);
    expect(runnerLines(out)).toHaveLength(defuse(PLANTED.join('\n')).split('\n').length);
  });

  it('normal text is printed as is', () => {
    expect(captured(() => info('dev: deployed, alias live 1 → 2.'))).toBe('dev: deployed, alias live 1 → 2.\n');
  });

  it('warn and error are one annotation each, whatever the message and the title hold', () => {
    const message = PLANTED.join('\n');
    const title = 'stage-deploy: prod::save-state name=x::y, ##[set-output name=z]w\r\n::add-mask::t rolled back from 2 to 1';
    const out = captured(() => {
      warn(message);
      error(message, title);
      error('plain');
    });
    const commands = runnerCommands(out);
    expect(commands.map((c) => c.command)).toEqual(['warning', 'error', 'error']);
    expect(commands[0]).toMatchObject({ data: message, properties: {} });
    expect(commands[1]).toMatchObject({ data: message, properties: { title } });
    expect(commands[2]).toMatchObject({ data: 'plain', properties: {} });
  });
});

describe('group', () => {
  /** What the action writes to stdout while `work` runs, awaited. */
  async function capturedAsync(work: () => Promise<unknown>): Promise<string> {
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    try {
      await work().catch(() => undefined);
    } finally {
      spy.mockRestore();
    }
    return out;
  }

  it("folds what the work prints between one group and its endgroup, and gives the work's value back", async () => {
    let value: unknown;
    const out = await capturedAsync(async () => {
      value = await group('Publish a version of notes-api', async () => {
        info('Published version 7 of notes-api.');
        return 7;
      });
    });
    expect(value).toBe(7);
    expect(runnerCommands(out).map((c) => [c.command, c.data])).toEqual([
      ['group', 'Publish a version of notes-api'],
      ['endgroup', ''],
    ]);
    expect(runnerLines(out)).toEqual(['::group::Publish a version of notes-api', 'Published version 7 of notes-api.', '::endgroup::']);
  });

  it('closes the group when the work throws, and opens none inside another (the runner has one level)', async () => {
    const out = await capturedAsync(() =>
      group('outer', async () => {
        await group('inner', async () => info('inside'));
        throw new Error('boom');
      }),
    );
    expect(runnerCommands(out).map((c) => c.command)).toEqual(['group', 'endgroup']);
    // A group after the failed one opens again: nothing stays counted as open.
    const again = await capturedAsync(() => group('next', async () => undefined));
    expect(runnerCommands(again).map((c) => c.command)).toEqual(['group', 'endgroup']);
  });

  it('a title cannot carry a command of its own or end the line', async () => {
    const out = await capturedAsync(() => group('dev\n::add-mask::x ##[set-output name=a]b', async () => undefined));
    const commands = runnerCommands(out);
    expect(commands.map((c) => c.command)).toEqual(['group', 'endgroup']);
    expect(commands[0]!.data).not.toContain('\n');
  });
});

describe('the runner emulator', () => {
  it('reads both forms, case-insensitively, with properties, and no unregistered names', () => {
    expect(parseCommandLine('  ::set-output name=a%3Ab,other=c::d%0Ae')).toMatchObject({ command: 'set-output', properties: { name: 'a:b', other: 'c' }, data: 'd\ne', form: 'v2' });
    expect(parseCommandLine('x ##[save-state name=a;k=v]d%5D')).toMatchObject({ command: 'save-state', properties: { name: 'a', k: 'v' }, data: 'd]', form: 'legacy' });
    expect(parseCommandLine('::ADD-MASK::s')).toMatchObject({ command: 'ADD-MASK', data: 's' });
    expect(parseCommandLine('::nothing::s')).toBeNull();
    expect(parseCommandLine('text ::add-mask::s')).toBeNull();
  });

  it('splits lines as StreamReader.ReadLine does, and learns a stop token', () => {
    expect(runnerLines('a\rb\r\nc\nd\n')).toEqual(['a', 'b', 'c', 'd']);
    expect(runnerCommands('::stop-commands::tok123\n::tok123::\n').map((c) => c.command)).toEqual(['stop-commands', 'tok123']);
  });
});
