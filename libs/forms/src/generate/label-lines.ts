// Made on first use: loading ICU's word dictionary takes about 14 ms, which an isolate that only
// parses (every parse thread loads this module with the parser) would pay for nothing.
let segmenter: Intl.Segmenter | undefined;

/**
 * Where a line may end inside a label and leave its words whole, by ICU's dictionary segmentation
 * with two corrections for the words it does not know: a run of one-character pieces is one word
 * (专|项|立|项 → 专项立项, 自|评 → 自评), and a lone one-character piece is an affix of the word
 * before it (满意|度, 实施|期, 其中|：), or of the word after it at the start (可|持续). A bracketed
 * part is one word: （万元）.
 */
export function wordBreaks(label: string): number[] {
  const pieces: Array<{ at: number; text: string }> = [];
  let at = 0;
  for (const part of label.split(/(（[^）]*）|\([^)]*\))/)) {
    if (/^[（(]/.test(part)) pieces.push({ at, text: part });
    else
      for (const s of (segmenter ??= new Intl.Segmenter('zh', { granularity: 'word' })).segment(part))
        pieces.push({ at: at + s.index, text: s.segment });
    at += part.length;
  }
  // Runs of one-character pieces joined into one word.
  const words: Array<{ at: number; chars: number; single: boolean }> = [];
  for (const p of pieces) {
    const single = [...p.text].length === 1;
    const last = words[words.length - 1];
    if (single && last?.single) last.chars += 1;
    else words.push({ at: p.at, chars: [...p.text].length, single });
  }
  // A lone one-character word joins the word before it, or the one after it at the start.
  return words.filter((w, i) => i > 0 && w.chars > 1 && !(i === 1 && words[0].chars === 1)).map((w) => w.at);
}

/**
 * A label cut into lines of at most `room` em, at word breaks only, filling each line as far as
 * it goes; a word wider than `room` gets a line of its own. A label that fits stays one line.
 */
export function labelLines(label: string, room: number, width: (s: string) => number): string[] {
  if (width(label) <= room) return [label];
  const cuts = [...wordBreaks(label), label.length];
  const lines: string[] = [];
  let start = 0;
  let end = 0;
  for (const cut of cuts) {
    if (end > start && width(label.slice(start, cut)) > room) {
      lines.push(label.slice(start, end));
      start = end;
    }
    end = cut;
  }
  lines.push(label.slice(start));
  return lines;
}
