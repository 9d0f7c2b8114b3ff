// A small markdown reader for workbook text items: headings, paragraphs, rules, lists, quotes,
// fenced code, and inline strong, emphasis, code and links. It produces a tree of text, never
// HTML: raw HTML in a workbook stays visible text, and a link keeps only an http(s) or mailto
// address. The DOM is built from this tree with textContent (markdown-dom.ts). Pure (no DOM).

import { parseInline, type Inline } from './markdown-inline.js';

export type { Inline } from './markdown-inline.js';

export type Block =
  | { readonly kind: 'heading'; readonly level: number; readonly children: readonly Inline[] }
  | { readonly kind: 'paragraph'; readonly children: readonly Inline[] }
  | { readonly kind: 'rule' }
  | { readonly kind: 'list'; readonly ordered: boolean; readonly items: readonly (readonly Inline[])[] }
  | { readonly kind: 'quote'; readonly children: readonly Inline[] }
  | { readonly kind: 'code'; readonly text: string };

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const SETEXT_1 = /^ {0,3}=+[ \t]*$/;
const SETEXT_2 = /^ {0,3}-+[ \t]*$/;
const ITEM = /^ {0,3}([-*+]|\d{1,9}[.)])[ \t]+(.*)$/;
const QUOTE = /^ {0,3}>[ \t]?(.*)$/;
const FENCE = /^ {0,3}(```+|~~~+)/;

/** Reads markdown into blocks. */
export function parseMarkdown(markdown: string): Block[] {
  return new BlockReader(markdown.split(/\r?\n/)).read();
}

class BlockReader {
  private readonly blocks: Block[] = [];
  private paragraph: string[] = [];
  private list: { ordered: boolean; items: string[] } | undefined;
  private quote: string[] = [];
  private at = 0;

  constructor(private readonly lines: readonly string[]) {}

  read(): Block[] {
    while (this.at < this.lines.length) this.line(this.lines[this.at++] ?? '');
    this.closeAll();
    return this.blocks;
  }

  private line(line: string): void {
    if (line.trim() === '') this.closeAll();
    else if (!this.leaf(line) && !this.container(line)) {
      this.closeList();
      this.closeQuote();
      this.paragraph.push(line);
    }
  }

  /** A fence, a heading (ATX or setext) or a rule: true when `line` was one. */
  private leaf(line: string): boolean {
    const fence = FENCE.exec(line);
    const heading = HEADING.exec(line);
    if (fence) this.code(fence[1] ?? '```');
    else if (this.paragraph.length > 0 && (SETEXT_1.test(line) || SETEXT_2.test(line))) {
      this.setext(SETEXT_1.test(line) ? 1 : 2);
    } else if (heading) {
      this.add({ kind: 'heading', level: heading[1]?.length ?? 1, children: parseInline(heading[2] ?? '') });
    } else if (RULE.test(line)) this.add({ kind: 'rule' });
    else return false;
    return true;
  }

  /** A list item, a quote line, or an indented line going on with the last item. */
  private container(line: string): boolean {
    const item = ITEM.exec(line);
    const quote = QUOTE.exec(line);
    if (item) this.item(/\d/.test(item[1] ?? ''), item[2] ?? '');
    else if (quote) this.quoteLine(quote[1] ?? '');
    else if (this.list && /^[ \t]/.test(line)) this.continueItem(line.trim());
    else return false;
    return true;
  }

  private add(block: Block): void {
    this.closeAll();
    this.blocks.push(block);
  }

  private setext(level: number): void {
    const children = parseInline(this.paragraph.join('\n'));
    this.paragraph = [];
    this.add({ kind: 'heading', level, children });
  }

  private code(fence: string): void {
    const body: string[] = [];
    while (this.at < this.lines.length) {
      const line = this.lines[this.at++] ?? '';
      if (line.trim().startsWith(fence)) break;
      body.push(line);
    }
    this.add({ kind: 'code', text: body.join('\n') });
  }

  private item(ordered: boolean, text: string): void {
    this.closeParagraph();
    this.closeQuote();
    if (this.list && this.list.ordered !== ordered) this.closeList();
    this.list ??= { ordered, items: [] };
    this.list.items.push(text);
  }

  private continueItem(text: string): void {
    const items = this.list?.items;
    if (items && items.length > 0) items[items.length - 1] = `${items[items.length - 1] ?? ''}\n${text}`;
  }

  private quoteLine(text: string): void {
    this.closeParagraph();
    this.closeList();
    this.quote.push(text);
  }

  private closeAll(): void {
    this.closeParagraph();
    this.closeList();
    this.closeQuote();
  }

  private closeParagraph(): void {
    if (this.paragraph.length === 0) return;
    this.blocks.push({ kind: 'paragraph', children: parseInline(this.paragraph.join('\n')) });
    this.paragraph = [];
  }

  private closeList(): void {
    if (!this.list) return;
    this.blocks.push({
      kind: 'list',
      ordered: this.list.ordered,
      items: this.list.items.map((t) => parseInline(t)),
    });
    this.list = undefined;
  }

  private closeQuote(): void {
    if (this.quote.length === 0) return;
    this.blocks.push({ kind: 'quote', children: parseInline(this.quote.join('\n')) });
    this.quote = [];
  }
}
