/**
 * A tiny XML writer for the EC2 Query and S3 protocols. Values are escaped; `undefined` members
 * are omitted, as AWS omits absent fields; arrays become `<item>` lists (EC2 style) unless the
 * caller builds the element names itself.
 */
export type XmlValue = string | number | boolean | undefined | null | XmlObject | XmlValue[];
export interface XmlObject {
  [name: string]: XmlValue;
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** Renders `value` as the children of an element. Arrays render as `<item>` elements. */
export function xmlChildren(value: XmlValue): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) return value.map((v) => `<item>${xmlChildren(v)}</item>`).join("");
  if (typeof value === "object") {
    let out = "";
    for (const [name, child] of Object.entries(value)) {
      if (child === undefined || child === null) continue;
      out += `<${name}>${xmlChildren(child)}</${name}>`;
    }
    return out;
  }
  return escapeXml(String(value));
}

export function xmlDocument(root: string, attrs: string, body: XmlValue): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${attrs ? " " + attrs : ""}>${xmlChildren(body)}</${root}>`;
}
