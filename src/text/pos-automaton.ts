/**
 * One of wink's POS-correction automata (wink-nlp/src/automaton.js `recognize`, then the model's
 * `updater`), on a transition table instead of wink's objects keyed by token, and with each match
 * applied as it is found instead of collected: the updater writes the tags that recognition never reads
 * (it reads the transformed copy), so the order of the two makes no difference.
 *
 * wink's scan, kept step for step: from each token, follow transitions until a terminal state (a
 * match ending there) or a dead end (a match up to the last state with an `otherwise` exit, if any);
 * after a match, continue after its last token, else from the next token. A match's target tag is
 * applied to its first token (after the state's mark): a negative target always, a positive one if
 * the lexicon allows that tag for the token's normal form.
 */
export class PosAutomaton {
  private readonly columns = new Map<number, number>();
  private readonly width: number;
  /** next[state * width + column]: the next state, 0 (root) where wink has no transition. */
  private readonly next: Int32Array;
  private readonly otherwise: Int32Array;
  private readonly terminal: Uint8Array;
  /** Per terminal state: the target tag (0 where wink pushes no match), first-token mark. */
  private readonly target: Int32Array;
  private readonly markStart: Int32Array;
  private readonly markEnd: Int32Array;

  constructor(
    json: string,
    /** The tag wink's scan skips (its `keyLF`). */
    private readonly skipped: number,
  ) {
    const [, , fsm, terminals, marks] = JSON.parse(json) as [
      number,
      number,
      Record<string, Record<string, number>>,
      Record<string, string>,
      Record<string, [number, number]>,
    ];
    const states = [...Object.keys(fsm), ...Object.keys(terminals)].map(Number);
    for (const transitions of Object.values(fsm)) {
      for (const [key, to] of Object.entries(transitions)) {
        states.push(to);
        // Tokens are numbers; a key that is not one ("$of") is never matched.
        if (/^\d+$/.test(key) && Number(key) !== otherwiseToken && !this.columns.has(Number(key)))
          this.columns.set(Number(key), this.columns.size + 1);
      }
    }
    const size = Math.max(...states) + 1;
    this.width = this.columns.size + 1;
    this.next = new Int32Array(size * this.width);
    this.otherwise = new Int32Array(size);
    for (const [state, transitions] of Object.entries(fsm)) {
      for (const [key, to] of Object.entries(transitions)) {
        if (Number(key) === otherwiseToken) this.otherwise[Number(state)] = to;
        const column = this.columns.get(Number(key));
        if (column !== undefined) this.next[Number(state) * this.width + column] = to;
      }
    }
    this.terminal = new Uint8Array(size);
    this.target = new Int32Array(size);
    this.markStart = new Int32Array(size);
    this.markEnd = new Int32Array(size);
    for (const [state, target] of Object.entries(terminals)) {
      const s = Number(state);
      this.terminal[s] = target ? 1 : 0;
      this.target[s] = Number(target);
      if (this.target[s] === skipped) throw new Error(`POS automaton targets the skipped tag ${skipped}`);
      this.markStart[s] = marks[state]?.[0] ?? 0;
      this.markEnd[s] = marks[state]?.[1] ?? 0;
    }
  }

  /**
   * Scans `tokens` (tags as transformed by the model's hints) and corrects `tags` in place; `allows`
   * is wink's `cache.isMemberPOS` for token `i`'s normal form.
   */
  apply(
    tokens: ArrayLike<number>,
    n: number,
    tags: number[],
    allows: (i: number, tag: number) => boolean,
  ): void {
    const { next, width, columns, otherwise, terminal } = this;
    let first = 0;
    let state = 0;
    let ns = 0;
    let lastOtherwiseIndex = 0;
    let lastOtherwiseState = 0;
    const end = n + 100;
    for (let i = 0; i <= n; i++) {
      for (let j = i; j <= n; j++) {
        const t = j === n ? endToken : tokens[j]!;
        if (t === this.skipped) continue;
        ns = next[state * width + (columns.get(t) ?? 0)]!;
        if (state === 0 && ns !== 0) first = j;
        if (terminal[ns] === 1) {
          this.match(first, ns, tags, allows);
          i = j;
          j = end;
          ns = 0;
          lastOtherwiseState = 0;
        } else if (ns === 0) {
          if (lastOtherwiseState !== 0) {
            this.match(first, lastOtherwiseState, tags, allows);
            i = lastOtherwiseIndex;
            j = end;
            lastOtherwiseState = 0;
          } else j = end;
        }
        state = ns;
        if (otherwise[state] !== 0) {
          lastOtherwiseIndex = j;
          lastOtherwiseState = otherwise[state]!;
        }
      }
    }
  }

  private match(
    first: number,
    state: number,
    tags: number[],
    allows: (i: number, tag: number) => boolean,
  ): void {
    const target = this.target[state]!;
    if (target === 0) return;
    const at = first + this.markStart[state]!;
    if (target < 0) tags[at] = -target;
    else if (allows(at, target)) tags[at] = target;
  }
}

/** wink's end-of-sequence and `otherwise` tokens. */
const endToken = 2_070_000;
const otherwiseToken = 2_070_003;
