// Builds the DOM of a markdown tree (markdown.ts). Every string reaches the page as textContent
// or, for a link, as an href that safeHref has limited to http, https or mailto: no workbook text
// is ever parsed as HTML.

import { parseMarkdown, type Block, type Inline } from './markdown.js';

export function renderMarkdown(markdown: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const block of parseMarkdown(markdown)) fragment.append(blockElement(block));
  return fragment;
}

function blockElement(block: Block): HTMLElement {
  switch (block.kind) {
    case 'heading':
      return withInlines(document.createElement(`h${Math.min(Math.max(block.level, 1), 6)}`), block.children);
    case 'paragraph':
      return withInlines(document.createElement('p'), block.children);
    case 'quote':
      return withInlines(document.createElement('blockquote'), block.children);
    case 'rule':
      return document.createElement('hr');
    case 'code': {
      const pre = document.createElement('pre');
      const code = document.createElement('code');
      code.textContent = block.text;
      pre.append(code);
      return pre;
    }
    case 'list': {
      const list = document.createElement(block.ordered ? 'ol' : 'ul');
      for (const item of block.items) list.append(withInlines(document.createElement('li'), item));
      return list;
    }
  }
}

function withInlines(el: HTMLElement, inlines: readonly Inline[]): HTMLElement {
  for (const inline of inlines) el.append(inlineNode(inline));
  return el;
}

function inlineNode(inline: Inline): Node {
  switch (inline.kind) {
    case 'text':
      return document.createTextNode(inline.text);
    case 'break':
      return document.createElement('br');
    case 'code': {
      const code = document.createElement('code');
      code.textContent = inline.text;
      return code;
    }
    case 'strong':
    case 'em':
      return withInlines(document.createElement(inline.kind), inline.children);
    case 'link': {
      const a = document.createElement('a');
      a.href = inline.href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      return withInlines(a, inline.children);
    }
  }
}
