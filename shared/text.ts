/** Text folding shared by duplicate detection and import cleaning. */

/** Full-width ASCII and the ideographic space to their half-width forms. */
export function halfWidth(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    out +=
      code >= 0xff01 && code <= 0xff5e
        ? String.fromCodePoint(code - 0xfee0)
        : code === 0x3000
          ? ' '
          : ch;
  }
  return out;
}
