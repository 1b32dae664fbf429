/**
 * A minimal ordered XML tree over fast-xml-parser: MathML needs child order (operands of
 * `apply`), and SBML packages are recognised by prefixed names, so prefixes are kept and the
 * local name is split off.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SbmlError } from './errors.ts';

export interface XmlElement {
  /** Qualified name as written, e.g. `comp:listOfSubmodels`. */
  qname: string;
  /** Name without prefix. */
  name: string;
  attrs: Record<string, string>;
  /** Child elements in document order (text nodes are collected into `text`). */
  children: XmlElement[];
  /** Text content directly inside this element, in order, each piece untrimmed. */
  texts: string[];
  /** Children and text pieces interleaved (needed for `<cn>` with `<sep/>`). */
  content: (XmlElement | string)[];
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
});

type RawNode = Record<string, unknown>;

function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
}

function convert(raw: RawNode): XmlElement | string | null {
  if ('#text' in raw) return String(raw['#text']);
  const attrsRaw = (raw[':@'] ?? {}) as Record<string, unknown>;
  const qname = Object.keys(raw).find((k) => k !== ':@');
  if (qname === undefined) return null;
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrsRaw)) attrs[k] = String(v);
  const el: XmlElement = { qname, name: localName(qname), attrs, children: [], texts: [], content: [] };
  for (const child of (raw[qname] as RawNode[] | undefined) ?? []) {
    const c = convert(child);
    if (c === null) continue;
    el.content.push(c);
    if (typeof c === 'string') el.texts.push(c);
    else el.children.push(c);
  }
  return el;
}

/** Parse an XML document and return its root element; throws SbmlError on malformed XML. */
export function parseXml(xml: string): XmlElement {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new SbmlError('sbml', undefined, `the file is not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  }
  const nodes = parser.parse(xml) as RawNode[];
  for (const n of nodes) {
    const el = convert(n);
    if (el !== null && typeof el !== 'string') return el;
  }
  throw new SbmlError('sbml', undefined, 'the document has no root element');
}

/** First child with the given local name. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

/** Children of `<listOfX>` (local names), or [] when the list is absent. */
export function listOf(el: XmlElement, listName: string, itemName: string): XmlElement[] {
  const list = child(el, listName);
  return list ? list.children.filter((c) => c.name === itemName) : [];
}

/** Escape text for an attribute value or element content. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
