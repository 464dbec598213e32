import { ErrorCode, FormBridgeError } from '@formbridge/common';

/**
 * A minimal XML tokenizer for the WordprocessingML parts we read. It walks document.xml about
 * twice as fast as saxes (measured on this project's fixtures), which is what lets a parse beat
 * mammoth by an order of magnitude (see `npm run bench`). It is deliberately strict where
 * safety matters: a DOCTYPE (and so any entity declaration) is refused, unknown named entities
 * are refused, and tags must balance.
 */
export interface XmlHandler {
  open(name: string, attrs: string, selfClosing: boolean): void;
  close(name: string): void;
  text(text: string): void;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

const unsafe = (why: string) => new FormBridgeError(ErrorCode.UnsafeXml, why);
const malformed = (why: string) =>
  new FormBridgeError(ErrorCode.CorruptFile, `the document XML is not well-formed: ${why}`);

export function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z][\w.-]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw malformed(`bare "&" in text`);
    if (ref[0] === '#') {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!(code > 0 && code <= 0x10ffff)) throw malformed(`invalid character reference ${whole}`);
      return String.fromCodePoint(code);
    }
    const v = ENTITIES[ref];
    if (v === undefined) throw unsafe(`the document uses an undeclared entity ${whole}; refusing it`);
    return v;
  });
}

/** The value of one attribute in a raw attribute string, decoded; undefined when absent. */
export function attr(raw: string, name: string): string | undefined {
  let from = 0;
  for (;;) {
    const at = raw.indexOf(name, from);
    if (at < 0) return undefined;
    const before = at === 0 ? ' ' : raw[at - 1];
    let i = at + name.length;
    while (raw[i] === ' ' || raw[i] === '\t' || raw[i] === '\n' || raw[i] === '\r') i++;
    if ((before === ' ' || before === '\t' || before === '\n' || before === '\r') && raw[i] === '=') {
      i++;
      while (raw[i] === ' ' || raw[i] === '\t' || raw[i] === '\n' || raw[i] === '\r') i++;
      const quote = raw[i];
      if (quote !== '"' && quote !== "'") throw malformed(`unquoted attribute ${name}`);
      const end = raw.indexOf(quote, i + 1);
      if (end < 0) throw malformed(`unterminated attribute ${name}`);
      return decodeEntities(raw.slice(i + 1, end));
    }
    from = at + name.length;
  }
}

/** Every attribute of a raw attribute string (used for the root's namespace declarations). */
export function allAttrs(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(raw))) out[m[1]] = decodeEntities(m[2] ?? m[3] ?? '');
  return out;
}

export function scanXml(xml: string, handler: XmlHandler): void {
  const stack: string[] = [];
  const n = xml.length;
  let i = 0;
  let seenRoot = false;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      const raw = xml.slice(i, textEnd);
      if (stack.length) handler.text(decodeEntities(raw));
      else if (raw.trim()) throw malformed('text outside the root element');
    }
    if (lt < 0) break;
    const c = xml.charCodeAt(lt + 1);
    if (c === 0x21 /* ! */) {
      if (xml.startsWith('<!--', lt)) {
        const end = xml.indexOf('-->', lt + 4);
        if (end < 0) throw malformed('unterminated comment');
        i = end + 3;
        continue;
      }
      if (xml.startsWith('<![CDATA[', lt)) {
        const end = xml.indexOf(']]>', lt + 9);
        if (end < 0) throw malformed('unterminated CDATA');
        if (stack.length) handler.text(xml.slice(lt + 9, end));
        i = end + 3;
        continue;
      }
      if (/^<!DOCTYPE/i.test(xml.slice(lt, lt + 9))) {
        throw unsafe('the document declares a DOCTYPE; refusing it (entities are never expanded)');
      }
      throw malformed('unexpected markup declaration');
    }
    if (c === 0x3f /* ? */) {
      const end = xml.indexOf('?>', lt + 2);
      if (end < 0) throw malformed('unterminated processing instruction');
      i = end + 2;
      continue;
    }
    const gt = xml.indexOf('>', lt + 1);
    if (gt < 0) throw malformed('unterminated tag');
    if (c === 0x2f /* / */) {
      const name = xml.slice(lt + 2, gt).trimEnd();
      const open = stack.pop();
      if (open !== name) throw malformed(`</${name}> closes <${open ?? 'nothing'}>`);
      handler.close(name);
      i = gt + 1;
      continue;
    }
    // Attribute values may not hold a raw '<' but may hold '>'; quotes decide where the tag ends.
    let end = gt;
    let q = xml.indexOf('"', lt);
    if (q >= 0 && q < end) {
      let pos = lt;
      for (;;) {
        q = xml.indexOf('"', pos);
        if (q < 0 || q > end) break;
        const close = xml.indexOf('"', q + 1);
        if (close < 0) throw malformed('unterminated attribute');
        pos = close + 1;
        if (close > end) end = xml.indexOf('>', close);
        if (end < 0) throw malformed('unterminated tag');
      }
    }
    const selfClosing = xml.charCodeAt(end - 1) === 0x2f;
    const body = xml.slice(lt + 1, selfClosing ? end - 1 : end);
    let sp = 0;
    while (sp < body.length && body.charCodeAt(sp) > 0x20) sp++;
    const name = body.slice(0, sp);
    if (!name) throw malformed('empty tag name');
    if (!stack.length && seenRoot) throw malformed('more than one root element');
    seenRoot = true;
    handler.open(name, body.slice(sp), selfClosing);
    if (selfClosing) handler.close(name);
    else stack.push(name);
    i = end + 1;
  }
  if (stack.length) throw malformed(`<${stack[stack.length - 1]}> is never closed (truncated?)`);
  if (!seenRoot) throw malformed('no root element');
}

/**
 * What `scanXmlBytes` reports. Names are strings (the same string object each time a name
 * recurs); attributes and text are byte ranges of the scanned buffer, decoded only by a
 * handler that wants them.
 */
export interface XmlBytesHandler {
  /**
   * `slot` is where the name sits in the scanner's name cache (-1 when it is not cached): a
   * handler may keep what it decided about a name by slot, valid while the slot still holds
   * that same name string.
   */
  open(name: string, attrStart: number, attrEnd: number, selfClosing: boolean, slot: number): void;
  close(name: string, slot: number): void;
  /**
   * A self-closing tag, when the handler takes it in one call; without it the scanner reports
   * `open(…, true)` and `close`.
   */
  empty?(name: string, attrStart: number, attrEnd: number, slot: number): void;
  /**
   * Text between tags, inside the root. `decoded` is set when the scanner had to decode it
   * anyway (an entity reference, which it checks for every text like `scanXml`, or CDATA);
   * otherwise the text is the UTF-8 of bytes [start, end) with nothing to unescape.
   */
  text(start: number, end: number, decoded: string | undefined): void;
}

/** UTF-8 of a byte range. */
export function utf8(bytes: Buffer, start: number, end: number): string {
  return bytes.toString('utf8', start, end);
}

/**
 * Tag names seen so far, by their bytes: a document names a few dozen elements thousands of
 * times, and this hands back one string per name instead of decoding each occurrence. It is a
 * direct-mapped cache (a clash replaces the slot), so a hostile document with many names costs
 * a bounded table and only makes later lookups miss.
 */
const SLOTS = 2048;
/** How many slots the name cache has (slot numbers run below it). */
export const NAME_SLOTS = SLOTS;
const nameBytes: Array<Uint8Array | undefined> = new Array<Uint8Array | undefined>(SLOTS);
const nameStrings: string[] = new Array<string>(SLOTS).fill('');

const HASH_SEED = 0x811c9dc5;
const hashStep = (h: number, b: number) => Math.imul(h ^ b, 16777619);

function nameAt(bytes: Buffer, start: number, end: number): string {
  let h = HASH_SEED;
  for (let i = start; i < end; i++) h = hashStep(h, bytes[i]);
  return hashedNameAt(bytes, start, end, h);
}

/** The cache slot of the name `hashedNameAt` returned last, or -1. */
let lastSlot = -1;

/** `nameAt` when the caller hashed the bytes as it read them. */
function hashedNameAt(bytes: Buffer, start: number, end: number, h: number): string {
  const length = end - start;
  lastSlot = -1;
  if (length > 64) return utf8(bytes, start, end);
  const slot = (h ^ (h >>> 13)) & (SLOTS - 1);
  lastSlot = slot;
  const known = nameBytes[slot];
  if (known !== undefined && known.length === length) {
    let same = true;
    for (let i = 0; i < length; i++) {
      if (known[i] !== bytes[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return nameStrings[slot];
  }
  const name = utf8(bytes, start, end);
  nameBytes[slot] = Uint8Array.prototype.slice.call(bytes, start, end);
  nameStrings[slot] = name;
  return name;
}

const isXmlSpace = (b: number) =>
  b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0b || b === 0x0c;

/** Whether bytes [start, end) hold anything but whitespace (as `String.prototype.trim` sees it). */
function hasContent(bytes: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b >= 0x80) return utf8(bytes, start, end).trim() !== '';
    if (!isXmlSpace(b)) return true;
  }
  return false;
}

/**
 * The ">" that ends a tag whose attributes start at `from`, outside quoted values; -1 when the
 * part ends first (the caller reads the tag again by the general rules, which say why).
 */
function attributesEnd(bytes: Buffer, from: number, n: number): number {
  let i = from | 0;
  while (i < n) {
    const b = bytes[i] | 0;
    if (b === 0x3e) return i;
    i = (i + 1) | 0;
    if (b === 0x22) {
      while (i < n && bytes[i] !== 0x22) i = (i + 1) | 0;
      i = (i + 1) | 0;
    }
  }
  return -1;
}

/**
 * `scanXml` over the UTF-8 bytes of a part, with the same rules and the same errors, for
 * `word/document.xml`: the walk never decodes the markup (nearly all of a document's bytes)
 * and decodes only the text and attributes its handler asks for. Working on bytes also keeps
 * it clear of the V8 slowdown of string methods in an isolate where a class extends String
 * (ioredis; see docs/bench.md).
 */
export function scanXmlBytes(bytes: Buffer, handler: XmlBytesHandler): void {
  // The open elements' names, and for each where its name sits in `bytes` (so that a closing tag
  // is matched byte for byte), its length (-1 when not plain) and its cache slot.
  const stack: string[] = [];
  let frames = new Int32Array(3 * 64);
  let depth = 0;
  const n = bytes.length;
  let i = 0;
  let seenRoot = false;
  while (i < n) {
    let lt = i;
    let amp = false;
    for (; lt < n; lt++) {
      const b = bytes[lt];
      if (b === 0x3c) break;
      if (b === 0x26) amp = true;
    }
    if (lt > i) {
      if (depth > 0) handler.text(i, lt, amp ? decodeEntities(utf8(bytes, i, lt)) : undefined);
      else if (hasContent(bytes, i, lt)) throw malformed('text outside the root element');
    }
    if (lt >= n) break;
    const c = bytes[lt + 1];
    if (c === 0x21 /* ! */) {
      if (bytes[lt + 2] === 0x2d && bytes[lt + 3] === 0x2d) {
        const end = bytes.indexOf('-->', lt + 4);
        if (end < 0) throw malformed('unterminated comment');
        i = end + 3;
        continue;
      }
      if (bytes.toString('latin1', lt, lt + 9) === '<![CDATA[') {
        const end = bytes.indexOf(']]>', lt + 9);
        if (end < 0) throw malformed('unterminated CDATA');
        if (depth > 0) handler.text(lt + 9, end, utf8(bytes, lt + 9, end));
        i = end + 3;
        continue;
      }
      if (bytes.toString('latin1', lt, lt + 9).toUpperCase() === '<!DOCTYPE') {
        throw unsafe('the document declares a DOCTYPE; refusing it (entities are never expanded)');
      }
      throw malformed('unexpected markup declaration');
    }
    if (c === 0x3f /* ? */) {
      const end = bytes.indexOf('?>', lt + 2);
      if (end < 0) throw malformed('unterminated processing instruction');
      i = end + 2;
      continue;
    }
    if (c === 0x2f /* / */) {
      const at = lt + 2;
      const top = 3 * (depth - 1);
      // Nearly always the closing tag spells the open element's name and ends right after it.
      const length = depth > 0 ? frames[top + 1] : -1;
      if (length > 0 && at + length < n && bytes[at + length] === 0x3e) {
        const from = frames[top];
        let k = 0;
        while (k < length && bytes[at + k] === bytes[from + k]) k++;
        if (k === length) {
          depth--;
          handler.close(stack[depth], frames[top + 2]);
          i = at + length + 1;
          continue;
        }
      }
      let gt = at;
      while (gt < n && bytes[gt] !== 0x3e) gt++;
      if (gt >= n) throw malformed('unterminated tag');
      let e = gt;
      while (e > at && isXmlSpace(bytes[e - 1])) e--;
      const open = depth > 0 ? stack[depth - 1] : undefined;
      const from = (depth > 0 ? frames[top] : 0) - at;
      const openLength = depth > 0 ? frames[top + 1] : undefined;
      const slot = depth > 0 ? frames[top + 2] : -1;
      if (depth > 0) depth--;
      let same = open !== undefined && e - at === openLength;
      for (let k = at; same && k < e; k++) same = bytes[k] === bytes[k + from];
      if (!same) {
        let name = nameAt(bytes, at, e);
        if (e > at && bytes[e - 1] >= 0x80) name = name.trimEnd();
        if (open !== name) throw malformed(`</${name}> closes <${open ?? 'nothing'}>`);
      }
      handler.close(open as string, slot);
      i = gt + 1;
      continue;
    }
    // The name first, hashed as it is read; it ends at a space, "/" or ">" in a well-formed tag.
    const start = lt + 1;
    let sp = start;
    let h = HASH_SEED;
    let b = 0;
    for (; sp < n; sp++) {
      b = bytes[sp];
      if (b <= 0x20 || b === 0x3e || b === 0x2f || b === 0x22) break;
      h = hashStep(h, b);
    }
    let end = -1;
    if (sp > start && sp < n) {
      if (b === 0x3e) end = sp;
      else if (b === 0x2f) {
        if (sp + 1 < n && bytes[sp + 1] === 0x3e) end = sp + 1;
      } else if (b !== 0x22) end = attributesEnd(bytes, sp + 1, n);
    }
    // A plain name: no byte of it can end a tag, so a closing tag that spells it may be matched
    // byte for byte above. Anything else is read by the general rules below.
    let plain = true;
    if (end < 0) {
      plain = false;
      // Attribute values may not hold a raw '<' but may hold '>'; quotes decide where the tag ends.
      end = lt + 1;
      let quoteAt = -1;
      for (; end < n; end++) {
        const x = bytes[end];
        if (x === 0x3e) break;
        if (x === 0x22) {
          // Through the quoted value in a loop of its own.
          quoteAt = end++;
          while (end < n && bytes[end] !== 0x22) end++;
          if (end < n) quoteAt = -1;
        }
      }
      if (end >= n) {
        const unterminated = quoteAt >= 0 && bytes.indexOf(0x3e, quoteAt) >= 0;
        throw malformed(unterminated ? 'unterminated attribute' : 'unterminated tag');
      }
    }
    const selfClosing = bytes[end - 1] === 0x2f;
    const bodyEnd = selfClosing ? end - 1 : end;
    if (!plain) {
      sp = start;
      h = HASH_SEED;
      for (; sp < bodyEnd; sp++) {
        const x = bytes[sp];
        if (x <= 0x20) break;
        h = hashStep(h, x);
      }
      if (sp === start) throw malformed('empty tag name');
    }
    const name = hashedNameAt(bytes, start, sp, h);
    const slot = lastSlot;
    if (depth === 0 && seenRoot) throw malformed('more than one root element');
    seenRoot = true;
    if (selfClosing) {
      if (handler.empty) handler.empty(name, sp, bodyEnd, slot);
      else {
        handler.open(name, sp, bodyEnd, true, slot);
        handler.close(name, slot);
      }
    } else {
      handler.open(name, sp, bodyEnd, false, slot);
      if (3 * depth + 3 > frames.length) {
        const grown = new Int32Array(2 * frames.length);
        grown.set(frames);
        frames = grown;
      }
      const top = 3 * depth;
      frames[top] = start;
      frames[top + 1] = plain ? sp - start : -1;
      frames[top + 2] = slot;
      stack[depth++] = name;
    }
    i = end + 1;
  }
  if (depth > 0) throw malformed(`<${stack[depth - 1]}> is never closed (truncated?)`);
  if (!seenRoot) throw malformed('no root element');
}
