/** Tickets each reviewer skipped in this console process (a skip is not a label: nothing is written). */
export class Skips {
  private readonly byReviewer = new Map<string, Set<string>>();

  of(reviewer: string): Set<string> {
    let set = this.byReviewer.get(reviewer);
    if (!set) {
      set = new Set();
      this.byReviewer.set(reviewer, set);
    }
    return set;
  }
}
