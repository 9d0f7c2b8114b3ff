// The workbook text items' markdown: read into a tree of text (the console builds its DOM with
// textContent from it), so HTML and script in a workbook stay visible text and a link opens only
// an http, https or mailto address.
import { describe, expect, it } from 'vitest';
import { parseMarkdown, type Block, type Inline } from '../console/src/workbook/markdown.js';
import { safeHref } from '../console/src/workbook/markdown-inline.js';

const text = (t: string): Inline => ({ kind: 'text', text: t });

/** Every text of a tree, to check that nothing became anything but text. */
function kinds(blocks: readonly Block[]): string[] {
  const out: string[] = [];
  const inline = (i: Inline): void => {
    out.push(i.kind);
    if (i.kind === 'strong' || i.kind === 'em' || i.kind === 'link') i.children.forEach(inline);
  };
  for (const b of blocks) {
    out.push(b.kind);
    if (b.kind === 'heading' || b.kind === 'paragraph' || b.kind === 'quote') b.children.forEach(inline);
    if (b.kind === 'list') {
      for (const item of b.items) item.forEach(inline);
    }
  }
  return out;
}

describe('parseMarkdown', () => {
  it("reads the connector's title item: a heading, a rule, a paragraph with code", () => {
    const md =
      '## Contoso Audit: AppAuthEvents_CL\n---\nThe events in AppAuthEvents_CL: event `EventName`; user `ActorUserId`.';
    expect(parseMarkdown(md)).toEqual([
      { kind: 'heading', level: 2, children: [text('Contoso Audit: AppAuthEvents_CL')] },
      { kind: 'rule' },
      {
        kind: 'paragraph',
        children: [
          text('The events in AppAuthEvents_CL: event '),
          { kind: 'code', text: 'EventName' },
          text('; user '),
          { kind: 'code', text: 'ActorUserId' },
          text('.'),
        ],
      },
    ]);
  });

  it('reads strong, emphasis, a setext heading, lists and fenced code', () => {
    const md =
      'Title\n=====\n**Bold** and *it* and snake_case_name\n\n- one\n- two\n\n1. first\n\n```\nlet x = 1;\n```';
    expect(parseMarkdown(md)).toEqual([
      { kind: 'heading', level: 1, children: [text('Title')] },
      {
        kind: 'paragraph',
        children: [
          { kind: 'strong', children: [text('Bold')] },
          text(' and '),
          { kind: 'em', children: [text('it')] },
          text(' and snake_case_name'),
        ],
      },
      { kind: 'list', ordered: false, items: [[text('one')], [text('two')]] },
      { kind: 'list', ordered: true, items: [[text('first')]] },
      { kind: 'code', text: 'let x = 1;' },
    ]);
  });

  it('keeps an https link and shows an image as its alt text only', () => {
    expect(
      parseMarkdown('[Learn](https://learn.microsoft.com/azure) ![diagram](https://example.com/x.png)'),
    ).toEqual([
      {
        kind: 'paragraph',
        children: [
          { kind: 'link', href: 'https://learn.microsoft.com/azure', children: [text('Learn')] },
          text(' '),
          text('diagram'),
        ],
      },
    ]);
  });
});

describe('markdown from a workbook cannot run script', () => {
  it('keeps a script element as visible text', () => {
    expect(parseMarkdown('<script>alert(1)</script>')).toEqual([
      { kind: 'paragraph', children: [text('<script>alert(1)</script>')] },
    ]);
  });

  it('keeps an image with an onerror handler as text', () => {
    const blocks = parseMarkdown('Hi <img src=x onerror="alert(1)"> **<b onmouseover=alert(1)>x</b>**');
    expect(kinds(blocks)).toEqual(['paragraph', 'text', 'strong', 'text']);
    expect(blocks).toEqual([
      {
        kind: 'paragraph',
        children: [
          text('Hi <img src=x onerror="alert(1)"> '),
          { kind: 'strong', children: [text('<b onmouseover=alert(1)>x</b>')] },
        ],
      },
    ]);
  });

  it.each([
    '[click](javascript:alert(1))',
    '[click](JaVaScRiPt:alert(1))',
    '[click](  javascript:alert(1))',
    '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '[click](vbscript:msgbox(1))',
    '[click](/relative/path)',
  ])('makes %s no link, only its text', (md) => {
    expect(kinds(parseMarkdown(md))).toEqual(['paragraph', 'text']);
    expect(parseMarkdown(md)[0]).toEqual({ kind: 'paragraph', children: [text('click')] });
  });

  it('makes no autolink of <javascript:…>', () => {
    expect(parseMarkdown('<javascript:alert(1)>')).toEqual([
      { kind: 'paragraph', children: [text('<javascript:alert(1)>')] },
    ]);
  });

  it('lets through http, https and mailto addresses only', () => {
    expect(
      ['https://a.example/x?y=1', 'http://127.0.0.1:4443/', 'mailto:soc@contoso.com'].map(safeHref),
    ).toEqual(['https://a.example/x?y=1', 'http://127.0.0.1:4443/', 'mailto:soc@contoso.com']);
    expect(
      ['javascript:alert(1)', 'java\tscript:alert(1)', 'file:///etc/passwd', '#top'].map(safeHref),
    ).toEqual([undefined, undefined, undefined, undefined]);
  });
});
