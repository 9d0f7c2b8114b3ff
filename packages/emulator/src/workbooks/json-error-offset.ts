// Finds the character offset where a text stops being JSON. V8's JSON.parse names an offset for
// some errors ("at position 2") and not for others ("Unexpected token ']'"); this scanner walks
// the grammar (RFC 8259) and stops at the first character that cannot continue it. Run only after
// JSON.parse has failed, to place the error.

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/** Thrown inside the scanner to unwind to `jsonErrorOffset` with the offset; never escapes it. */
class Stop extends Error {
  constructor(readonly offset: number) {
    super(`not JSON at offset ${offset}`);
  }
}

/** The offset of the first character that breaks the JSON grammar; `text.length` when it ends early. */
export function jsonErrorOffset(text: string): number {
  const scanner = new Scanner(text);
  try {
    scanner.value();
    scanner.space();
    if (scanner.at < text.length) return scanner.at;
    return text.length;
  } catch (stop: unknown) {
    if (stop instanceof Stop) return stop.offset;
    throw stop;
  }
}

class Scanner {
  at = 0;
  constructor(private readonly text: string) {}

  space(): void {
    while (WHITESPACE.has(this.text.charAt(this.at))) this.at++;
  }

  value(): void {
    this.space();
    const c = this.text.charAt(this.at);
    if (c === '{') {
      this.members('}', () => {
        this.member();
      });
    } else if (c === '[') {
      this.members(']', () => {
        this.value();
      });
    } else if (c === '"') this.string();
    else if (c === '-' || (c >= '0' && c <= '9')) this.number();
    else this.literal();
  }

  /** `{…}` or `[…]`: items separated by commas, none after the last. */
  private members(close: string, item: () => void): void {
    this.at++;
    this.space();
    if (this.text.charAt(this.at) === close) {
      this.at++;
      return;
    }
    for (;;) {
      item();
      this.space();
      const c = this.text.charAt(this.at);
      if (c === close) {
        this.at++;
        return;
      }
      if (c !== ',') throw new Stop(this.at);
      this.at++;
    }
  }

  private member(): void {
    this.space();
    if (this.text.charAt(this.at) !== '"') throw new Stop(this.at);
    this.string();
    this.space();
    if (this.text.charAt(this.at) !== ':') throw new Stop(this.at);
    this.at++;
    this.value();
  }

  private string(): void {
    this.at++;
    for (;;) {
      if (this.at >= this.text.length) throw new Stop(this.at);
      const code = this.text.charCodeAt(this.at);
      if (code === 0x22) {
        this.at++;
        return;
      }
      if (code < 0x20) throw new Stop(this.at);
      if (code === 0x5c) {
        ESCAPE.lastIndex = this.at;
        if (!ESCAPE.test(this.text)) throw new Stop(this.at);
        this.at = ESCAPE.lastIndex;
      } else this.at++;
    }
  }

  private number(): void {
    NUMBER.lastIndex = this.at;
    if (!NUMBER.test(this.text)) throw new Stop(this.at);
    this.at = NUMBER.lastIndex;
  }

  private literal(): void {
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return;
      }
    }
    throw new Stop(this.at);
  }
}
