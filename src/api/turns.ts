// Turns: at most `size` holders at once, the others served in the order they asked.
export class Turns {
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  /** Resolves when a turn is free with the function that gives it back (once; later calls do nothing). */
  async take(): Promise<() => void> {
    if (this.held < this.size) this.held += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const next = this.waiting.shift();
      if (next === undefined) this.held -= 1;
      else next();
    };
  }
}
